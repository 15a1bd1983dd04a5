from django.apps import AppConfig


class StandardsConfig(AppConfig):
    """The standards library (执法标准与政策): laws, regulations, standards and guidance with their articles, versions and a Chinese full-text search."""

    name = "wurao.standards"
    verbose_name = "执法标准与政策"

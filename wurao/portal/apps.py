from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The enterprise's home (企业服务): one page composed from the capabilities; a read model with no tables."""

    name = "wurao.portal"
    verbose_name = "企业服务"

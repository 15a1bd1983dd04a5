from django.apps import AppConfig


class DossierConfig(AppConfig):
    """The enterprise's file (一企一档): a read model over the capabilities, with no tables."""

    name = "wurao.dossier"
    verbose_name = "一企一档"

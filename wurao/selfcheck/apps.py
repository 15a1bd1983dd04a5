from django.apps import AppConfig


class SelfcheckConfig(AppConfig):
    """Self-inspection (自查自纠): checklists drawn from the catalogue items that apply to an enterprise, results and fixes, visible to departments and counted in grading."""

    name = "wurao.selfcheck"
    verbose_name = "自查自纠"

from django.apps import AppConfig


class RulemakingConfig(AppConfig):
    """Where standards meet the enterprises they bind: the conflict register (标准冲突), consultations on drafts (征求意见) with public answers, hearings."""

    name = "wurao.rulemaking"
    verbose_name = "标准冲突与征求意见"

from django.contrib import admin

from wurao.outcomes import models

for model in (
    models.ItemCheck,
    models.FindingNotice,
    models.Rectification,
    models.RequirementClash,
    models.DiscretionStandard,
    models.ExemptionList,
    models.ExemptionEntry,
    models.ObservationType,
    models.Case,
):
    admin.site.register(model)

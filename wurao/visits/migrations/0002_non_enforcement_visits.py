"""[skeleton]'s non-enforcement visits become Visits of the non-enforcement kind: one place
counts visits, not two."""

import secrets

from django.db import migrations

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def forwards(apps, schema_editor):
    Old = apps.get_model("enforcement", "NonEnforcementVisit")
    Visit = apps.get_model("visits", "Visit")
    Through = Visit.departments.through
    taken = set(Visit.objects.values_list("code", flat=True))
    batch = []
    for old in Old.objects.order_by("pk").iterator(chunk_size=5000):
        code = ""
        while not code or code in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        taken.add(code)
        batch.append(
            Visit(
                code=code,
                enterprise_id=old.enterprise_id,
                kind="non_enforcement",
                purpose="other",
                department_id=old.organisation_id,
                date=old.date,
                note=old.purpose,
                status="completed",
                registered_by_id=old.created_by_id,
            )
        )
    created = Visit.objects.bulk_create(batch, batch_size=2000)
    if created and created[0].pk is None:  # backends that do not return ids
        created = list(Visit.objects.filter(code__in=[v.code for v in batch]))
    Through.objects.bulk_create(
        [Through(visit_id=v.pk, department_id=v.department_id) for v in created], batch_size=5000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0001_initial"),
        ("enforcement", "0003_action_visit"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

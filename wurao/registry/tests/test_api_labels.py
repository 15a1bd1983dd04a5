"""The labels in /api/enterprises/ (kind_display, status_display) are the model's own
get_<field>_display(), in the reader's language, whatever the value."""

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from wurao.registry.choices import EnterpriseKind, EnterpriseStatus
from wurao.registry.models import Enterprise
from wurao.registry.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_kind_and_status_reads_as_the_model_labels_it(justice_user, street, language):
    # given an enterprise of every kind and every status, and one with a value no choice has
    made = [
        EnterpriseFactory(street=street, kind=kind, status=status)
        for kind in EnterpriseKind.values
        for status in EnterpriseStatus.values
    ]
    odd = EnterpriseFactory(street=street)
    Enterprise.objects.filter(pk=odd.pk).update(kind="legacy")
    client = APIClient()
    client.force_authenticate(justice_user)
    if language == "en":
        client.cookies["django_language"] = "en"

    # when the list is read in that language
    rows, url = [], "/api/enterprises/"
    while url:
        body = client.get(url).json()
        rows += body["results"]
        url = body["next"]

    # then each label is the one the model gives, and an unknown value reads as itself
    by_id = {row["id"]: row for row in rows}
    with translation.override(language):
        for enterprise in [*made, Enterprise.objects.get(pk=odd.pk)]:
            row = by_id[enterprise.pk]
            assert row["kind_display"] == enterprise.get_kind_display()
            assert row["status_display"] == enterprise.get_status_display()
    assert by_id[odd.pk]["kind_display"] == "legacy"
    with translation.override("zh-hans"):
        chinese = made[0].get_status_display()
    assert (by_id[made[0].pk]["status_display"] == chinese) == (language == "zh-hans")

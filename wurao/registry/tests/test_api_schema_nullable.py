"""The schema says what the API answers: a name the registry may leave empty (a department
without a parent or a street, an enterprise outside any park or community) is null in the
answer and nullable in the schema, so a client generated from the schema accepts it."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from wurao.registry.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

NULLABLE = {
    "Department": ("parent_name", "street_name"),
    "EnterpriseDetail": ("park_name", "community_name"),
}


def test_names_the_registry_may_leave_empty_are_null_and_nullable_in_the_schema(
    justice_user, department, street
):
    # given a district department (no parent, no street) and an enterprise in no park
    firm = EnterpriseFactory(street=street, park=None, community=None)
    client = APIClient()
    client.force_authenticate(justice_user)

    # when the API answers and the schema describes the answers
    listed = client.get("/api/departments/").json()["results"]
    detail = client.get(f"/api/enterprises/{firm.pk}/").json()
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]

    # then the names are null, and the schema allows null for each
    answers = {
        "Department": next(d for d in listed if d["id"] == department.pk),
        "EnterpriseDetail": detail,
    }
    for component, names in NULLABLE.items():
        for name in names:
            assert answers[component][name] is None
            assert components[component]["properties"][name].get("nullable") is True, name

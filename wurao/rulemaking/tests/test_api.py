"""The rulemaking API answers as the pages: the register and published consultations for
anyone, a report only to its reporter and the bureau, a draft only to its department."""

import pytest

from wurao.rulemaking.choices import ConflictStatus, ConsultationStatus
from wurao.rulemaking.tests.factories import ConflictFactory, ConsultationFactory

pytestmark = pytest.mark.django_db


def test_the_register_api_lists_accepted_conflicts_with_both_requirements(client):
    conflict = ConflictFactory(requirements=("乙级", "甲级"))
    ConflictFactory(status=ConflictStatus.REPORTED, topic="未受理")
    listed = client.get("/api/conflicts/").json()["results"]
    assert [c["topic"] for c in listed] == [conflict.topic]
    detail = client.get(f"/api/conflicts/{conflict.pk}/").json()
    assert [r["text"] for r in detail["requirements"]] == ["乙级", "甲级"]
    assert detail["requirements"][0]["article_url"].startswith("/standards/")


def test_a_report_is_not_found_for_others(client, justice_user):
    report = ConflictFactory(status=ConflictStatus.REPORTED)
    assert client.get(f"/api/conflicts/{report.pk}/").status_code == 404
    client.force_login(justice_user)
    assert client.get(f"/api/conflicts/{report.pk}/").status_code == 200


def test_a_draft_is_not_listed_for_the_public(client, dept_admin):
    draft = ConsultationFactory(status=ConsultationStatus.DRAFT, department=dept_admin.department)
    assert client.get("/api/consultations/").json()["results"] == []
    assert client.get(f"/api/consultations/{draft.pk}/").status_code == 404
    client.force_login(dept_admin)
    assert client.get(f"/api/consultations/{draft.pk}/").status_code == 200


def test_a_wrong_filter_names_the_field(client):
    answer = client.get("/api/conflicts/", {"status": "bogus"})
    assert answer.status_code == 400 and "status" in answer.json().get("errors", answer.json())

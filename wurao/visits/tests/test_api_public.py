"""/api/public/visits/<code>/ (apis_public.py): anyone checks a visit code without signing in;
an unknown code is a plain answer."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from wurao.visits.choices import VisitStatus
from wurao.visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


# Public verification -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "days_from_today", "state", "may_enter"),
    [
        (VisitStatus.REGISTERED, 0, "valid", True),
        (VisitStatus.REGISTERED, 3, "not_yet", False),
        (VisitStatus.REGISTERED, -3, "expired", False),
        (VisitStatus.IN_PROGRESS, 0, "in_progress", True),
        (VisitStatus.COMPLETED, -3, "completed", False),
        (VisitStatus.CANCELLED, 0, "cancelled", False),
        (VisitStatus.PENDING_OVERRIDE, 0, "pending", False),
        (VisitStatus.REJECTED, 0, "cancelled", False),
    ],
)
def test_anyone_checks_a_visit_code_without_signing_in(
    status, days_from_today, state, may_enter, department, enterprise, officers, item
):
    visit = VisitFactory(
        enterprise=enterprise,
        department=department,
        status=status,
        date=timezone.localdate() + datetime.timedelta(days=days_from_today),
        officers=officers,
        items=[item],
    )

    response = APIClient().get(f"/api/public/visits/{visit.code}/")

    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["may_enter"]) == (state, may_enter)
    assert body["department_name"] == "区应急管理局"
    assert {o["badge_no"] for o in body["officers"]} == {o.badge_no for o in officers}
    assert body["officers"][0]["certificate_valid_until"] == "2099-12-31"
    assert body["items"][0]["legal_basis"] == "《中华人民共和国安全生产法》第六十五条"
    assert body["origin_display"] == "计划检查"
    assert body["approval_ref"] == "审批〔2020〕1号"
    # what only the signed-in department sees stays out
    assert "override_reason" not in body and "note" not in body


def test_an_unknown_code_is_a_plain_answer(db):
    response = APIClient().get("/api/public/visits/ZZZZ-2222/")

    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "unknown"
    assert body["state_display"] == "查无此码"
    assert body["may_enter"] is False
    assert body["code"] == "ZZZZ2222"
    assert body["officers"] == [] and body["department_name"] is None

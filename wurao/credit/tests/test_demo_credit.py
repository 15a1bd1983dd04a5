"""What the demo (and any back-office catch-up) needs from the review services: a filing or a
decision made on an earlier day and registered now keeps its own day, deadline and
publicity period. The demo district's grades themselves are tested in wurao/demo/tests."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from wurao.accounts.scope import Scope
from wurao.audit.models import AuditEvent
from wurao.credit.choices import RecordSource, ReviewStatus
from wurao.credit.selectors import objection_list
from wurao.credit.services import objection_file, repair_apply, review_decide, working_days_after
from wurao.enforcement.choices import ActionKind
from wurao.enforcement.tests.factories import EnforcementActionFactory

pytestmark = pytest.mark.django_db

FILED = datetime.date(2020, 11, 16)


@pytest.fixture
def penalty(enterprise, department):
    return EnforcementActionFactory(
        enterprise=enterprise,
        department=department,
        kind=ActionKind.PENALTY,
        date=datetime.date(2020, 9, 1),
    )


def _object(actor, enterprise, penalty, on=FILED):
    return objection_file(
        actor=actor, enterprise=enterprise, record_source=RecordSource.ACTION,
        record_id=penalty.pk, reason="处罚认定的场所不属于本企业", on=on,
    )  # fmt: skip


def test_a_filing_registered_late_runs_its_deadline_from_the_day_it_was_filed(
    enterprise_user, enterprise, penalty
):
    # given an objection filed on paper in November 2020, registered today
    objection = _object(enterprise_user, enterprise, penalty)

    # then it was filed that day, is due 15 working days later and is now overdue
    objection.refresh_from_db()
    assert timezone.localtime(objection.filed_at).date() == FILED
    assert objection.due_on == working_days_after(FILED, 15) == datetime.date(2020, 12, 7)
    overdue = objection_list(scope=Scope(sees_all=True), filters={"overdue": True})
    assert list(overdue) == [objection]
    event = AuditEvent.objects.get(verb="credit_objection.file")
    assert event.payload["filed_on"] == "2020-11-16" and event.payload["due_on"] == "2020-12-07"


def test_a_decision_registered_late_takes_effect_after_publicity_from_its_own_day(
    enterprise_user, enterprise, penalty, dept_admin
):
    repair = repair_apply(
        actor=enterprise_user, enterprise=enterprise, record_source=RecordSource.ACTION,
        record_id=penalty.pk, reason="罚款已缴清并整改", on=FILED,
    )  # fmt: skip

    decided = review_decide(
        actor=dept_admin,
        request=repair,
        approve=True,
        reason="整改到位",
        on=datetime.date(2020, 11, 27),
    )

    assert decided.status == ReviewStatus.APPROVED
    assert timezone.localtime(decided.decided_at).date() == datetime.date(2020, 11, 27)
    assert decided.effective_from == datetime.date(2020, 12, 4)  # 7 days of publicity
    event = AuditEvent.objects.get(verb="creditrepair.decide")
    assert event.payload["decided_on"] == "2020-11-27"


def test_a_decision_cannot_be_dated_before_the_filing(
    enterprise_user, enterprise, penalty, dept_admin
):
    objection = _object(enterprise_user, enterprise, penalty)

    with pytest.raises(ValidationError, match="不能早于申请提交日期"):
        review_decide(
            actor=dept_admin,
            request=objection,
            approve=False,
            reason="证据确凿",
            on=datetime.date(2020, 11, 2),
        )

    objection.refresh_from_db()
    assert objection.status == ReviewStatus.SUBMITTED


def test_without_a_day_a_filing_and_its_decision_are_today(
    enterprise_user, enterprise, penalty, dept_admin
):
    objection = _object(enterprise_user, enterprise, penalty, on=None)

    decided = review_decide(actor=dept_admin, request=objection, approve=False, reason="证据确凿")

    today = timezone.localdate()
    assert timezone.localtime(decided.filed_at).date() == today
    assert decided.due_on == working_days_after(today, 15)
    assert timezone.localtime(decided.decided_at).date() == today

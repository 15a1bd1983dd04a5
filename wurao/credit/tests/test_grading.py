import datetime

import pytest

from wurao.audit.selectors import audit_chain_first_broken
from wurao.credit.choices import RecordSource
from wurao.credit.models import EnterpriseGrade, GradeChange
from wurao.credit.points import DEFAULT_TABLE
from wurao.credit.points_json import table_to_dict
from wurao.credit.selectors_grading import enterprise_breakdown
from wurao.credit.services import repair_apply, review_decide
from wurao.credit.services_grading import grades_recompute, points_table_publish
from wurao.enforcement.choices import ActionKind, Finding
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 11, 27)


@pytest.fixture
def record(enterprise, department):
    """A clean enterprise, and one with two serious penalties and a coercive measure this year."""
    clean = EnterpriseFactory(street=enterprise.street)
    for day in (datetime.date(2026, 3, 2), datetime.date(2026, 6, 9)):
        EnforcementActionFactory(
            enterprise=enterprise,
            department=department,
            kind=ActionKind.PENALTY,
            severity=3,
            date=day,
        )
    EnforcementActionFactory(
        enterprise=enterprise, department=department, kind=ActionKind.COERCIVE, date=AS_OF
    )
    EnforcementActionFactory(
        enterprise=clean,
        department=department,
        kind=ActionKind.INSPECTION,
        finding=Finding.CLEAN,
        date=AS_OF,
    )
    return enterprise, clean


def test_a_regrade_grades_everyone_and_lists_the_changes_with_reasons(record, justice_user):
    risky, clean = record

    summary = grades_recompute(actor=justice_user, as_of=AS_OF)

    grades = dict(EnterpriseGrade.objects.values_list("enterprise_id", "grade"))
    assert grades[clean.pk] < grades[risky.pk]  # "A" < "D": the clean one is graded better
    assert summary["changed"] == 2 and summary["table_version"] == 1
    change = GradeChange.objects.get(enterprise=risky)
    assert change.previous_grade == "" and any("行政处罚" in r for r in change.reasons)
    assert audit_chain_first_broken() is None


def test_a_second_regrade_with_nothing_new_changes_nothing(record, justice_user):
    grades_recompute(actor=justice_user, as_of=AS_OF)

    summary = grades_recompute(actor=justice_user, as_of=AS_OF)

    assert summary["changed"] == 0
    assert GradeChange.objects.count() == 2


def test_the_breakdown_adds_up_to_the_score(record, justice_user):
    risky, _ = record
    grades_recompute(actor=justice_user, as_of=AS_OF)

    breakdown = enterprise_breakdown(enterprise_id=risky.pk, as_of=AS_OF)

    assert breakdown["base"] + sum(r["points"] for r in breakdown["rows"]) == pytest.approx(
        breakdown["score"]
    )
    assert breakdown["score"] == pytest.approx(EnterpriseGrade.objects.get(enterprise=risky).score)
    assert {r["source"] for r in breakdown["rows"] if r["record_id"] is not None} == {
        RecordSource.ACTION
    }


def test_a_new_table_version_regrades_without_rewriting_past_changes(record, justice_user):
    grades_recompute(actor=justice_user, as_of=AS_OF)
    lenient = table_to_dict(DEFAULT_TABLE)
    lenient["thresholds"] = {"A": 40.0, "B": 30.0, "C": 20.0}

    points_table_publish(actor=justice_user, table=lenient, effective_from=AS_OF, note="放宽阈值")
    grades_recompute(actor=justice_user, as_of=AS_OF)

    risky, _ = record
    first, second = GradeChange.objects.filter(enterprise=risky).order_by("id")
    assert first.table_version.version == 1 and second.table_version.version == 2
    assert EnterpriseGrade.objects.get(enterprise=risky).grade == "A"


def test_an_approved_repair_ends_the_record_effect_after_publicity(
    record, justice_user, enterprise_user, dept_admin
):
    risky, _ = record
    penalty = risky.actions.filter(kind=ActionKind.PENALTY).first()
    before = (
        grades_recompute(actor=justice_user, as_of=AS_OF)
        and EnterpriseGrade.objects.get(enterprise=risky).score
    )
    repair = repair_apply(
        actor=enterprise_user, enterprise=risky, record_source=RecordSource.ACTION,
        record_id=penalty.pk, reason="已缴清罚款并整改",
    )  # fmt: skip
    review_decide(actor=dept_admin, request=repair, approve=True, reason="整改到位")

    grades_recompute(actor=justice_user, as_of=datetime.date.today() + datetime.timedelta(days=8))

    assert EnterpriseGrade.objects.get(enterprise=risky).score > before


def test_the_command_regrades_and_reports_the_spread(record, capsys):
    from django.core.management import call_command

    call_command("grades_recompute", "--as-of", "2026-11-27", verbosity=0)

    out = capsys.readouterr().out
    assert "按第 1 版计分表评级 2 家" in out and "等级变动 2 家" in out


def test_the_nightly_job_regrades_through_the_queue(record):
    from wurao.credit.tasks import grades_recompute_job

    result = grades_recompute_job()  # jobs run in-process under the test settings

    assert result()["enterprises"] == 2


def test_the_regrade_audit_event_lists_each_change(record, justice_user):
    from wurao.audit.models import AuditEvent

    risky, clean = record
    grades_recompute(actor=justice_user, as_of=AS_OF)

    payload = AuditEvent.objects.get(verb="grades.recompute").payload
    assert sorted(map(tuple, payload["changes"])) == sorted(
        [
            (risky.pk, None, EnterpriseGrade.objects.get(enterprise=risky).grade),
            (clean.pk, None, "B"),
        ]
    )
    assert len(payload["changes_sha256"]) == 64

"""The visit services on site (services/onsite.py): check-in by credit code or scan, check-out,
recording and correcting results, and the audit trail a whole visit leaves."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.choices import ActionKind, Finding
from wurao.enforcement.models import EnforcementAction
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, InspectorFactory
from wurao.visits import selectors, services
from wurao.visits.choices import CheckInMethod, CodeState, VisitOrigin
from wurao.visits.choices import VisitStatus as S
from wurao.visits.tests.factories import NonEnforcementVisitFactory, VisitFactory
from wurao.visits.tests.support import _audited, _reg, _started, _today

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("audit_chain_stays_whole")]


# --- check-in ---------------------------------------------------------------------------------


def test_check_in_by_the_credit_code_starts_the_visit_and_is_audited(visit, inspector, enterprise):
    checked = services.visit_check_in(
        actor=inspector,
        visit=visit,
        method=CheckInMethod.CREDIT_CODE,
        scanned=f"  {enterprise.credit_code.lower()} ",
    )

    assert checked.status == S.IN_PROGRESS
    assert checked.checked_in_at is not None
    assert checked.check_in_method == CheckInMethod.CREDIT_CODE
    assert _audited("visit.check_in", visit)
    assert selectors.visit_code_check(raw=visit.code).state == CodeState.IN_PROGRESS


@pytest.mark.parametrize("trailing", ["", "/"])
def test_check_in_by_scanning_the_enterprise_code_reads_the_url(
    visit, inspector, enterprise, trailing
):
    url = f"https://wurao.example/e/{enterprise.credit_code}{trailing}"

    checked = services.visit_check_in(
        actor=inspector, visit=visit, method=CheckInMethod.SCAN, scanned=url
    )

    assert checked.status == S.IN_PROGRESS


def test_the_credit_code_is_read_from_whatever_the_scan_or_the_officer_gave(enterprise):
    code = enterprise.credit_code

    assert services.credit_code_read(f"  {code.lower()} ") == code
    assert services.credit_code_read(f"https://www.gsxt.gov.cn/?uniscid={code}&x=1") == code
    assert services.credit_code_read(f"统一社会信用代码：{code}") == code
    # not a valid code: what was read is kept for the refusal to show
    assert services.credit_code_read("https://example.com/e/ABC123/") == "ABC123"
    assert services.credit_code_read(code[:-1] + ("0" if code[-1] != "0" else "1")) != code


def test_check_in_with_no_credit_code_in_what_was_scanned_says_so(visit, inspector):
    with pytest.raises(ValidationError, match="中没有有效的统一社会信用代码") as refused:
        services.visit_check_in(
            actor=inspector, visit=visit, method=CheckInMethod.SCAN, scanned="hello world"
        )

    assert "scanned" in refused.value.message_dict
    visit.refresh_from_db()
    assert visit.status == S.REGISTERED


def test_check_in_at_the_wrong_enterprise_is_refused_and_changes_nothing(visit, inspector):
    elsewhere = EnterpriseFactory()

    with pytest.raises(ValidationError) as refused:
        services.visit_check_in(
            actor=inspector,
            visit=visit,
            method=CheckInMethod.CREDIT_CODE,
            scanned=elsewhere.credit_code,
        )

    assert "不是登记的企业" in refused.value.message_dict["scanned"][0]
    visit.refresh_from_db()
    assert visit.status == S.REGISTERED and visit.checked_in_at is None
    assert not AuditEvent.objects.filter(verb="visit.check_in").exists()


def test_check_in_on_another_day_than_registered_is_refused(dept_admin, department, enterprise):
    tomorrow = _today() + datetime.timedelta(days=1)
    visit = services.visit_register(
        actor=dept_admin, reg=_reg(enterprise, department, day=tomorrow)
    )

    with pytest.raises(ValidationError, match="只能在当天签到"):
        services.visit_check_in(
            actor=dept_admin,
            visit=visit,
            method=CheckInMethod.CREDIT_CODE,
            scanned=enterprise.credit_code,
        )


@pytest.mark.parametrize("status", [S.PENDING_OVERRIDE, S.IN_PROGRESS, S.COMPLETED, S.CANCELLED])
def test_check_in_of_a_visit_not_waiting_to_start_is_refused(
    dept_admin, department, enterprise, status
):
    visit = VisitFactory(enterprise=enterprise, department=department, date=_today(), status=status)

    with pytest.raises(ValidationError, match="不能签到"):
        services.visit_check_in(
            actor=dept_admin,
            visit=visit,
            method=CheckInMethod.CREDIT_CODE,
            scanned=enterprise.credit_code,
        )


def test_check_in_by_a_department_not_on_the_visit_is_refused(visit, other_admin, enterprise):
    with pytest.raises(PermissionDenied):
        services.visit_check_in(
            actor=other_admin,
            visit=visit,
            method=CheckInMethod.CREDIT_CODE,
            scanned=enterprise.credit_code,
        )


def test_the_enterprise_cannot_check_a_visit_in(visit, enterprise_user, enterprise):
    with pytest.raises(PermissionDenied):
        services.visit_check_in(
            actor=enterprise_user,
            visit=visit,
            method=CheckInMethod.CREDIT_CODE,
            scanned=enterprise.credit_code,
        )


def test_check_in_needs_a_known_method(visit, inspector, enterprise):
    with pytest.raises(ValidationError) as refused:
        services.visit_check_in(
            actor=inspector, visit=visit, method="telepathy", scanned=enterprise.credit_code
        )

    assert "method" in refused.value.message_dict


# --- check-out --------------------------------------------------------------------------------


def test_check_out_before_check_in_is_refused(visit, inspector):
    with pytest.raises(ValidationError, match="已签到"):
        services.visit_check_out(actor=inspector, visit=visit)


def test_check_out_completes_the_visit_and_is_audited(visit, inspector, enterprise):
    services.visit_check_in(
        actor=inspector, visit=visit, method=CheckInMethod.SCAN, scanned=enterprise.credit_code
    )

    done = services.visit_check_out(actor=inspector, visit=visit)

    assert done.status == S.COMPLETED and done.checked_out_at >= done.checked_in_at
    assert _audited("visit.check_out", visit)
    assert selectors.visit_code_check(raw=visit.code).state == CodeState.COMPLETED


def test_check_out_by_a_department_not_on_the_visit_is_refused(
    visit, inspector, other_admin, enterprise
):
    services.visit_check_in(
        actor=inspector, visit=visit, method=CheckInMethod.SCAN, scanned=enterprise.credit_code
    )

    with pytest.raises(PermissionDenied):
        services.visit_check_out(actor=other_admin, visit=visit)


# --- results ----------------------------------------------------------------------------------


def test_results_before_check_in_are_refused(visit, inspector, department):
    with pytest.raises(ValidationError, match="签到后"):
        services.visit_result_record(
            actor=inspector, visit=visit, department=department, kind=ActionKind.INSPECTION
        )


def test_results_become_an_enforcement_action_linked_to_the_visit(visit, inspector, department):
    _started(visit, inspector)

    action = services.visit_result_record(
        actor=inspector,
        visit=visit,
        department=department,
        kind=ActionKind.INSPECTION,
        finding=Finding.CLEAN,
        summary="未发现问题",
    )

    assert action.visit == visit and action.enterprise == visit.enterprise
    assert action.date == visit.date and action.origin == "plan"
    # the department's items and officers on the visit are taken by default
    assert set(action.items.all()) == set(visit.items.all())
    assert set(action.officers.all()) == set(visit.officers.all())
    assert _audited("enforcement_action.record", action)


def test_a_second_result_of_the_same_kind_is_refused_and_a_correction_replaces_it(
    visit, inspector, department, other_admin
):
    # given the department's inspection result: a problem found
    _started(visit, inspector)
    first = services.visit_result_record(
        actor=inspector,
        visit=visit,
        department=department,
        kind=ActionKind.INSPECTION,
        finding=Finding.PROBLEMS,
        summary="消防通道堵塞",
    )

    # a second inspection result would contradict it: refused, naming the first
    with pytest.raises(ValidationError, match="已录入本次入企的行政检查结果（发现问题）"):
        services.visit_result_record(
            actor=inspector,
            visit=visit,
            department=department,
            kind=ActionKind.INSPECTION,
            finding=Finding.CLEAN,
        )
    # a penalty on the same visit is another kind of result, and is kept
    services.visit_result_record(
        actor=inspector, visit=visit, department=department, kind=ActionKind.PENALTY, severity=1
    )

    # another department may not correct it; an unchanged correction is refused
    with pytest.raises(PermissionDenied):
        services.visit_result_correct(
            actor=other_admin,
            visit=visit,
            action=first,
            finding=Finding.CLEAN,
            summary="",
            reason="x",
        )
    with pytest.raises(ValidationError, match="没有改动"):
        services.visit_result_correct(
            actor=inspector,
            visit=visit,
            action=first,
            finding=Finding.PROBLEMS,
            summary="消防通道堵塞",
            reason="复核",
        )

    # the department corrects it with a reason: still one inspection action, audited
    services.visit_result_correct(
        actor=inspector,
        visit=visit,
        action=first,
        finding=Finding.CLEAN,
        summary="",
        reason="录入时选错结果",
    )
    first.refresh_from_db()
    assert first.finding == Finding.CLEAN
    assert visit.actions.filter(kind=ActionKind.INSPECTION).count() == 1
    event = AuditEvent.objects.get(verb="enforcement_action.correct", object_id=str(first.pk))
    assert event.payload["before"]["finding"] == Finding.PROBLEMS


def test_a_joint_visit_keeps_each_department_result_and_counts_once(enterprise, department):
    # given a joint visit by two departments, checked in
    market = DepartmentFactory(name="区市场监管局")
    officers = InspectorFactory.create_batch(2, department=department) + (
        InspectorFactory.create_batch(2, department=market)
    )
    items = [InspectionItemFactory(department=department), InspectionItemFactory(department=market)]
    joint = VisitFactory(
        enterprise=enterprise,
        department=department,
        departments=[department, market],
        origin=VisitOrigin.JOINT,
        date=_today(),
        status=S.IN_PROGRESS,
        officers=officers,
        items=items,
    )
    ours = UserFactory(role=Role.INSPECTOR, department=department)
    theirs = UserFactory(role=Role.INSPECTOR, department=market)

    # when each department records what it found
    first = services.visit_result_record(
        actor=ours, visit=joint, department=department, kind=ActionKind.INSPECTION
    )
    second = services.visit_result_record(
        actor=theirs, visit=joint, department=market, kind=ActionKind.PENALTY, severity=1
    )

    # then the file has two actions on one visit, each with its own items; the year counts one visit
    assert set(EnforcementAction.objects.filter(visit=joint)) == {first, second}
    assert list(first.items.all()) == [items[0]] and list(second.items.all()) == [items[1]]
    assert first.origin == "joint"  # the visit's origin, as the enforcement record has it
    counts = selectors.enterprise_counts(enterprise_id=enterprise.pk, year=_today().year)
    assert counts.inspections == 1
    assert {(c.department, c.used) for c in counts.by_department} == {
        (department.name, 1),
        (market.name, 1),
    }


def test_results_for_a_department_not_on_the_visit_are_refused(visit, inspector, justice_user):
    _started(visit, inspector)
    absent = DepartmentFactory()

    with pytest.raises(ValidationError) as refused:
        services.visit_result_record(
            actor=justice_user, visit=visit, department=absent, kind=ActionKind.INSPECTION
        )

    assert "没有参加本次入企" in refused.value.message_dict["department"][0]


def test_results_in_another_department_name_are_refused(visit, inspector, department, other_admin):
    _started(visit, inspector)

    with pytest.raises(PermissionDenied):
        services.visit_result_record(
            actor=other_admin, visit=visit, department=department, kind=ActionKind.INSPECTION
        )
    assert not EnforcementAction.objects.exists()


def test_a_non_enforcement_visit_has_no_results(justice_user, enterprise):
    union = NonEnforcementVisitFactory(enterprise=enterprise, date=_today())

    with pytest.raises(ValidationError, match="非执法入企没有检查结果"):
        services.visit_result_record(
            actor=justice_user, visit=union, department=union.department, kind=ActionKind.INSPECTION
        )


# --- the audit trail --------------------------------------------------------------------------


def test_a_whole_visit_leaves_an_audit_trail_that_verifies(
    visit, inspector, department, enterprise_user, capsys
):
    _started(visit, inspector)
    services.visit_result_record(
        actor=inspector, visit=visit, department=department, kind=ActionKind.INSPECTION
    )
    services.visit_check_out(actor=inspector, visit=visit)
    services.visit_rate(actor=enterprise_user, visit=visit, score=5)

    verbs = list(AuditEvent.objects.order_by("seq").values_list("verb", flat=True))
    assert verbs == [
        "visit.register",
        "visit.check_in",
        "enforcement_action.record",
        "visit.check_out",
        "visit.rate",
    ]
    call_command("audit_verify")
    assert "全部校验通过" in capsys.readouterr().out

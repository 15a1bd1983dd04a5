"""The rectification lifecycle: the finding flag follows the items; a notice orders every
finding; the enterprise reports (again after a rejection); the department closes by a
documentary check or a re-check; deadlines, overdue flagging and clashes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from wurao.audit.models import AuditEvent
from wurao.enforcement.choices import Finding, Origin
from wurao.outcomes.choices import CheckResult, ClashStatus, RectificationStatus, Topic
from wurao.outcomes.models import Evidence, Rectification, RequirementClash
from wurao.outcomes.services_checks import checks_correct, checks_record
from wurao.outcomes.services_findings import (
    clash_decide,
    notice_seen,
    rectification_close_documentary,
    rectification_recheck,
    rectification_report,
    rectifications_flag_overdue,
    report_reject,
)
from wurao.outcomes.tests.test_findings_support import (
    JPEG,
    PDF,
    findings,
    inspection,
    notice,
    officer,
    rectified,
)
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _verbs(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("seq")
        .values_list("verb", flat=True)
    )


# ---------------------------------------------------------------- the finding flag


def test_the_action_flag_is_problems_as_soon_as_one_item_is_a_finding(department, enterprise):
    actor = officer(department)
    action = inspection(department, enterprise, items=3)
    findings(actor, action, hazards=(1,), compliant=2)
    action.refresh_from_db()
    assert action.finding == Finding.PROBLEMS


def test_the_action_flag_is_clean_when_every_checked_item_is_compliant(department, enterprise):
    actor = officer(department)
    action = inspection(department, enterprise, items=2)
    items = list(action.items.all())
    checks_record(
        actor=actor,
        action=action,
        rows=[
            {"item": items[0], "result": CheckResult.COMPLIANT},
            {"item": items[1], "result": CheckResult.NOT_CHECKED},
        ],
    )
    action.refresh_from_db()
    assert action.finding == Finding.CLEAN


def test_correcting_the_only_finding_to_compliant_makes_the_action_clean(department, enterprise):
    actor = officer(department)
    action = inspection(department, enterprise, items=1)
    findings(actor, action, hazards=(0,))
    item = action.items.get()
    checks_correct(
        actor=actor,
        action=action,
        rows=[{"item": item, "result": CheckResult.COMPLIANT}],
        reason="误录",
    )
    action.refresh_from_db()
    assert action.finding == Finding.CLEAN


def test_a_finding_keeps_its_photos_and_a_renamed_file_is_refused(department, enterprise):
    actor = officer(department)
    action = inspection(department, enterprise, items=2)
    items = list(action.items.all())
    with pytest.raises(ValidationError) as refused:
        checks_record(
            actor=actor,
            action=action,
            rows=[
                {
                    "item": items[0],
                    "result": CheckResult.FINDING,
                    "description": "灭火器过期",
                    "photos": [SimpleUploadedFile("现场.jpg", b"not a jpeg at all")],
                }
            ],
        )
    assert "改了扩展名" in str(refused.value.message_dict[f"photos_{items[0].pk}"])
    checks_record(
        actor=actor,
        action=action,
        rows=[
            {
                "item": items[0],
                "result": CheckResult.FINDING,
                "description": "灭火器过期",
                "photos": [SimpleUploadedFile("现场.jpg", JPEG)],
            }
        ],
    )
    assert Evidence.objects.get().item_check.item == items[0]


# ---------------------------------------------------------------- report, reject, close


def test_the_enterprise_reports_then_the_department_closes_by_a_documentary_check(
    department, enterprise, enterprise_user
):
    actor = officer(department)
    _, rectification = rectified(department, enterprise, actor)
    assert rectification.status == RectificationStatus.ORDERED

    report = rectification_report(
        actor=enterprise_user,
        rectification=rectification,
        text="已清理安全出口",
        files=[SimpleUploadedFile("照片.jpg", JPEG), SimpleUploadedFile("验收.pdf", PDF)],
    )
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.REPORTED
    assert sorted(report.files.values_list("kind", flat=True)) == ["document", "photo"]

    rectification_close_documentary(actor=actor, rectification=rectification, note="照片显示已清理")
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.CLOSED
    assert rectification.closed_how == "documentary"
    assert rectification.closed_on == timezone.localdate()
    assert _verbs(rectification) == [
        "outcomes.rectification_report",
        "outcomes.rectification_close",
    ]


def test_a_rejected_report_reopens_with_a_new_deadline_and_the_enterprise_reports_again(
    department, enterprise, enterprise_user
):
    actor = officer(department)
    _, rectification = rectified(department, enterprise, actor)
    rectification_report(actor=enterprise_user, rectification=rectification, text="已整改")
    later = timezone.localdate() + 30 * DAY

    report_reject(actor=actor, rectification=rectification, reason="未见照片", new_deadline=later)
    rectification.refresh_from_db()
    assert (rectification.status, rectification.deadline) == (RectificationStatus.ORDERED, later)
    assert rectification.reports.get().rejected_reason == "未见照片"
    # a documentary check needs a report standing
    with pytest.raises(ValidationError) as refused:
        rectification_close_documentary(actor=actor, rectification=rectification, note="好")
    assert "尚未报告" in refused.value.message_dict["note"][0]

    rectification_report(actor=enterprise_user, rectification=rectification, text="补充照片")
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.REPORTED
    assert rectification.reports.count() == 2


def test_rejecting_needs_a_reason_and_a_later_deadline(department, enterprise, enterprise_user):
    actor = officer(department)
    _, rectification = rectified(department, enterprise, actor)
    with pytest.raises(ValidationError) as refused:
        report_reject(actor=actor, rectification=rectification, reason="太少")
    assert "只有企业已报告" in refused.value.message_dict["reason"][0]
    rectification_report(actor=enterprise_user, rectification=rectification, text="已整改")
    with pytest.raises(ValidationError) as refused:
        report_reject(actor=actor, rectification=rectification, reason="")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        report_reject(
            actor=actor,
            rectification=rectification,
            reason="太少",
            new_deadline=timezone.localdate(),
        )
    assert "晚于今天" in refused.value.message_dict["new_deadline"][0]


def test_a_closed_rectification_takes_no_more_reports(department, enterprise, enterprise_user):
    actor = officer(department)
    _, rectification = rectified(department, enterprise, actor)
    rectification_report(actor=enterprise_user, rectification=rectification, text="已整改")
    rectification_close_documentary(actor=actor, rectification=rectification, note="可以")
    with pytest.raises(ValidationError) as refused:
        rectification_report(actor=enterprise_user, rectification=rectification, text="再报")
    assert "关闭" in refused.value.message_dict["text"][0]


def test_only_the_enterprise_itself_reports_and_only_the_department_closes(
    department, enterprise, enterprise_user, dept_admin
):
    actor = officer(department)
    _, rectification = rectified(department, enterprise, actor)
    stranger = officer(DepartmentFactory())
    with pytest.raises(PermissionDenied):
        rectification_report(actor=actor, rectification=rectification, text="代报")
    rectification_report(actor=enterprise_user, rectification=rectification, text="已整改")
    with pytest.raises(PermissionDenied):
        rectification_close_documentary(actor=stranger, rectification=rectification, note="好")
    rectification_close_documentary(actor=dept_admin, rectification=rectification, note="好")


def test_opening_the_notice_records_the_first_time_only(department, enterprise, enterprise_user):
    actor = officer(department)
    action, rectification = rectified(department, enterprise, actor)
    first = notice_seen(actor=enterprise_user, notice=rectification.notice).seen_at
    again = notice_seen(actor=enterprise_user, notice=rectification.notice).seen_at
    assert first is not None and first == again
    assert _verbs(rectification.notice).count("outcomes.notice_seen") == 1


# ---------------------------------------------------------------- re-check


def _recheck(department, enterprise, day):
    return inspection(department, enterprise, items=1, day=day, origin=Origin.RECHECK)


def test_a_passed_recheck_closes_it_on_the_recheck_day(department, enterprise):
    actor = officer(department)
    today = timezone.localdate()
    _, rectification = rectified(department, enterprise, actor, day=today - 10 * DAY)
    visit = _recheck(department, enterprise, today - 2 * DAY)

    rectification_recheck(
        actor=actor, rectification=rectification, action=visit, passed=True, note="已整改"
    )
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.CLOSED
    assert (rectification.closed_how, rectification.recheck) == ("recheck", visit)
    assert rectification.closed_on == today - 2 * DAY


def test_a_failed_recheck_keeps_it_open_with_a_later_deadline(department, enterprise):
    actor = officer(department)
    today = timezone.localdate()
    _, rectification = rectified(department, enterprise, actor, day=today - 10 * DAY)
    visit = _recheck(department, enterprise, today)
    with pytest.raises(ValidationError) as refused:
        rectification_recheck(
            actor=actor,
            rectification=rectification,
            action=visit,
            passed=False,
            note="仍堵塞",
            new_deadline=today,
        )
    assert "晚于今天" in refused.value.message_dict["new_deadline"][0]

    rectification_recheck(
        actor=actor,
        rectification=rectification,
        action=visit,
        passed=False,
        note="仍堵塞",
        new_deadline=today + 7 * DAY,
    )
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.ORDERED
    assert rectification.deadline == today + 7 * DAY
    assert rectification.recheck == visit


@pytest.mark.parametrize(
    "what, expected",
    [
        ("origin", "整改复查"),
        ("department", "本部门"),
        ("enterprise", "本部门对该企业"),
        ("before", "不能早于告知日期"),
    ],
)
def test_a_recheck_must_be_the_departments_recheck_of_the_enterprise_after_the_notice(
    department, enterprise, what, expected
):
    actor = officer(department)
    today = timezone.localdate()
    _, rectification = rectified(department, enterprise, actor, day=today - 10 * DAY)
    if what == "origin":
        visit = inspection(department, enterprise, items=1, day=today)
    elif what == "department":
        visit = _recheck(DepartmentFactory(), enterprise, today)
    elif what == "enterprise":
        visit = _recheck(department, EnterpriseFactory(), today)
    else:
        visit = _recheck(department, enterprise, today - 11 * DAY)
    with pytest.raises(ValidationError) as refused:
        rectification_recheck(
            actor=actor, rectification=rectification, action=visit, passed=True, note=""
        )
    assert expected in refused.value.message_dict["action"][0]


# ---------------------------------------------------------------- deadlines and overdue


def test_overdue_flagging_sets_the_first_day_past_the_deadline_once(department, enterprise):
    actor = officer(department)
    today = timezone.localdate()
    _, late = rectified(
        department, enterprise, actor, day=today - 20 * DAY, deadline=today - 5 * DAY
    )
    _, due_today = rectified(department, enterprise, actor, day=today - 20 * DAY, deadline=today)

    assert rectifications_flag_overdue(today=today) == 1
    late.refresh_from_db()
    due_today.refresh_from_db()
    assert late.overdue_on == today - 4 * DAY
    assert due_today.overdue_on is None
    # the next day the one due today is late too; the first keeps its day
    assert rectifications_flag_overdue(today=today + DAY) == 1
    late.refresh_from_db()
    assert late.overdue_on == today - 4 * DAY
    assert _verbs(late).count("outcomes.rectification_overdue") == 1
    assert AuditEvent.objects.filter(verb="outcomes.rectification_overdue").first().actor_label


def test_a_closed_rectification_is_never_flagged(department, enterprise, enterprise_user):
    actor = officer(department)
    today = timezone.localdate()
    _, rectification = rectified(
        department, enterprise, actor, day=today - 20 * DAY, deadline=today - 5 * DAY
    )
    visit = _recheck(department, enterprise, today - 6 * DAY)
    rectification_recheck(
        actor=actor, rectification=rectification, action=visit, passed=True, note=""
    )
    assert rectifications_flag_overdue(today=today) == 0


def test_closing_after_the_deadline_records_the_overdue_day_even_unflagged(
    department, enterprise, enterprise_user
):
    actor = officer(department)
    today = timezone.localdate()
    _, rectification = rectified(
        department, enterprise, actor, day=today - 20 * DAY, deadline=today - 3 * DAY
    )
    rectification_report(actor=enterprise_user, rectification=rectification, text="迟了")
    rectification_close_documentary(actor=actor, rectification=rectification, note="已整改")
    rectification.refresh_from_db()
    assert rectification.overdue_on == today - 2 * DAY


def test_an_order_recorded_only_after_its_deadline_is_never_flagged(
    department, enterprise, enterprise_user
):
    # given a rectification entered today whose deadline had already passed (the 一表通查
    # form's old lines, moved here by the migration)
    actor = officer(department)
    today = timezone.localdate()
    _, rectification = rectified(
        department, enterprise, actor, day=today - 20 * DAY, deadline=today - 5 * DAY
    )
    Rectification.objects.filter(pk=rectification.pk).update(created_at=timezone.now())

    # then neither the daily flagging nor a late closure holds the deadline against it
    assert rectifications_flag_overdue(today=today) == 0
    rectification_report(actor=enterprise_user, rectification=rectification, text="已整改")
    rectification_close_documentary(actor=actor, rectification=rectification, note="已整改")
    rectification.refresh_from_db()
    assert rectification.overdue_on is None


def test_the_command_flags_overdue_rectifications(department, enterprise, capsys):
    actor = officer(department)
    today = timezone.localdate()
    _, rectification = rectified(
        department, enterprise, actor, day=today - 20 * DAY, deadline=today - 2 * DAY
    )
    call_command("outcomes_overdue")
    rectification.refresh_from_db()
    assert rectification.overdue_on == today - DAY
    assert "overdue: 1" in capsys.readouterr().out


def test_a_notice_deadline_before_the_notice_is_refused(department, enterprise):
    actor = officer(department)
    action = inspection(department, enterprise, items=1)
    findings(actor, action)
    with pytest.raises(ValidationError) as refused:
        notice(actor, action, deadline=action.date - DAY)
    assert any(k.startswith("deadline_") for k in refused.value.message_dict)


# ---------------------------------------------------------------- clashes


def test_two_departments_on_one_topic_flag_a_clash_a_third_extends_it(enterprise):
    fire, safety, building = DepartmentFactory(), DepartmentFactory(), DepartmentFactory()
    rectified(fire, enterprise, topic=Topic.FIRE)
    assert not RequirementClash.objects.exists()
    rectified(safety, enterprise, topic=Topic.FIRE)
    clash = RequirementClash.objects.get()
    assert clash.status == ClashStatus.OPEN
    assert {r.department for r in clash.rectifications.all()} == {fire, safety}

    rectified(building, enterprise, topic=Topic.FIRE)
    assert RequirementClash.objects.get().rectifications.count() == 3
    # another topic or another enterprise makes none
    rectified(building, enterprise, topic=Topic.ENVIRONMENT)
    rectified(safety, EnterpriseFactory(), topic=Topic.FIRE)
    assert RequirementClash.objects.count() == 1


def test_a_closed_rectification_does_not_clash(enterprise, enterprise_user):
    fire, safety = DepartmentFactory(), DepartmentFactory()
    fire_officer = officer(fire)
    _, first = rectified(fire, enterprise, fire_officer, topic=Topic.FIRE)
    rectification_report(actor=enterprise_user, rectification=first, text="已整改")
    rectification_close_documentary(actor=fire_officer, rectification=first, note="好")
    rectified(safety, enterprise, topic=Topic.FIRE)
    assert not RequirementClash.objects.exists()


def test_the_bureau_decides_a_clash_once_with_a_text(enterprise, justice_user):
    rectified(DepartmentFactory(), enterprise, topic=Topic.FIRE)
    rectified(DepartmentFactory(), enterprise, topic=Topic.FIRE)
    clash = RequirementClash.objects.get()
    with pytest.raises(ValidationError) as refused:
        clash_decide(actor=justice_user, clash=clash, confirmed=False, text=" ")
    assert "理由" in refused.value.message_dict["text"][0]
    clash_decide(actor=justice_user, clash=clash, confirmed=True, text="以消防部门方案为准")
    clash.refresh_from_db()
    assert (clash.status, clash.decided_by) == (ClashStatus.CONFIRMED, justice_user)
    with pytest.raises(ValidationError):
        clash_decide(actor=justice_user, clash=clash, confirmed=False, text="再议")


def test_a_department_cannot_decide_a_clash(enterprise, department):
    rectified(department, enterprise, topic=Topic.FIRE)
    rectified(DepartmentFactory(), enterprise, topic=Topic.FIRE)
    with pytest.raises(PermissionDenied):
        clash_decide(
            actor=officer(department),
            clash=RequirementClash.objects.get(),
            confirmed=True,
            text="我说了算",
        )

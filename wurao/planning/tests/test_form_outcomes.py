"""The consolidated form's results are what every inspection keeps (outcomes): an item check
per line, and the failing lines told to the enterprise at once with their rectifications —
entered and corrected on the form."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.outcomes.models import FindingNotice, ItemCheck, Rectification, RectificationReport
from wurao.planning import services_coordination
from wurao.planning.choices import ItemResult, default_topic
from wurao.planning.tests.test_pages_forms import form_url, joint_visit_build
from wurao.registry.tests.factories import DepartmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-07")]


@pytest.fixture
def joint(street):
    joint = joint_visit_build(street)
    # the market department checks a second item on the same visit
    joint.valves = InspectionItemFactory(department=joint.market.department, name="安全阀校验情况")
    joint.visit.inspections.get(plan__department=joint.market.department).items.add(joint.valves)
    return joint


def _deadline(joint, days=15):
    return joint.visit.date + datetime.timedelta(days=days)


def _post_row(item, **fields):
    return {f"item-{item.pk}-{k}": v for k, v in fields.items()}


def _record(joint, *, valves=ItemResult.PASS, item=ItemResult.FAIL):
    rows = []
    for target, result in ((joint.market.item, item), (joint.valves, valves)):
        failing = result == ItemResult.FAIL
        rows.append(
            {
                "item": target,
                "result": result,
                "finding": f"{target.name}不符合要求" if failing else "",
                "rectification": f"整改{target.name}" if failing else "",
                "rectify_by": _deadline(joint) if failing else None,
            }
        )
    return services_coordination.form_results_record(
        actor=joint.market.admin,
        visit=joint.visit,
        department=joint.market.department,
        results=rows,
    )


def _correct(joint, rows, reason="核对现场记录"):
    return services_coordination.form_results_correct(
        actor=joint.market.admin,
        visit=joint.visit,
        department=joint.market.department,
        results=rows,
        reason=reason,
    )


def test_the_departments_usual_topic_is_proposed_and_its_choice_and_hazard_kept(client, joint):
    # given the market department on the form
    client.force_login(joint.market.admin)
    page = client.get(form_url(joint)).content.decode()

    # then each row offers the topic its department usually orders, and a hazard
    topic = f'name="item-{joint.market.item.pk}-topic"'
    assert topic in page and 'value="market" selected' in page
    assert f'name="item-{joint.market.item.pk}-hazard"' in page

    # when it records a failing item in another field with a major hazard
    client.post(
        form_url(joint, "results/"),
        {
            **_post_row(
                joint.market.item,
                result=ItemResult.FAIL,
                finding="压力管道穿越厂房承重墙未设套管",
                rectification="加设套管并经检验合格",
                rectify_by=_deadline(joint).isoformat(),
                topic="building",
                hazard="3",
            ),
            **_post_row(joint.valves, result=ItemResult.PASS, topic="market", hazard="0"),
        },
    )

    # then the finding carries the hazard, its rectification the topic, and the form shows both
    check = ItemCheck.objects.get(item=joint.market.item)
    assert (check.result, check.hazard) == ("finding", 3)
    assert check.rectification.topic == "building"
    assert ItemCheck.objects.get(item=joint.valves).result == "compliant"
    page = client.get(form_url(joint)).content.decode()
    assert "重大隐患" in page and check.rectification.notice.number in page


def test_a_failing_row_without_a_finding_is_refused_beside_its_row(joint):
    with pytest.raises(ValidationError) as refused:
        services_coordination.form_results_record(
            actor=joint.market.admin,
            visit=joint.visit,
            department=joint.market.department,
            results=[
                {"item": joint.market.item, "result": ItemResult.FAIL, "rectification": "整改"},
                {"item": joint.valves, "result": ItemResult.PASS},
            ],
        )

    assert f"finding_{joint.market.item.pk}" in refused.value.message_dict
    assert not ItemCheck.objects.exists() and not joint.visit.visit.actions.exists()


def test_a_deadline_left_out_by_a_caller_is_thirty_days_after_the_visit(joint):
    services_coordination.form_results_record(
        actor=joint.market.admin,
        visit=joint.visit,
        department=joint.market.department,
        results=[
            {
                "item": joint.market.item,
                "result": ItemResult.FAIL,
                "finding": "超期",
                "rectification": "检验",
            },
            {"item": joint.valves, "result": ItemResult.PASS},
        ],
    )

    order = Rectification.objects.get()
    assert order.deadline == _deadline(joint, 30) and order.topic == "market"


def test_correcting_a_findings_text_keeps_its_notice_and_amends_its_order(joint):
    # given a failing item told to the enterprise
    _record(joint)
    order = Rectification.objects.get()

    # when the department corrects what it found and gives more time
    corrected = _correct(
        joint,
        [
            {
                "item": joint.market.item,
                "result": ItemResult.FAIL,
                "finding": "压力容器超期未检（两台）",
                "rectification": "两台压力容器均须完成定期检验",
                "rectify_by": _deadline(joint, 20),
            },
            {"item": joint.valves, "result": ItemResult.PASS},
        ],
    )

    # then the same order and notice stand, amended
    assert [c.item for c in corrected] == [joint.market.item]
    order.refresh_from_db()
    assert order.requirement == "两台压力容器均须完成定期检验"
    assert order.deadline == _deadline(joint, 20) and order.topic == "market"
    assert FindingNotice.objects.get() == order.notice
    check = ItemCheck.objects.get(item=joint.market.item)
    assert check.description == "压力容器超期未检（两台）"
    assert check.correction_reason == "核对现场记录"


def test_a_new_finding_joins_the_notice_already_issued(joint):
    # given one failing item told to the enterprise
    _record(joint)
    notice = FindingNotice.objects.get()

    # when the department corrects its other item to failing
    _correct(
        joint,
        [
            {"item": joint.market.item, "result": ItemResult.FAIL, "finding": "安全阀不符合要求"}
            | {"rectification": "整改特种设备安全管理情况", "rectify_by": _deadline(joint)},
            {
                "item": joint.valves,
                "result": ItemResult.FAIL,
                "finding": "安全阀校验过期",
                "rectification": "送检安全阀",
                "rectify_by": _deadline(joint, 10),
            },
        ],
    )

    # then the notice has both rectifications (still one notice for the visit's department)
    assert FindingNotice.objects.count() == 1
    assert set(notice.rectifications.values_list("requirement", flat=True)) == {
        "整改特种设备安全管理情况",
        "送检安全阀",
    }
    joint.visit.visit.refresh_from_db()
    action = joint.visit.visit.actions.get()
    assert action.finding == "problems" and "安全阀校验情况" in action.summary


def test_a_first_finding_by_correction_issues_the_notice(joint):
    _record(joint, item=ItemResult.PASS)
    assert not FindingNotice.objects.exists()

    _correct(
        joint,
        [
            {
                "item": joint.market.item,
                "result": ItemResult.FAIL,
                "finding": "超期未检",
                "rectification": "完成检验",
                "rectify_by": _deadline(joint),
            },
            {"item": joint.valves, "result": ItemResult.PASS},
        ],
    )

    notice = FindingNotice.objects.get()
    assert notice.issued_on == joint.visit.date and notice.rectifications.count() == 1


def test_a_finding_the_enterprise_reported_on_cannot_be_corrected_away(joint):
    # given a failing item whose rectification the enterprise has reported on
    _record(joint)
    order = Rectification.objects.get()
    RectificationReport.objects.create(rectification=order, text="已完成定期检验")
    Rectification.objects.filter(pk=order.pk).update(status="reported")

    # when the department tries to correct it to compliant
    with pytest.raises(ValidationError) as refused:
        _correct(
            joint,
            [
                {"item": joint.market.item, "result": ItemResult.PASS},
                {"item": joint.valves, "result": ItemResult.PASS},
            ],
        )

    # then it is refused beside the row, and nothing changed
    assert "企业已报告或已复查" in refused.value.message_dict[f"result_{joint.market.item.pk}"][0]
    assert Rectification.objects.filter(pk=order.pk).exists()
    assert ItemCheck.objects.get(item=joint.market.item).result == "finding"


@pytest.mark.parametrize(
    ("code", "name", "topic"),
    [
        ("YJGL", "区应急管理局", "work_safety"),
        ("SZ-STHJ", "深圳市生态环境局龙华管理局", "environment"),
        ("XF-99", "某消防救援站", "fire"),
        ("ZF-FC", "福城街道综合行政执法队", "other"),
    ],
)
def test_a_departments_usual_topic(code, name, topic):
    assert default_topic(DepartmentFactory.build(code=code, name=name)) == topic

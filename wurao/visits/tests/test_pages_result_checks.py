"""A visit's results with their items' results (outcomes.ItemCheck): the visit's page says
which items were found wanting, and links each department's action to its per-item page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.choices import ActionKind, Finding
from wurao.outcomes.models import ItemCheck
from wurao.registry.tests.factories import DepartmentFactory
from wurao.visits import services
from wurao.visits.choices import VisitStatus
from wurao.visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    department = DepartmentFactory(code="XFJY", name="区消防救援大队")
    admin = UserFactory(role=Role.DEPT_ADMIN, department=department, username="xf_admin")
    exits = InspectionItemFactory(department=department, name="安全出口与疏散通道")
    alarms = InspectionItemFactory(department=department, name="火灾自动报警系统")
    visit = VisitFactory(department=department, status=VisitStatus.COMPLETED, items=[exits, alarms])
    return department, admin, visit, exits, alarms


def _record(scene, rows):
    department, admin, visit, *_ = scene
    return services.visit_result_record(
        actor=admin,
        visit=visit,
        department=department,
        kind=ActionKind.INSPECTION,
        finding=Finding.PROBLEMS,
        summary="疏散通道堵塞",
        checks=rows,
    )


def test_the_visit_page_names_the_items_found_wanting(client, scene):
    # given a department's result recorded with its items' results, one a finding
    _department, admin, visit, exits, alarms = scene
    action = _record(
        scene,
        [
            {
                "item": exits,
                "result": "finding",
                "description": "二层疏散通道堆放纸箱",
                "hazard": 1,
            },
            {"item": alarms, "result": "compliant"},
        ],
    )
    assert ItemCheck.objects.filter(action=action).count() == 2

    # when the officer opens the visit's page
    client.force_login(admin)
    page = client.get(reverse("visits:detail", args=[visit.code])).content.decode()

    # then the wanting item is listed with what was found and its hazard, the other is not,
    # and the action links to its per-item page
    assert 'data-wanting="1"' in page and "发现问题的事项（1 项）" in page
    assert "安全出口与疏散通道" in page and "二层疏散通道堆放纸箱" in page and "一般隐患" in page
    wanting = page[page.index('class="mb-0 ps-3 wanting-items"') :]
    assert "火灾自动报警系统" not in wanting[: wanting.index("</ul>")]
    assert f'href="{reverse("findings:action", kwargs={"pk": action.pk})}"' in page


def test_a_result_whose_items_were_all_compliant_says_so(client, scene):
    _department, admin, visit, exits, alarms = scene
    _record(
        scene, [{"item": exits, "result": "compliant"}, {"item": alarms, "result": "compliant"}]
    )
    client.force_login(admin)

    page = client.get(reverse("visits:detail", args=[visit.code])).content.decode()

    assert 'data-wanting="0"' in page and "所查事项均未发现问题" in page


def test_a_result_cannot_be_corrected_to_clean_while_items_are_found_wanting(scene):
    department, admin, visit, exits, _alarms = scene
    action = _record(scene, [{"item": exits, "result": "finding", "description": "通道堵塞"}])

    with pytest.raises(ValidationError) as refused:
        services.visit_result_correct(
            actor=admin,
            visit=visit,
            action=action,
            finding=Finding.CLEAN,
            summary="",
            reason="误录",
        )

    assert "1 个事项发现问题" in refused.value.message_dict["finding"][0]
    action.refresh_from_db()
    assert action.finding == Finding.PROBLEMS

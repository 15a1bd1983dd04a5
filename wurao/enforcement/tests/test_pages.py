"""Enforcement record pages: each role sees its own slice, and nothing else exists for it."""

import datetime

import pytest
from django.urls import reverse

from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.choices import ActionKind, Origin
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    InspectorFactory,
    StreetFactory,
)
from wurao.visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_department():
    return DepartmentFactory(name="区市场监督管理局", code="SC")


@pytest.mark.parametrize(
    "role_user", ["justice_user", "dept_admin", "street_user", "enterprise_user"]
)
def test_action_list_renders_for_each_role(client, request, role_user, department, enterprise):
    EnforcementActionFactory(department=department, enterprise=enterprise)
    client.force_login(request.getfixturevalue(role_user))

    response = client.get(reverse("enforcement:action-list"))

    assert response.status_code == 200
    assert enterprise.name in response.content.decode()


def test_department_admin_does_not_see_another_departments_action(
    client, dept_admin, department, other_department
):
    EnforcementActionFactory(
        department=department, enterprise=EnterpriseFactory(name="本局检查的企业")
    )
    foreign = EnforcementActionFactory(
        department=other_department, enterprise=EnterpriseFactory(name="他局检查的企业")
    )
    client.force_login(dept_admin)

    listing = client.get(reverse("enforcement:action-list")).content.decode()
    detail = client.get(reverse("enforcement:action-detail", args=[foreign.pk]))

    assert "本局检查的企业" in listing
    assert "他局检查的企业" not in listing
    assert detail.status_code == 404


def test_enterprise_user_cannot_open_an_action_on_another_enterprise(
    client, enterprise_user, enterprise
):
    own = EnforcementActionFactory(enterprise=enterprise)
    foreign = EnforcementActionFactory()
    client.force_login(enterprise_user)

    assert client.get(reverse("enforcement:action-detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("enforcement:action-detail", args=[foreign.pk])).status_code == 404


def test_street_user_sees_actions_on_enterprises_in_their_street_only(
    client, street_user, enterprise
):
    EnforcementActionFactory(enterprise=enterprise)
    outside = EnforcementActionFactory(
        enterprise=EnterpriseFactory(street=StreetFactory(), name="外街企业")
    )
    client.force_login(street_user)

    listing = client.get(reverse("enforcement:action-list")).content.decode()

    assert enterprise.name in listing and "外街企业" not in listing
    assert client.get(reverse("enforcement:action-detail", args=[outside.pk])).status_code == 404


def test_action_list_filters_by_year_kind_and_origin(client, justice_user):
    EnforcementActionFactory(
        enterprise=EnterpriseFactory(name="二〇年处罚企业"),
        date=datetime.date(2020, 3, 1),
        kind=ActionKind.PENALTY,
        origin=Origin.COMPLAINT,
    )
    EnforcementActionFactory(
        enterprise=EnterpriseFactory(name="二〇年检查企业"), date=datetime.date(2020, 4, 1)
    )
    EnforcementActionFactory(
        enterprise=EnterpriseFactory(name="一九年处罚企业"),
        date=datetime.date(2019, 4, 1),
        kind=ActionKind.PENALTY,
        origin=Origin.COMPLAINT,
    )
    client.force_login(justice_user)

    page = client.get(
        reverse("enforcement:action-list"), {"year": 2020, "kind": "penalty", "origin": "complaint"}
    ).content.decode()

    assert "二〇年处罚企业" in page
    assert "二〇年检查企业" not in page and "一九年处罚企业" not in page


def test_justice_may_filter_by_department_but_a_department_is_not_offered_the_choice(
    client, justice_user, dept_admin, department, other_department
):
    EnforcementActionFactory(
        department=department, enterprise=EnterpriseFactory(name="应急检查企业")
    )
    EnforcementActionFactory(
        department=other_department, enterprise=EnterpriseFactory(name="市监检查企业")
    )

    client.force_login(justice_user)
    justice_page = client.get(
        reverse("enforcement:action-list"), {"department": other_department.pk}
    ).content.decode()
    client.force_login(dept_admin)
    department_page = client.get(reverse("enforcement:action-list")).content.decode()

    assert "市监检查企业" in justice_page and "应急检查企业" not in justice_page
    assert 'name="department"' in justice_page
    assert 'name="department"' not in department_page


def test_action_detail_shows_items_with_legal_basis_officers_and_joint_visit(
    client, justice_user, department, other_department, enterprise
):
    item = InspectionItemFactory(
        department=department,
        name="有限空间作业检查",
        law="工贸企业有限空间作业安全规定",
        article="第十条",
    )
    officer = InspectorFactory(department=department, name="陈执法", badge_no="44030900099999")
    action = EnforcementActionFactory(
        department=department, enterprise=enterprise, joint_ref="LH-2020-0007"
    )
    action.items.add(item)
    action.officers.add(officer)
    EnforcementActionFactory(
        department=other_department, enterprise=enterprise, joint_ref="LH-2020-0007"
    )
    client.force_login(justice_user)

    page = client.get(reverse("enforcement:action-detail", args=[action.pk])).content.decode()

    assert "有限空间作业检查" in page and "《工贸企业有限空间作业安全规定》第十条" in page
    assert "陈执法" in page and "44030900099999" in page
    assert "LH-2020-0007" in page
    assert "区市场监督管理局 · 行政检查" in page


def test_action_list_of_one_enterprise_names_it(client, justice_user, enterprise):
    EnforcementActionFactory(enterprise=enterprise)
    client.force_login(justice_user)

    page = client.get(
        reverse("enforcement:action-list"), {"enterprise": enterprise.pk}
    ).content.decode()

    assert f"执法记录 · {enterprise.name}" in page


def test_an_action_taken_on_a_visit_shows_its_finding_origin_and_visit_code(client, justice_user):
    # given an inspection recorded on a joint visit, which found problems
    visit = VisitFactory(origin="joint")
    action = EnforcementActionFactory(
        enterprise=visit.enterprise,
        department=visit.department,
        visit=visit,
        origin="joint",
        finding="problems",
        summary="消防通道堵塞",
    )
    client.force_login(justice_user)

    # when the justice bureau opens it
    page = client.get(f"/enforcement/actions/{action.pk}/").content.decode()

    # then it reads as a joint visit's finding, with the code to check the visit by
    assert "联合检查" in page and "发现问题" in page
    assert f'href="/v/{visit.code}/"' in page and visit.code_display in page

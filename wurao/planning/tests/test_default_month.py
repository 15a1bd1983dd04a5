"""The planning month pages (排期统筹, 本部门入企安排) open on the month being planned when it
holds the user's planned inspections, else on the latest month before it that does (early in a
month nothing is filed for the next one yet), and say which they chose."""

import pytest
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.planning import services
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory
from wurao.registry.workdays import month_end, month_start, next_month

pytestmark = pytest.mark.django_db

LATEST = "下月还没有计划检查，默认显示有计划检查的最近月份。"
PLANNED = "默认显示正在报送和排期的下月。"


def _heading(month) -> str:
    return f"{month.year}年{month.month}月"


@pytest.fixture
def admin():
    department = DepartmentFactory(name="区应急管理局")
    return UserFactory(role=Role.DEPT_ADMIN, department=department)


def _plan(admin, enterprise, month):
    return services.plan_entry_add(
        actor=admin,
        department=admin.department,
        month=month,
        enterprise=enterprise,
        items=[InspectionItemFactory(department=admin.department)],
        earliest=month_start(month),
        latest=month_end(month),
        late_reason="补报：测试默认月份",
    )


def test_a_department_with_nothing_filed_for_next_month_opens_on_this_months_assignments(
    client, admin, street
):
    # given an inspection planned this month and nothing yet for next month
    this_month = month_start(timezone.localdate())
    _plan(admin, EnterpriseFactory(street=street, name="本月计划企业"), this_month)
    client.force_login(admin)

    # when the department opens its assignments
    page = client.get("/planning/assignments/").content.decode()

    # then it sees this month's inspection and is told why this month
    assert _heading(this_month) in page and "本月计划企业" in page
    assert LATEST in page


def test_the_page_opens_on_next_month_once_something_is_filed_for_it(client, admin, street):
    # given inspections planned this month and next month
    this_month = month_start(timezone.localdate())
    _plan(admin, EnterpriseFactory(street=street, name="本月计划企业"), this_month)
    _plan(admin, EnterpriseFactory(street=street, name="下月计划企业"), next_month(this_month))
    client.force_login(admin)

    # when the department opens its assignments
    page = client.get("/planning/assignments/").content.decode()

    # then it opens on the month being planned, and says so
    assert _heading(next_month(this_month)) in page and "下月计划企业" in page
    assert PLANNED in page and "本月计划企业" not in page


def test_the_street_coordinator_opens_on_the_latest_month_planned_in_its_street(
    client, admin, street, street_user
):
    # given an inspection planned this month on an enterprise of the coordinator's street
    this_month = month_start(timezone.localdate())
    _plan(admin, EnterpriseFactory(street=street), this_month)
    client.force_login(street_user)

    # when the coordinator opens 排期统筹, and then asks for next month
    default = client.get("/planning/schedule/").content.decode()
    asked = client.get("/planning/schedule/", {"month": f"{next_month(this_month):%Y-%m}"})

    # then it opens on this month and says why; a month asked for is shown without a note
    assert f"{_heading(this_month)}联合检查统筹" in default and LATEST in default
    assert "默认显示" not in asked.content.decode()


def test_with_nothing_planned_anywhere_the_page_opens_on_next_month(client, street_user):
    client.force_login(street_user)

    page = client.get("/planning/schedule/").content.decode()

    planned = next_month(timezone.localdate())
    assert f"{_heading(planned)}联合检查统筹" in page and PLANNED in page


def test_the_justice_bureau_opens_the_plans_on_the_latest_month_filed(
    client, admin, street, justice_user
):
    # given a plan filed this month and none yet for next month
    this_month = month_start(timezone.localdate())
    _plan(admin, EnterpriseFactory(street=street), this_month)
    client.force_login(justice_user)

    # when the justice bureau opens the plans, and one department's plan
    overview = client.get("/planning/plans/").content.decode()
    one = client.get("/planning/plans/", {"department": admin.department_id}).content.decode()

    # then both open on this month, and say why
    assert f"{this_month:%Y年%m月}各部门检查计划" in overview and LATEST in overview
    assert "区应急管理局" in overview
    assert f"{this_month:%Y年%m月}检查计划" in one and LATEST in one


def test_a_department_opens_its_plan_on_next_month_where_it_files(client, admin, street):
    # given a plan filed this month and none yet for next month
    this_month = month_start(timezone.localdate())
    _plan(admin, EnterpriseFactory(street=street), this_month)
    client.force_login(admin)

    # when the department opens its plan, it is next month's, to be filed
    page = client.get("/planning/plans/").content.decode()

    assert f"{next_month(this_month):%Y年%m月}检查计划" in page and "默认显示" not in page

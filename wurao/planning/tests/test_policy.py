"""Planning's rules (wurao.accounts.policy.planning) as the pages and services apply them, and
the plan's rules checked without writing (selectors_checks.plan_entry_check)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wurao.accounts.choices import Role
from wurao.accounts.policy import allows
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.planning import selectors_checks, services
from wurao.planning.models import JointVisit, MonthlyPlan, PlannedInspection
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, StreetFactory

# Plans for March 2027 are filed ahead: written for a day before their deadline (25 February).
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-07")]

PAST_MONTH = datetime.date(2024, 3, 1)  # its deadline has passed: a plan would be locked


def _arguments(enterprise, items, **changes) -> dict:
    arguments = {
        "month": PAST_MONTH,
        "enterprise": enterprise,
        "items": items,
        "earliest": datetime.date(2024, 3, 4),
        "latest": datetime.date(2024, 3, 20),
        "hours": 2,
        "origin": "routine",
        "campaign": None,
        "draw_task": None,
    }
    return arguments | changes


def test_the_check_finds_what_the_service_refuses_and_writes_nothing(
    dept_admin, department, enterprise
):
    # given an entry with several things wrong, in a month whose plan would be locked
    items = [InspectionItemFactory(department=department)]
    arguments = _arguments(enterprise, items, latest=datetime.date(2024, 4, 2), origin="campaign")
    events = AuditEvent.objects.count()

    # when it is checked, then every reason is found (the late addition's too) ...
    errors = selectors_checks.plan_entry_check(department=department, **arguments)
    assert set(errors) == {"earliest", "campaign", "late_reason"}
    # ... and nothing is written: no plan, no entry, no audit event
    assert not MonthlyPlan.objects.exists() and not PlannedInspection.objects.exists()
    assert AuditEvent.objects.count() == events

    # and the service refuses the same entry with the same reasons
    with pytest.raises(ValidationError) as refused:
        services.plan_entry_add(actor=dept_admin, department=department, **arguments)
    assert refused.value.message_dict == {field: [text] for field, text in errors.items()}


def test_the_plan_page_checks_an_unreadable_form_without_writing(client, dept_admin, department):
    # given a department filing for a past month (its plan would be created locked)
    InspectionItemFactory(department=department)
    client.force_login(dept_admin)
    events = AuditEvent.objects.count()

    # when the enterprise cannot be read and no reason for the late addition is given
    response = client.post(
        "/planning/plans/entries/new/",
        {
            "month": "2024-03",
            "enterprise": "不存在的企业",
            "earliest": "2024-03-04",
            "latest": "2024-03-20",
            "hours": "2",
            "origin": "routine",
        },
    )

    # then the page shows the lock too, and no plan was created on the way
    page = response.content.decode()
    assert response.status_code == 200
    assert "补报须说明理由" in page and "企业库中没有“不存在的企业”" in page
    assert not MonthlyPlan.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_superuser_files_for_a_named_department_but_has_no_filing_pages(department, enterprise):
    # given a superuser without a department of their own (a script's account)
    root = UserFactory(username="root", is_superuser=True, role=Role.JUSTICE)
    item = InspectionItemFactory(department=department)

    # then the services take its entry for the department it names ...
    arguments = _arguments(enterprise, [item], late_reason="脚本补录")
    entry = services.plan_entry_add(actor=root, department=department, **arguments)
    assert entry.plan.department == department
    # ... while the filing pages, which file for one's own department, are not theirs
    assert not allows(root, "planning.plan")
    assert allows(root, "planning.plans_read")


def test_a_coordinator_adjusts_only_its_own_streets_visits(street_user, street, justice_user):
    # given a visit in the coordinator's street and one in another street
    elsewhere = EnterpriseFactory(street=StreetFactory())
    day = datetime.date(2027, 3, 3)
    own = JointVisit.objects.create(
        month=day, enterprise=EnterpriseFactory(street=street), street=street, date=day
    )
    other = JointVisit.objects.create(
        month=day, enterprise=elsewhere, street=elsewhere.street, date=day
    )

    # then the coordinator adjusts its own street's only; the bureau any street's
    assert allows(street_user, "planning.joint_visit_coordinate", own)
    assert not allows(street_user, "planning.joint_visit_coordinate", other)
    assert allows(justice_user, "planning.joint_visit_coordinate", other)


def test_a_department_admin_sets_only_its_own_capacity(dept_admin, department):
    other = DepartmentFactory()

    services.capacity_set(actor=dept_admin, department=department, teams=3, hours_per_team=6)
    with pytest.raises(PermissionDenied, match="只能由本部门管理员设置检查能力"):
        services.capacity_set(actor=dept_admin, department=other, teams=3, hours_per_team=6)

"""Registration details (services/registration.py) not covered by test_register: non-enforcement
visits, enforcement power, officers' certificates, approval, inactive items, how far ahead."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.choices import Level
from wurao.registry.tests.factories import DepartmentFactory, InspectorFactory
from wurao.visits import services
from wurao.visits.choices import VisitKind, VisitPurpose
from wurao.visits.choices import VisitStatus as S
from wurao.visits.tests.factories import NonEnforcementVisitFactory
from wurao.visits.tests.support import _reg, _today

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("audit_chain_stays_whole")]


# --- registration details not covered by test_register ----------------------------------------


def test_a_non_enforcement_visit_is_registered_lightly_and_not_judged_by_the_caps(
    justice_user, enterprise
):
    union = DepartmentFactory(name="区总工会", level=Level.DISTRICT, is_enforcement=False)
    year = _today().year
    for day in (datetime.date(year, 1, 2), datetime.date(year, 1, 3), datetime.date(year, 1, 4)):
        NonEnforcementVisitFactory(enterprise=enterprise, department=union, date=day)

    visit = services.visit_register(
        actor=justice_user,
        reg=services.Registration(
            enterprise=enterprise,
            kind=VisitKind.NON_ENFORCEMENT,
            department=union,
            day=_today(),
            purpose=VisitPurpose.UNION,
            note="职工之家建设走访",
        ),
    )

    assert visit.kind == VisitKind.NON_ENFORCEMENT and visit.status == S.REGISTERED
    assert visit.origin == "" and visit.purpose == VisitPurpose.UNION


def test_a_non_enforcement_visit_needs_a_purpose_and_a_note(justice_user, enterprise):
    union = DepartmentFactory(is_enforcement=False)

    with pytest.raises(ValidationError) as refused:
        services.visit_register(
            actor=justice_user,
            reg=services.Registration(
                enterprise=enterprise,
                kind=VisitKind.NON_ENFORCEMENT,
                department=union,
                day=_today(),
            ),
        )

    assert set(refused.value.message_dict) == {"purpose", "note"}


def test_an_organisation_without_enforcement_power_cannot_register_an_inspection(
    justice_user, enterprise
):
    union = DepartmentFactory(name="区妇联", is_enforcement=False)

    with pytest.raises(ValidationError) as refused:
        services.visit_register(actor=justice_user, reg=_reg(enterprise, union))

    assert "不是执法主体" in refused.value.message_dict["department"][0]


def test_officers_must_be_on_duty_with_a_valid_certificate(dept_admin, department, enterprise):
    expired = InspectorFactory(
        department=department,
        name="李四",
        certificate_valid_until=_today() - datetime.timedelta(days=1),
    )
    retired = InspectorFactory(department=department, name="王五", active=False)

    with pytest.raises(ValidationError) as refused:
        services.visit_register(
            actor=dept_admin, reg=_reg(enterprise, department, officers=(expired, retired))
        )

    message = refused.value.message_dict["officers"][0]
    assert (
        "李四" in message
        and "早于入企日期" in message
        and "王五" in message
        and "不在岗" in message
    )
    # and neither counts towards the two officers a department must send
    assert "不得少于 2 人" in message


def test_an_inspection_needs_the_department_head_approval(dept_admin, department, enterprise):
    reg = _reg(enterprise, department)
    unapproved = services.Registration(**{**reg.__dict__, "approver": "", "approval_ref": ""})
    # approved on a day still to come, though before the visit: approval comes first
    ahead = _reg(enterprise, department, day=_today() + datetime.timedelta(days=10))
    late_approval = services.Registration(
        **{**ahead.__dict__, "approved_on": _today() + datetime.timedelta(days=5)}
    )

    with pytest.raises(ValidationError) as missing:
        services.visit_register(actor=dept_admin, reg=unapproved)
    with pytest.raises(ValidationError) as late:
        services.visit_register(actor=dept_admin, reg=late_approval)

    assert "approver" in missing.value.message_dict
    assert "approved_on" in late.value.message_dict


def test_an_inactive_item_cannot_be_inspected(dept_admin, department, enterprise):
    withdrawn = InspectionItemFactory(department=department, active=False)

    with pytest.raises(ValidationError) as refused:
        services.visit_register(
            actor=dept_admin, reg=_reg(enterprise, department, items=(withdrawn,))
        )

    assert withdrawn.code in refused.value.message_dict["items"][0]


def test_a_visit_more_than_three_months_ahead_is_refused(dept_admin, department, enterprise):
    far = _today() + datetime.timedelta(days=93)

    with pytest.raises(ValidationError) as refused:
        services.visit_register(actor=dept_admin, reg=_reg(enterprise, department, day=far))

    assert "3 个月内" in refused.value.message_dict["day"][0]

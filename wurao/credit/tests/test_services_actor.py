"""The credit services check the actor themselves ([hardening]), as the pages do: an enterprise
signs, objects and applies for repair for itself only; the department that offers a commitment
item decides it. Anyone else is refused and nothing is written."""

import pytest
from django.core.exceptions import PermissionDenied

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.credit.choices import CommitmentStatus, RecordSource
from wurao.credit.models import CommitmentItem, CreditCommitment, CreditObjection, CreditRepair
from wurao.credit.services import commitment_decide, commitment_sign, objection_file, repair_apply
from wurao.enforcement.choices import ActionKind
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitment_item(department):
    return CommitmentItem.objects.create(
        department=department,
        code="YJ-CN-01",
        title="安全生产主体责任承诺",
        text="本企业承诺落实安全生产主体责任",
    )


@pytest.fixture
def other_enterprise_user():
    """The account of another enterprise."""
    return UserFactory(role=Role.ENTERPRISE, enterprise=EnterpriseFactory())


def _credit_events() -> int:
    return AuditEvent.objects.filter(verb__startswith="credit_").count()


@pytest.mark.parametrize("who", ["other_enterprise_user", "dept_admin", "justice_user"])
def test_only_the_enterprise_signs_its_own_commitment(request, who, enterprise, commitment_item):
    with pytest.raises(PermissionDenied, match="只有企业本身可以签署"):
        commitment_sign(
            actor=request.getfixturevalue(who), enterprise=enterprise, item=commitment_item
        )

    assert not CreditCommitment.objects.exists() and _credit_events() == 0


def test_only_the_item_s_department_decides_a_commitment(
    enterprise_user, enterprise, commitment_item
):
    # given a commitment the enterprise signed on the emergency bureau's item
    commitment = commitment_sign(actor=enterprise_user, enterprise=enterprise, item=commitment_item)
    events = _credit_events()
    other_admin = UserFactory(role=Role.DEPT_ADMIN, department=DepartmentFactory(code="WJ"))

    # when another department's admin (or the enterprise itself) decides it, it is refused
    for actor in (other_admin, enterprise_user):
        with pytest.raises(PermissionDenied, match="承诺事项所属部门的管理员"):
            commitment_decide(actor=actor, commitment=commitment, fulfilled=True)

    # and the commitment is still waiting for its department
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.SIGNED and commitment.decided_by is None
    assert _credit_events() == events


@pytest.mark.parametrize("file", [objection_file, repair_apply])
@pytest.mark.parametrize("who", ["other_enterprise_user", "dept_admin"])
def test_only_the_enterprise_objects_to_or_asks_to_repair_its_own_record(
    request, file, who, enterprise, department
):
    # given a penalty in the enterprise's file
    penalty = EnforcementActionFactory(
        enterprise=enterprise, department=department, kind=ActionKind.PENALTY
    )

    # when someone else files an objection or a repair for the enterprise, it is refused
    with pytest.raises(PermissionDenied, match="只有企业本身可以对本企业的记录"):
        file(
            actor=request.getfixturevalue(who),
            enterprise=enterprise,
            record_source=RecordSource.ACTION,
            record_id=penalty.pk,
            reason="处罚有误",
        )

    assert not CreditObjection.objects.exists() and not CreditRepair.objects.exists()
    assert _credit_events() == 0

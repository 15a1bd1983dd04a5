import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.credit.choices import CommitmentStatus, RecordSource, ReviewStatus
from wurao.credit.models import CommitmentItem, CreditObjection
from wurao.credit.services import (
    commitment_decide,
    commitment_sign,
    objection_file,
    repair_apply,
    review_decide,
    working_days_after,
)
from wurao.enforcement.choices import ActionKind
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%demo evidence\n"


@pytest.fixture
def penalty(enterprise, department):
    return EnforcementActionFactory(
        enterprise=enterprise, department=department, kind=ActionKind.PENALTY
    )


def test_fifteen_working_days_skip_weekends():
    # Friday 2026-11-27 + 15 working days = Friday 2026-12-18
    assert working_days_after(datetime.date(2026, 11, 27), 15) == datetime.date(2026, 12, 18)


def test_an_objection_goes_to_the_department_of_the_record_with_a_deadline(
    enterprise_user, enterprise, penalty
):
    objection = objection_file(
        actor=enterprise_user,
        enterprise=enterprise,
        record_source=RecordSource.ACTION,
        record_id=penalty.pk,
        reason="处罚决定已被复议撤销",
        evidence=SimpleUploadedFile("复议决定书.pdf", PDF, content_type="application/pdf"),
    )

    assert objection.department_id == penalty.department_id
    assert objection.status == ReviewStatus.SUBMITTED
    assert objection.due_on > datetime.date.today()
    assert AuditEvent.objects.filter(verb="credit_objection.file").count() == 1


def test_an_enterprise_cannot_object_to_another_enterprises_record(
    enterprise_user, enterprise, department
):
    other = EnforcementActionFactory(enterprise=EnterpriseFactory(), department=department)

    with pytest.raises(ValidationError) as refused:
        objection_file(
            actor=enterprise_user, enterprise=enterprise, record_source=RecordSource.ACTION,
            record_id=other.pk, reason="不是我们",
        )  # fmt: skip

    assert refused.value.message_dict == {"record_id": ["本企业没有该记录"]}


def test_evidence_that_is_not_what_its_name_says_is_refused(enterprise_user, enterprise, penalty):
    fake = SimpleUploadedFile("证明.pdf", b"just text", content_type="application/pdf")

    with pytest.raises(ValidationError, match="不是有效的 PDF"):
        repair_apply(
            actor=enterprise_user, enterprise=enterprise, record_source=RecordSource.ACTION,
            record_id=penalty.pk, reason="已整改", evidence=fake,
        )  # fmt: skip
    assert not CreditObjection.objects.exists()


def test_the_department_approves_with_reasons_and_the_effect_waits_for_publicity(
    enterprise_user, dept_admin, enterprise, penalty
):
    repair = repair_apply(
        actor=enterprise_user, enterprise=enterprise, record_source=RecordSource.ACTION,
        record_id=penalty.pk, reason="罚款已缴清并完成整改",
    )  # fmt: skip

    decided = review_decide(
        actor=dept_admin, request=repair, approve=True, reason="经核查已整改到位，同意修复"
    )

    assert decided.status == ReviewStatus.APPROVED
    assert decided.effective_from == datetime.date.today() + datetime.timedelta(days=7)
    with pytest.raises(ValidationError, match="已审核"):
        review_decide(actor=dept_admin, request=repair, approve=False, reason="再审")


def test_a_decision_needs_reasons(enterprise_user, dept_admin, enterprise, penalty):
    objection = objection_file(
        actor=enterprise_user, enterprise=enterprise, record_source=RecordSource.ACTION,
        record_id=penalty.pk, reason="有误",
    )  # fmt: skip

    with pytest.raises(ValidationError, match="审核意见"):
        review_decide(actor=dept_admin, request=objection, approve=False, reason=" ")


def test_review_decide_refuses_an_admin_of_another_department(enterprise_user, enterprise, penalty):
    # given an objection addressed to the penalty's department
    objection = objection_file(
        actor=enterprise_user, enterprise=enterprise, record_source=RecordSource.ACTION,
        record_id=penalty.pk, reason="有误",
    )  # fmt: skip
    other_admin = UserFactory(
        username="wj_admin", role=Role.DEPT_ADMIN, department=DepartmentFactory(code="WJ")
    )

    # when an admin of another department decides it, then the service refuses (policy rule
    # credit.review_register) and the objection stays submitted
    with pytest.raises(PermissionDenied, match="只有记录所属部门可以审核"):
        review_decide(actor=other_admin, request=objection, approve=True, reason="同意")
    objection.refresh_from_db()
    assert objection.status == ReviewStatus.SUBMITTED


def test_a_commitment_is_signed_then_found_broken_with_reasons(
    enterprise_user, dept_admin, enterprise, department
):
    item = CommitmentItem.objects.create(
        department=department,
        code="YJ-CN-01",
        title="安全生产主体责任承诺",
        text="本企业承诺落实安全生产主体责任",
    )
    commitment = commitment_sign(actor=enterprise_user, enterprise=enterprise, item=item)

    with pytest.raises(ValidationError, match="事实和理由"):
        commitment_decide(actor=dept_admin, commitment=commitment, fulfilled=False)
    broken = commitment_decide(
        actor=dept_admin, commitment=commitment, fulfilled=False, note="复查发现未整改"
    )

    assert broken.status == CommitmentStatus.BREACHED

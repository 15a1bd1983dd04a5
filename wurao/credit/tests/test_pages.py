"""The credit pages of the enterprise and of the departments: the grade with every reason,
objections and repairs with evidence, the review queue, commitments."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.credit.choices import CommitmentStatus, RecordSource, ReviewStatus
from wurao.credit.models import CommitmentItem, CreditCommitment, CreditObjection
from wurao.credit.points import DEFAULT_TABLE
from wurao.credit.points_json import table_to_dict
from wurao.credit.services import objection_file
from wurao.credit.services_grading import grades_recompute, points_table_publish
from wurao.credit.views_common import apportioned_cents, breakdown_cents
from wurao.enforcement.choices import ActionKind, Finding
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, StreetFactory

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2020, 12, 31)
PDF = b"%PDF-1.4\n%evidence\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def penalties(enterprise, department, justice_user):
    """Two penalties (one serious), a problem found at inspection and a clean one; graded."""
    serious = EnforcementActionFactory(
        enterprise=enterprise,
        department=department,
        kind=ActionKind.PENALTY,
        severity=3,
        date=datetime.date(2020, 3, 2),
    )
    EnforcementActionFactory(
        enterprise=enterprise,
        department=department,
        kind=ActionKind.PENALTY,
        severity=1,
        date=datetime.date(2020, 9, 14),
    )
    EnforcementActionFactory(
        enterprise=enterprise,
        department=department,
        kind=ActionKind.INSPECTION,
        finding=Finding.PROBLEMS,
        severity=2,
        date=datetime.date(2020, 11, 5),
    )
    EnforcementActionFactory(
        enterprise=enterprise,
        department=department,
        kind=ActionKind.INSPECTION,
        finding=Finding.CLEAN,
        date=datetime.date(2020, 5, 20),
    )
    grades_recompute(actor=justice_user, as_of=AS_OF)
    return serious


def _numbers(text: str) -> float:
    return float(text.replace("\u2212", "-").replace("+", ""))


def _breakdown(html: str) -> tuple[list[float], float]:
    points = [_numbers(p) for p in re.findall(r'data-points="([^"]+)"', html)]
    total = _numbers(re.search(r'id="breakdown-total">([^<]+)<', html)[1])
    return points, total


def test_the_enterprise_sees_its_grade_and_every_reason_and_they_add_up(
    client, enterprise_user, penalties
):
    # Given a graded enterprise with penalties, inspections and inherent risk
    client.force_login(enterprise_user)

    # When it opens its credit portal
    html = client.get(reverse("credit:portal")).content.decode()

    # Then it sees its grade, the table version and the date it was graded on
    assert re.search(r'id="grade-label">[ABCD] 级（', html)
    assert "第 1 版" in html and "2020-12-31" in html
    # and every contributing record with its reason
    for reason in ("行政处罚（严重）", "行政处罚（一般）", "检查发现问题", "检查未发现问题"):
        assert reason in html
    # and the base plus every row adds up, to the cent, to the score shown
    points, total = _breakdown(html)
    assert len(points) == 5  # the base and four records
    assert sum(points) == pytest.approx(total, abs=1e-9)
    score = _numbers(re.search(r'id="grade-score">([^<]+)<', html)[1])
    assert score == total
    # and what its grade means for supervision
    assert "抽查权重" in html and "免扰期" in html


def test_only_records_that_lower_the_score_can_be_objected_to(client, enterprise_user, penalties):
    client.force_login(enterprise_user)

    html = client.get(reverse("credit:portal")).content.decode()

    # three negative records from actions: two buttons each; the clean inspection has none
    assert html.count("提出异议</a>") == 3 and html.count("申请信用修复</a>") == 3
    clean = enterprise_user.enterprise.actions.get(finding=Finding.CLEAN)
    url = reverse("credit:request-new", args=[RecordSource.ACTION, clean.pk, "objection"])
    assert client.get(url).status_code == 404


def test_rounded_rows_add_up_to_the_rounded_total():
    values = [-10 / 3, -10 / 3, -10 / 3, 0.005, 1.0049]

    cents = apportioned_cents(values)

    assert sum(cents) == round(sum(values) * 100)
    assert all(abs(c - v * 100) < 1 for c, v in zip(cents, values, strict=True))


def test_a_capped_indicator_shows_its_cap_and_its_rows_add_up_to_it():
    # 36 clean inspections capped at +10, three penalties of a third each
    rows = [{"indicator": "inspection_clean", "points": 10 / 36}] * 36
    rows += [{"indicator": "penalty", "points": -10 / 3}] * 3

    cents = breakdown_cents(rows)

    assert sum(cents[:36]) == 1000 and sum(cents[36:]) == -1000
    assert set(cents[:36]) == {27, 28}


def test_an_enterprise_cannot_open_another_enterprises_breakdown(
    client, enterprise_user, penalties, street
):
    other = EnterpriseFactory(street=street)
    client.force_login(enterprise_user)

    response = client.get(reverse("credit:enterprise-detail", args=[other.pk]))

    assert response.status_code == 404


def test_departments_see_any_breakdown_and_a_street_only_its_area(
    client, dept_admin, street_user, enterprise, penalties
):
    elsewhere = EnterpriseFactory(street=StreetFactory(name="观湖街道", code="440309006"))

    client.force_login(dept_admin)
    assert client.get(reverse("credit:enterprise-detail", args=[elsewhere.pk])).status_code == 200
    html = client.get(reverse("credit:enterprise-detail", args=[enterprise.pk])).content.decode()
    points, total = _breakdown(html)
    assert sum(points) == pytest.approx(total, abs=1e-9)

    client.force_login(street_user)
    assert client.get(reverse("credit:enterprise-detail", args=[enterprise.pk])).status_code == 200
    assert client.get(reverse("credit:enterprise-detail", args=[elsewhere.pk])).status_code == 404


def test_the_registry_file_shows_the_grade_and_links_to_the_breakdown(
    client, dept_admin, enterprise, penalties
):
    client.force_login(dept_admin)

    html = client.get(reverse("dossier:enterprise-detail", args=[enterprise.pk])).content.decode()

    assert re.search(r"信用 [ABCD] 级 · \d+\.\d\d 分", html)
    assert reverse("credit:enterprise-detail", args=[enterprise.pk]) in html


def test_an_objection_goes_from_the_enterprise_to_the_department_and_back(
    client, enterprise_user, dept_admin, penalties
):
    # Given the enterprise objects to its serious penalty with a PDF
    client.force_login(enterprise_user)
    url = reverse("credit:request-new", args=[RecordSource.ACTION, penalties.pk, "objection"])
    response = client.post(
        url,
        {
            "reason": "该处罚决定已被行政复议撤销",
            "evidence": SimpleUploadedFile("复议决定书.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    objection = CreditObjection.objects.get()
    portal = client.get(reverse("credit:portal")).content.decode()
    assert "信用异议审核中" in portal and "待审核" in portal

    # When the department opens its queue, then the objection is there
    client.force_login(dept_admin)
    queue = client.get(reverse("credit:review-list")).content.decode()
    assert "该处罚决定已被行政复议撤销" in queue
    detail_url = reverse("credit:review-detail", args=["objection", objection.pk])
    detail = client.get(detail_url).content.decode()
    assert "复议决定书.pdf" in detail and 'id="decide-form"' in detail
    # and it approves it with reasons
    response = client.post(
        reverse("credit:review-decide", args=["objection", objection.pk]),
        {"decision": "approve", "decision_reason": "经核实，复议决定撤销了该处罚"},
    )
    assert response.status_code == 302

    # Then the enterprise sees the decision and the reasons
    client.force_login(enterprise_user)
    portal = client.get(reverse("credit:portal")).content.decode()
    assert "已通过" in portal and "经核实，复议决定撤销了该处罚" in portal
    assert "公示期满" in portal


def test_evidence_that_is_not_a_pdf_is_refused_at_the_evidence_field(
    client, enterprise_user, penalties
):
    client.force_login(enterprise_user)
    url = reverse("credit:request-new", args=[RecordSource.ACTION, penalties.pk, "repair"])

    response = client.post(
        url,
        {
            "reason": "罚款已缴清",
            "evidence": SimpleUploadedFile("缴款凭证.pdf", b"just some text"),
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'data-field="evidence">文件内容不是有效的 PDF 文件', html)
    assert not CreditObjection.objects.exists()


def test_a_request_without_reason_says_so_at_the_reason_field(client, enterprise_user, penalties):
    client.force_login(enterprise_user)
    url = reverse("credit:request-new", args=[RecordSource.ACTION, penalties.pk, "objection"])

    html = client.post(url, {"reason": "  "}).content.decode()

    assert 'data-field="reason">请写明理由' in html


def _objection(enterprise_user, enterprise, record):
    return objection_file(
        actor=enterprise_user,
        enterprise=enterprise,
        record_source=RecordSource.ACTION,
        record_id=record.pk,
        reason="不是本企业",
        evidence=SimpleUploadedFile("证明.pdf", PDF),
    )


def test_evidence_is_served_only_to_the_enterprise_its_department_and_the_bureau(
    client, enterprise_user, dept_admin, justice_user, street_user, enterprise, penalties
):
    objection = _objection(enterprise_user, enterprise, penalties)
    url = reverse("credit:review-evidence", args=["objection", objection.pk])
    other_department = UserFactory(
        role=Role.DEPT_ADMIN, department=DepartmentFactory(name="区市场监管局", code="SJ")
    )
    other_enterprise = UserFactory(
        role=Role.ENTERPRISE, enterprise=EnterpriseFactory(street=enterprise.street)
    )

    for user in (enterprise_user, dept_admin, justice_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user.username
        assert b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]
    for user in (other_enterprise, other_department, street_user):
        client.force_login(user)
        assert client.get(url).status_code == 404, user.username


def test_an_inspector_reads_the_queue_but_cannot_decide(
    client, enterprise_user, department, enterprise, penalties
):
    objection = _objection(enterprise_user, enterprise, penalties)
    inspector = UserFactory(role=Role.INSPECTOR, department=department)
    client.force_login(inspector)

    detail = client.get(reverse("credit:review-detail", args=["objection", objection.pk]))
    refused = client.post(
        reverse("credit:review-decide", args=["objection", objection.pk]),
        {"decision": "approve", "decision_reason": "同意"},
    )

    assert detail.status_code == 200 and 'id="decide-form"' not in detail.content.decode()
    assert refused.status_code == 403
    objection.refresh_from_db()
    assert objection.status == ReviewStatus.SUBMITTED


def test_a_decision_without_reasons_is_refused_at_its_field(
    client, enterprise_user, dept_admin, enterprise, penalties
):
    objection = _objection(enterprise_user, enterprise, penalties)
    client.force_login(dept_admin)

    html = client.post(
        reverse("credit:review-decide", args=["objection", objection.pk]),
        {"decision": "reject", "decision_reason": ""},
    ).content.decode()

    assert 'data-field="decision_reason">请写明审核意见和理由' in html


def test_overdue_requests_are_flagged_in_the_queue(
    client, enterprise_user, dept_admin, enterprise, penalties
):
    objection = _objection(enterprise_user, enterprise, penalties)
    CreditObjection.objects.filter(pk=objection.pk).update(due_on=datetime.date(2021, 1, 15))
    client.force_login(dept_admin)

    html = client.get(reverse("credit:review-list")).content.decode()
    only_overdue = client.get(reverse("credit:review-list"), {"overdue": "on"}).content.decode()

    assert 'data-overdue="1"' in html and "1 逾期" in html
    assert "不是本企业" in only_overdue


def test_an_enterprise_signs_a_commitment_and_the_department_finds_it_broken(
    client, enterprise_user, dept_admin, department, enterprise, penalties
):
    item = CommitmentItem.objects.create(
        department=department,
        code="YJ-CN-01",
        title="安全生产主体责任承诺",
        text="本企业承诺落实安全生产主体责任",
    )
    client.force_login(enterprise_user)
    assert "安全生产主体责任承诺" in client.get(reverse("credit:portal")).content.decode()

    response = client.post(reverse("credit:commitment-sign"), {"item": item.pk})
    assert response.status_code == 302
    commitment = CreditCommitment.objects.get()
    assert "已签署，待认定" in client.get(reverse("credit:portal")).content.decode()

    client.force_login(dept_admin)
    decide = reverse("credit:commitment-decide", args=[commitment.pk])
    prefix = f"c{commitment.pk}"
    html = client.post(decide, {f"{prefix}-outcome": "breached"}).content.decode()
    assert 'data-field="decision_note">认定未履行承诺须写明事实和理由' in html

    client.post(decide, {f"{prefix}-outcome": "breached", f"{prefix}-decision_note": "复查未整改"})
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.BREACHED


def test_the_breakdown_explains_a_grade_with_the_table_that_made_it(
    client, enterprise_user, justice_user, penalties
):
    # Given a stricter table published after the regrade, in force for the same date
    strict = table_to_dict(DEFAULT_TABLE)
    strict["thresholds"] = {"A": 130.0, "B": 120.0, "C": 110.0}
    points_table_publish(actor=justice_user, table=strict, effective_from=AS_OF)
    client.force_login(enterprise_user)

    html = client.get(reverse("credit:portal")).content.decode()

    # Then the page still explains the stored grade with version 1, and it adds up
    assert 'id="grade-table">第 1 版' in html
    points, total = _breakdown(html)
    assert sum(points) == pytest.approx(total, abs=1e-9)
    assert "A 级 ≥ 103" in html

"""Recording an off-site inspection (services_offsite.offsite_record): an inspection of mode
off_site with no visit, its evidence judged by content and size, every mistake by field,
audited; only a department's own staff record it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.choices import ActionKind, Mode, OffsiteMethod, Origin
from wurao.enforcement.models import EnforcementAction
from wurao.enforcement.services import action_record
from wurao.outcomes.choices import EvidenceKind
from wurao.outcomes.models import Evidence
from wurao.outcomes.services_offsite import EVIDENCE_MAX_BYTES, evidence_problem
from wurao.outcomes.tests.offsite_support import PDF, csv, officers_of, pdf, png, recorded, xlsx
from wurao.registry.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_an_off_site_inspection_is_an_inspection_without_a_visit(
    dept_admin, department, enterprise
):
    action = recorded(
        dept_admin,
        enterprise,
        department,
        method=OffsiteMethod.VIDEO,
        origin=Origin.RANDOM_DRAW,
        evidence=[
            {"kind": EvidenceKind.VIDEO, "file": png(), "note": "监控截图"},
            {"kind": EvidenceKind.DOCUMENT, "file": pdf()},
            {"kind": EvidenceKind.MONITORING, "file": xlsx()},
        ],
    )

    assert action.kind == ActionKind.INSPECTION and action.mode == Mode.OFF_SITE
    assert action.offsite_method == OffsiteMethod.VIDEO and action.visit is None
    assert action.origin == Origin.RANDOM_DRAW
    files = Evidence.objects.filter(action=action).order_by("pk")
    assert [e.name for e in files] == ["视频截图.png", "企业报送材料.pdf", "监测数据.xlsx"]
    assert files[0].note == "监控截图" and files[0].uploaded_by == dept_admin
    assert files[1].file.read() == PDF
    verbs = set(AuditEvent.objects.filter(object_id=str(action.pk)).values_list("verb", flat=True))
    assert {"enforcement_action.record", "outcomes.offsite_evidence"} <= verbs
    event = AuditEvent.objects.get(verb="enforcement_action.record", object_id=str(action.pk))
    assert event.payload["mode"] == "off_site" and event.payload["offsite_method"] == "video"


def test_every_mistake_is_named_at_its_field_at_once(dept_admin, department, enterprise):
    with pytest.raises(ValidationError) as refused:
        recorded(
            dept_admin,
            enterprise,
            department,
            day=datetime.date(2099, 1, 1),
            method="drone",
            origin=Origin.JOINT,
            officers=officers_of(department, 1),
            summary=" ",
            evidence=[{"kind": EvidenceKind.PHOTO, "file": pdf()}],
        )

    errors = refused.value.message_dict
    assert set(errors) == {"day", "method", "origin", "officers", "summary", "evidence"}
    assert "不得少于 2 人" in errors["officers"][0]
    assert "照片须为 JPG 或 PNG" in errors["evidence"][0]
    assert not EnforcementAction.objects.exists()


def test_another_departments_items_are_refused_by_name(dept_admin, department, enterprise):
    foreign = InspectionItemFactory(department=DepartmentFactory(), code="SJ-009")

    with pytest.raises(ValidationError) as refused:
        recorded(dept_admin, enterprise, department, items=[foreign])

    assert "SJ-009" in refused.value.message_dict["items"][0]
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("数据.pdf", b"MZ\x90\x00 not a pdf"), "不是有效的 PDF"),
        (SimpleUploadedFile("数据.png", PDF), "不是有效的 PNG"),
        (SimpleUploadedFile("数据.csv", b"\x00\x01\x02binary"), "不是有效的 CSV"),
        (SimpleUploadedFile("数据.xlsx", b"PK\x03\x04broken"), "不是有效的 XLSX"),
        (SimpleUploadedFile("程序.exe", b"MZ"), "只能上传"),
        (SimpleUploadedFile("空.pdf", b""), "空文件"),
    ],
)
def test_evidence_is_judged_by_its_content_not_its_name(upload, message):
    assert message in evidence_problem(upload, EvidenceKind.DOCUMENT)


def test_evidence_over_20_mb_is_refused():
    big = SimpleUploadedFile("大文件.pdf", PDF + b"0" * EVIDENCE_MAX_BYTES)

    assert "超过 20 MB" in evidence_problem(big, EvidenceKind.DOCUMENT)


def test_good_evidence_of_every_kind_passes():
    assert evidence_problem(csv(), EvidenceKind.MONITORING) == ""
    assert evidence_problem(xlsx(), EvidenceKind.MONITORING) == ""
    assert evidence_problem(png(), EvidenceKind.PHOTO) == ""
    assert evidence_problem(pdf(), EvidenceKind.DOCUMENT) == ""


@pytest.mark.parametrize("role", [Role.JUSTICE, Role.STREET, Role.ENTERPRISE])
def test_only_a_departments_staff_record_its_off_site_inspections(role, department, enterprise):
    outsider = UserFactory(role=role, street=enterprise.street, enterprise=enterprise)

    with pytest.raises(PermissionDenied):
        recorded(outsider, enterprise, department)


def test_another_departments_staff_cannot_record_in_its_name(department, enterprise):
    other = UserFactory(role=Role.INSPECTOR, department=DepartmentFactory())

    with pytest.raises(PermissionDenied):
        recorded(other, enterprise, department)


def test_an_action_off_site_must_be_an_inspection_without_a_visit(department, enterprise):
    with pytest.raises(ValidationError) as refused:
        action_record(
            actor="platform",
            enterprise=enterprise,
            department=department,
            day=datetime.date(2026, 3, 1),
            kind=ActionKind.PENALTY,
            origin=Origin.PLAN,
            mode=Mode.OFF_SITE,
        )

    assert set(refused.value.message_dict) == {"kind", "offsite_method"}

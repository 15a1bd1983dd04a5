"""Helpers of the off-site inspection tests (test_offsite_*.py): files as an officer uploads
them, and one recorded off-site inspection."""

import datetime
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.choices import OffsiteMethod, Origin
from wurao.outcomes.choices import EvidenceKind
from wurao.outcomes.services_offsite import offsite_record
from wurao.registry.tests.factories import InspectorFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name="企业报送材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name="视频截图.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def csv(name="在线监测数据.csv") -> SimpleUploadedFile:
    text = "时间,颗粒物(mg/m3)\n2026-03-01 08:00,12.5\n".encode("gb18030")
    return SimpleUploadedFile(name, text, content_type="text/csv")


def xlsx(name="监测数据.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def officers_of(department, n=2):
    far = datetime.date(2099, 12, 31)
    return InspectorFactory.create_batch(n, department=department, certificate_valid_until=far)


def recorded(actor, enterprise, department, *, day=None, items=None, **extra):
    """One off-site inspection by `department` of `enterprise`, with a monitoring extract."""
    return offsite_record(
        actor=actor,
        enterprise=enterprise,
        department=department,
        day=day or datetime.date(2026, 3, 2),
        method=extra.pop("method", OffsiteMethod.MONITORING),
        origin=extra.pop("origin", Origin.PLAN),
        items=items or [InspectionItemFactory(department=department)],
        officers=extra.pop("officers", None) or officers_of(department),
        summary=extra.pop("summary", "调取 3 月在线监测数据，颗粒物浓度均未超标"),
        evidence=extra.pop("evidence", None)
        or [{"kind": EvidenceKind.MONITORING, "file": csv(), "note": "3 月数据"}],
    )

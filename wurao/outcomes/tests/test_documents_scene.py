"""The scene the document and duty-record tests share (no tests here): a department's on-site
inspection during a registered visit with one finding and one compliant item, its notice, and
a penalty case decided on that finding with a discretion standard, band and linked articles."""

from __future__ import annotations

import dataclasses
import datetime
import io
import zipfile
from decimal import Decimal

from django.utils import timezone
from pypdf import PdfReader

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.services import audit_record
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.outcomes.choices import (
    CaseKind,
    CaseStatus,
    CheckResult,
    Disposition,
    Hazard,
    Topic,
)
from wurao.outcomes.models import Case, DiscretionBand, DiscretionStandard
from wurao.outcomes.services_checks import checks_record, notice_issue
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, InspectorFactory
from wurao.standards.tests.factories import ArticleFactory, DocumentVersionFactory
from wurao.visits.tests.factories import VisitFactory

DAY = datetime.date(2026, 11, 3)
ENTERPRISE = "深圳市龙华区示例五金制品有限公司"
FACTS = "经查，当事人未建立安全生产全员责任制，车间内两处灭火器过期未检。"
BREACHED = "生产经营单位的主要负责人对本单位安全生产工作全面负责。"
PENALTY_TEXT = "生产经营单位未建立安全生产责任制的，责令限期改正，处二万元以上五万元以下的罚款。"


@dataclasses.dataclass
class Scene:
    department: object
    enterprise: object
    officers: list
    admin: object
    visit: object
    action: object
    checks: list
    notice: object
    case: object
    items: list


def scene_build(*, code: str = "YJ", name: str = "区应急管理局") -> Scene:
    department = DepartmentFactory(name=name, code=code)
    enterprise = EnterpriseFactory(name=ENTERPRISE if code == "YJ" else f"{name}的检查对象公司")
    officers = [
        InspectorFactory(department=department, name="李明", badge_no=f"{code}-44030901"),
        InspectorFactory(department=department, name="王芳", badge_no=f"{code}-44030902"),
    ]
    admin = UserFactory(role=Role.DEPT_ADMIN, department=department, first_name="张科长")
    items = [
        InspectionItemFactory(
            department=department,
            name="安全生产责任制落实情况",
            law="中华人民共和国安全生产法",
            article="第二十二条",
        ),
        InspectionItemFactory(
            department=department,
            name="消防器材配置",
            law="中华人民共和国消防法",
            article="第十六条",
        ),
    ]
    visit = VisitFactory(
        enterprise=enterprise,
        department=department,
        date=DAY,
        officers=officers,
        items=items,
        checked_in_at=timezone.make_aware(datetime.datetime(2026, 11, 3, 9, 30)),
    )
    audit_record(actor=admin, verb="visit.register", obj=visit, payload={"code": visit.code})
    audit_record(actor=admin, verb="visit.check_in", obj=visit, payload={"code": visit.code})
    action = EnforcementActionFactory(
        enterprise=enterprise, department=department, date=DAY, visit=visit
    )
    action.items.set(items)
    action.officers.set(officers)
    audit_record(actor=admin, verb="enforcement_action.record", obj=action)
    checks = checks_record(
        actor=admin,
        action=action,
        rows=[
            {
                "item": items[0],
                "result": CheckResult.FINDING,
                "description": "未建立安全生产全员责任制",
                "hazard": Hazard.GENERAL,
            },
            {"item": items[1], "result": CheckResult.COMPLIANT},
        ],
    )
    finding = next(c for c in checks if c.result == CheckResult.FINDING)
    notice = notice_issue(
        actor=admin,
        action=action,
        orders={
            finding: {
                "requirement": "制定安全生产全员责任制并组织全员培训",
                "deadline": DAY + datetime.timedelta(days=15),
                "topic": Topic.WORK_SAFETY,
            }
        },
    )
    law = DocumentVersionFactory(document__title="中华人民共和国安全生产法")
    standard = DiscretionStandard.objects.create(
        department=department,
        code="AQ-022",
        violation="未建立安全生产责任制",
        item=items[0],
        breached_article=ArticleFactory(version=law, number="第二十二条", text=BREACHED),
        penalty_article=ArticleFactory(version=law, number="第九十四条", text=PENALTY_TEXT),
        legal_basis="《中华人民共和国安全生产法》第二十二条、第九十四条",
    )
    band = DiscretionBand.objects.create(
        standard=standard,
        order=2,
        name="一般",
        circumstances="首次被发现，逾期未改正",
        measure="责令限期改正，并处罚款",
        min_amount=Decimal("20000"),
        max_amount=Decimal("35000"),
    )
    case = Case.objects.create(
        number=f"{code}应急罚〔2026〕12号",
        kind=CaseKind.PENALTY,
        enterprise=enterprise,
        department=department,
        opened_on=DAY + datetime.timedelta(days=20),
        facts=FACTS + "\n当事人在责令改正期限届满后仍未改正。",
        evidence_summary="现场检查笔录、现场照片两张、询问笔录一份。",
        standard=standard,
        band=band,
        band_reasons="当事人系首次被发现，但逾期未改正，适用一般档次。",
        legal_basis=standard.legal_basis,
        reasoning="当事人作为生产经营单位，应当建立安全生产全员责任制。",
        disposition=Disposition.PENALTY,
        amount=Decimal("30000"),
        measure="责令限期改正",
        statement_offered_on=DAY + datetime.timedelta(days=25),
        hearing_offered=True,
        decided_on=DAY + datetime.timedelta(days=35),
        status=CaseStatus.DECIDED,
    )
    case.checks.add(finding)
    case.officers.set(officers)
    audit_record(actor=admin, verb="outcomes.case_open", obj=case, payload={})
    audit_record(actor=admin, verb="outcomes.case_notify", obj=case, payload={})
    audit_record(actor=admin, verb="outcomes.case_decide", obj=case, payload={})
    return Scene(
        department, enterprise, officers, admin, visit, action, checks, notice, case, items
    )


def pdf_text(data: bytes) -> str:
    """The PDF's text layer, as a reader's copy-and-paste would give it (no line breaks)."""
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    return "".join(text.split())


def docx_text(data: bytes) -> str:
    """The text of the DOCX's word/document.xml, tags and whitespace dropped."""
    import re

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    return "".join(re.sub(r"<[^>]+>", "", xml).split())

"""The documents say what the case, the notice and the inspection hold, in Chinese, in both the
DOCX (its word/document.xml) and the PDF (its text layer)."""

import datetime
from decimal import Decimal

import pytest

from wurao.enforcement.choices import Mode, OffsiteMethod
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.outcomes.choices import (
    CaseStatus,
    CheckResult,
    Disposition,
    ExemptionKind,
    Level,
    Sector,
    SoftMeasure,
)
from wurao.outcomes.documents import content
from wurao.outcomes.documents.render import docx_render, pdf_render
from wurao.outcomes.models import ExemptionEntry, ExemptionList, ItemCheck
from wurao.outcomes.tests.test_documents_scene import (
    BREACHED,
    ENTERPRISE,
    FACTS,
    PENALTY_TEXT,
    docx_text,
    pdf_text,
    scene_build,
)

pytestmark = pytest.mark.django_db


def _pdf(document: dict) -> str:
    from django.template.loader import render_to_string

    html = render_to_string(f"outcomes/documents/print_{document['kind']}.html", {"doc": document})
    return pdf_text(pdf_render(html=html, base_url="http://testserver/"))


def _both(document: dict) -> tuple[str, str]:
    return docx_text(docx_render(document)), _pdf(document)


def _squeezed(text: str) -> str:
    return "".join(text.split())


def test_the_penalty_decision_says_the_facts_basis_discretion_and_remedies_in_docx_and_pdf():
    s = scene_build()

    docx, pdf = _both(content.decision_content(s.case))

    for text in (docx, pdf):
        for expected in (
            "行政处罚决定书",
            "YJ应急罚〔2026〕12号",
            ENTERPRISE,
            s.enterprise.credit_code,
            FACTS,
            "未建立安全生产全员责任制",  # the finding
            "《中华人民共和国安全生产法》第二十二条、第九十四条",
            BREACHED,
            PENALTY_TEXT,
            "适用档次：一般",
            "罚款20000元至35000元",
            "当事人系首次被发现，但逾期未改正，适用一般档次。",
            "人民币30000元（大写：叁万元整）",
            "告知当事人依法享有要求听证的权利",
            "六十日内",
            "申请行政复议",
            "六个月内",
            "提起行政诉讼",
            "区应急管理局所属的本级人民政府",
            "百分之三",
            "2026年12月8日",
        ):
            assert _squeezed(expected) in text, expected


def test_an_exempted_case_gets_the_no_penalty_decision_with_its_entry_and_basis():
    s = scene_build()
    entry = ExemptionEntry.objects.create(
        exemption_list=ExemptionList.objects.create(
            level=Level.DISTRICT,
            title="龙华区安全生产领域轻微违法行为免罚清单",
            published_on=s.case.opened_on,
        ),
        kind=ExemptionKind.FIRST_OFFENCE,
        sector=Sector.WORK_SAFETY,
        violation="未建立安全生产责任制，首次被发现且及时改正",
        legal_basis="《龙华区安全生产轻微违法行为免罚清单》第3项",
    )
    case = s.case
    case.disposition, case.exemption = Disposition.EXEMPTED, entry
    case.amount, case.band, case.measure = None, None, ""
    case.save()

    docx, pdf = _both(content.decision_content(case))

    for text in (docx, pdf):
        assert "不予行政处罚决定书" in text
        assert "决定对当事人不予行政处罚" in text
        assert "第三十三条第一款" in text
        assert _squeezed("《龙华区安全生产轻微违法行为免罚清单》第3项") in text
        assert "龙华区安全生产领域轻微违法行为免罚清单" in text
        assert "首违不罚" in text
        assert "六十日内" in text  # a decision not to penalise can be reviewed too
        assert "罚款人民币" not in text


def test_a_soft_measure_gets_a_record_of_the_measure_without_a_penalty():
    s = scene_build()
    case = s.case
    case.disposition, case.soft_measure = Disposition.SOFT, SoftMeasure.WARNING
    case.amount, case.band = None, None
    case.save()

    document = content.decision_content(case)
    docx = docx_text(docx_render(document))

    assert document["title"] == "警示告诫书"
    assert "警示告诫，不予行政处罚" in docx
    assert "申请行政复议" not in docx


def test_an_undecided_case_is_marked_a_draft():
    s = scene_build()
    s.case.disposition, s.case.status = "", CaseStatus.OPEN
    s.case.save()

    pdf = _pdf(content.decision_content(s.case))

    assert "草稿" in pdf
    assert "本案尚未作出决定" in pdf


def test_the_notice_lists_every_finding_with_requirement_deadline_basis_and_how_to_report():
    s = scene_build()

    docx, pdf = _both(content.notice_content(s.notice, portal_url="https://wurao.example/portal/"))

    for text in (docx, pdf):
        for expected in (
            "责令改正通知书",
            s.notice.number,
            ENTERPRISE,
            "李明（执法证号YJ-44030901）",
            "安全生产责任制落实情况",
            "未建立安全生产全员责任制",
            "制定安全生产全员责任制并组织全员培训",
            "2026年11月18日",
            "《中华人民共和国安全生产法》第二十二条",
            "https://wurao.example/portal/",
            "一次性告知",
            "六十日内",
        ):
            assert _squeezed(expected) in text, expected


def test_the_on_site_record_names_the_visit_officers_and_each_items_result():
    s = scene_build()

    docx, pdf = _both(content.record_content(s.action))

    for text in (docx, pdf):
        for expected in (
            "现场检查笔录",
            s.visit.code_display,
            "2026年11月3日09时30分",
            "王芳（执法证号YJ-44030902）",
            "安全生产责任制落实情况",
            "发现问题（一般隐患）",
            "消防器材配置",
            "符合",
            "《中华人民共和国消防法》第十六条",
            s.notice.number,
            "当事人（签名）",
        ):
            assert _squeezed(expected) in text, expected
        assert "非现场检查" not in text


def test_an_off_site_inspection_record_says_so_and_how_instead_of_a_visit():
    s = scene_build()
    action = EnforcementActionFactory(
        enterprise=s.enterprise,
        department=s.department,
        date=datetime.date(2026, 11, 20),
        mode=Mode.OFF_SITE,
        offsite_method=OffsiteMethod.MONITORING,
    )
    action.items.set([s.items[1]])
    ItemCheck.objects.create(action=action, item=s.items[1], result=CheckResult.COMPLIANT)

    docx, pdf = _both(content.record_content(action))

    for text in (docx, pdf):
        assert "非现场检查记录" in text
        assert "非现场检查（在线监测数据）" in text
        assert "未进入企业经营场所" in text
        assert "入企码" not in text
        assert "当事人（签名）" not in text


@pytest.mark.parametrize(
    "amount, words",
    [
        ("30000", "叁万元整"),
        ("10500", "壹万零伍佰元整"),
        ("1010", "壹仟零壹拾元整"),
        ("100000000", "壹亿元整"),
        ("100010000", "壹亿零壹万元整"),
        ("2000.5", "贰仟元伍角"),
        ("2000.05", "贰仟元零伍分"),
        ("0.3", "叁角"),
        ("12345678.9", "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角"),
    ],
)
def test_amounts_are_written_in_capital_numerals(amount, words):
    assert content.yuan_in_words(Decimal(amount)) == words

"""Writes the editable Word templates of the outcome documents (decision.docx, notice.docx,
record.docx) next to this file, so they are reproducible from the repository:

    .venv/bin/python wurao/outcomes/doc_templates/build.py

A district edits the .docx files themselves in Word or WPS (letterhead, fonts, fixed wording,
the order of the sections) and keeps every {{ placeholder }} and {%p … %} line it still wants;
docs (doc_documents.md) lists the placeholders. Run this script again only to start over
from the platform's layout: it overwrites the three files.

Layout after GB/T 9704-2012 (党政机关公文格式): A4, margins 37/35/28/26 mm, the title in a
bold serif (小标宋 where installed, else 宋体), headings in 黑体, body in 仿宋 with a
two-character first-line indent and 28-point fixed line spacing.
"""

import datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "宋体"
LATIN_FONT = "Times New Roman"


def _fonts(run_or_style, east_asia: str, size: float | None = None, bold: bool = False) -> None:
    font = run_or_style.font
    font.name = LATIN_FONT
    if size:
        font.size = Pt(size)
    font.bold = bold
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


class Sheet:
    """One template: a python-docx document with the platform's styles and a few helpers that
    keep each placeholder in one run (docxtpl needs a tag unbroken)."""

    def __init__(self) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        normal = self.doc.styles["Normal"]
        _fonts(normal, BODY_FONT, 14)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28)
        fmt.space_before = fmt.space_after = Pt(0)
        self._footer_page_number(section)

    def _footer_page_number(self, section) -> None:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run("— ")
        _fonts(run, BODY_FONT, 10.5)
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            run = paragraph.add_run()
            _fonts(run, BODY_FONT, 10.5)
            if kind:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)
            else:
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._r.append(instr)
        run = paragraph.add_run(" —")
        _fonts(run, BODY_FONT, 10.5)

    def line(
        self,
        text: str,
        *,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent: bool = True,
        font: str = BODY_FONT,
        size: float = 14,
        bold: bool = False,
    ):
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = align
        if indent:
            # two characters, whatever the font size (w:firstLineChars is in 1/100 character)
            ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
            ind.set(qn("w:firstLineChars"), "200")
        run = paragraph.add_run(text)
        _fonts(run, font, size, bold)
        return paragraph

    def tag(self, text: str) -> None:
        """A docxtpl paragraph tag ({%p … %}): the paragraph disappears when rendered."""
        self.line(text, indent=False)

    def title(self, text: str) -> None:
        paragraph = self.line(
            text, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, font=TITLE_FONT, size=22
        )
        paragraph.paragraph_format.line_spacing = Pt(36)
        paragraph.runs[0].element.rPr.find(qn("w:rFonts")).set(qn("w:hint"), "eastAsia")
        paragraph.runs[0].font.name = TITLE_FALLBACK
        paragraph.runs[0].element.rPr.find(qn("w:rFonts")).set(qn("w:eastAsia"), TITLE_FONT)

    def centre(self, text: str, *, size: float = 14, bold: bool = False) -> None:
        self.line(text, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, size=size, bold=bold)

    def right(self, text: str) -> None:
        self.line(text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)

    def heading(self, text: str) -> None:
        self.line(text, font=HEADING_FONT)

    def blank(self) -> None:
        self.line("", indent=False)

    def table(self, headers: list[str], cells: list[str], loop: str) -> None:
        """A table: its header row, then one row per element of `loop` ({%tr for … %})."""
        table = self.doc.add_table(rows=4, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for row, texts in (
            (0, headers),
            (1, [f"{{%tr for {loop} %}}"] + [""] * (len(headers) - 1)),
            (2, cells),
            (3, ["{%tr endfor %}"] + [""] * (len(headers) - 1)),
        ):
            for cell, text in zip(table.rows[row].cells, texts, strict=True):
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.line_spacing = Pt(20)
                run = paragraph.add_run(text)
                _fonts(run, HEADING_FONT if row == 0 else BODY_FONT, 10.5)

    def save(self, name: str) -> Path:
        path = HERE / name
        props = self.doc.core_properties
        props.title, props.author, props.last_modified_by = name, "wurao", "wurao"
        props.created = props.modified = datetime.datetime(2026, 1, 1)  # stable between runs
        self.doc.save(path)
        return path


def decision() -> Sheet:
    """行政处罚决定书 and its kin: the title says which (不予行政处罚决定书, 行政强制措施决定书,
    a soft measure's record); the sections are the reasoned decision's (说理式文书)."""
    s = Sheet()
    s.centre("{{ department_name }}", size=16, bold=True)
    s.title("{{ title }}")
    s.centre("{{ number }}")
    s.blank()
    s.line("当事人：{{ enterprise_name }}", indent=False)
    s.line("统一社会信用代码：{{ credit_code }}", indent=False)
    s.line("住所（经营场所）：{{ address }}", indent=False)
    s.tag("{%p if legal_rep %}")
    s.line("法定代表人（负责人）：{{ legal_rep }}", indent=False)
    s.tag("{%p endif %}")
    s.line("{{ opening }}")
    s.heading("一、查明的事实")
    s.line("{{ facts }}")
    s.tag("{%p for f in findings %}")
    s.line("{{ f.number }}. {{ f.text }}")
    s.tag("{%p endfor %}")
    s.heading("二、证据")
    s.line("{{ evidence }}")
    s.tag("{%p for e in evidence_files %}")
    s.line("{{ e }}")
    s.tag("{%p endfor %}")
    s.heading("三、法律依据")
    s.line("{{ legal_basis }}")
    s.tag("{%p for a in articles %}")
    s.line("{{ a.label }}：{{ a.text }}")
    s.tag("{%p endfor %}")
    s.heading("四、说理")
    s.line("{{ reasoning }}")
    s.heading("五、裁量")
    s.tag("{%p for d in discretion %}")
    s.line("{{ d.label }}：{{ d.text }}")
    s.tag("{%p endfor %}")
    s.heading("六、陈述、申辩和听证")
    s.line("{{ rights }}")
    s.heading("七、决定")
    s.line("{{ conclusion }}")
    s.tag("{%p if payment %}")
    s.line("{{ payment }}")
    s.tag("{%p endif %}")
    s.tag("{%p if remedies %}")
    s.heading("八、救济途径")
    s.line("{{ remedies }}")
    s.tag("{%p endif %}")
    s.blank()
    s.right("{{ department_name }}（印章）")
    s.right("{{ date }}")
    s.blank()
    s.line("{{ served_note }}", indent=False, size=12)
    return s


def notice() -> Sheet:
    """责令改正通知书: every finding of one inspection at once (一次性告知)."""
    s = Sheet()
    s.centre("{{ department_name }}", size=16, bold=True)
    s.title("{{ title }}")
    s.centre("{{ number }}")
    s.blank()
    s.line("{{ enterprise_name }}：", indent=False)
    s.line("（统一社会信用代码：{{ credit_code }}；住所：{{ address }}）", indent=False, size=12)
    s.line("{{ opening }}")
    s.table(
        ["序号", "检查事项", "发现的问题", "整改要求", "整改期限", "依据"],
        [
            "{{ r.number }}",
            "{{ r.item }}",
            "{{ r.problem }}",
            "{{ r.requirement }}",
            "{{ r.deadline }}",
            "{{ r.basis }}",
        ],
        "r in rows",
    )
    s.blank()
    s.line("{{ legal_basis }}")
    s.line("{{ report_how }}")
    s.line("{{ consequence }}")
    s.line("{{ remedies }}")
    s.blank()
    s.line("执法人员：{{ officers }}", indent=False)
    s.right("{{ department_name }}（印章）")
    s.right("{{ date }}")
    s.blank()
    s.line("当事人签收：____________    日期：____________", indent=False)
    return s


def record() -> Sheet:
    """现场检查笔录 (or 非现场检查记录 for an off-site inspection)."""
    s = Sheet()
    s.centre("{{ department_name }}", size=16, bold=True)
    s.title("{{ title }}")
    s.centre("{{ number }}")
    s.blank()
    s.tag("{%p for f in facts %}")
    s.line("{{ f.label }}：{{ f.value }}", indent=False)
    s.tag("{%p endfor %}")
    s.line("{{ opening }}")
    s.table(
        ["序号", "检查事项", "检查结果", "检查情况", "依据"],
        [
            "{{ c.number }}",
            "{{ c.item }}",
            "{{ c.result }}",
            "{{ c.description }}",
            "{{ c.basis }}",
        ],
        "c in checks",
    )
    s.blank()
    s.line("{{ summary }}")
    s.line("{{ notice_line }}")
    s.line("{{ closing }}")
    s.blank()
    s.line("执法人员（签名）：____________    日期：____________", indent=False)
    s.tag("{%p if on_site %}")
    s.line("当事人（签名）：____________    日期：____________", indent=False)
    s.tag("{%p endif %}")
    return s


def main() -> None:
    for name, build in (
        ("decision.docx", decision),
        ("notice.docx", notice),
        ("record.docx", record),
    ):
        print(build().save(name))


if __name__ == "__main__":
    main()

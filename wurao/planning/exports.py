"""The consolidated form (一表通查) as files: a PDF drawn by WeasyPrint from the print template,
and an XLSX workbook with the same header block and table.

The PDF needs a CJK font on the machine (fonts-noto-cjk; scripts/setup installs it): the print
template asks for "Noto Sans CJK SC" first, and WeasyPrint embeds the glyphs it uses.
"""

import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from wurao.common.spreadsheet import xlsx_append
from wurao.planning.choices import JointVisitStatus
from wurao.planning.selectors import ConsolidatedForm, FormLine


@dataclass(frozen=True)
class FormGroup:
    department: str
    rows: list[tuple[int, FormLine]]  # numbered through the whole form


def form_groups(form: ConsolidatedForm) -> list[FormGroup]:
    """The form's lines per department, in the form's order (departments by name)."""
    groups: list[FormGroup] = []
    for n, line in enumerate(form.lines, start=1):
        if not groups or groups[-1].department != line.department:
            groups.append(FormGroup(line.department, []))
        groups[-1].rows.append((n, line))
    return groups


def form_header(form: ConsolidatedForm, *, verify_url: str) -> list[tuple[str, str]]:
    """The header block, label and value, as printed above the table."""
    visit = form.visit
    enterprise = visit.enterprise
    code = visit.visit.code_display if visit.visit else _("确认后生成")
    status = visit.get_status_display()
    return [
        (_("企业名称"), enterprise.name),
        (_("统一社会信用代码"), enterprise.credit_code),
        (_("地址"), enterprise.address or "—"),
        (_("所在街道"), visit.street.name),
        (_("检查日期"), visit.date.isoformat()),
        (_("状态"), status),
        (_("入企码"), code),
        (_("核验地址"), verify_url or "—"),
        (_("检查部门"), "、".join(form.departments) or "—"),
        # 一次性告知: the notices the departments issued for what failed.
        (_("责令改正通知书"), "；".join(n.number for n in form.notices) or "—"),
    ]


def header_rows(header: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The header two facts to a line, as the printed form lays it out."""
    return [header[i : i + 2] for i in range(0, len(header), 2)]


# ---------------------------------------------------------------- PDF


def form_pdf(*, html: str, base_url: str) -> bytes:
    """The print template as an A4 PDF (the page size and fonts are in the template's CSS)."""
    from weasyprint import HTML  # imported here: loading Pango costs a second at start-up

    return HTML(string=html, base_url=base_url).write_pdf()


# ---------------------------------------------------------------- XLSX

COLUMNS = (
    # header, width in characters
    (gettext_lazy("序号"), 6),
    (gettext_lazy("检查部门"), 16),
    (gettext_lazy("检查事项"), 26),
    (gettext_lazy("法律依据"), 26),
    (gettext_lazy("检查内容"), 34),
    (gettext_lazy("检查结果"), 10),
    (gettext_lazy("检查情况"), 28),
    (gettext_lazy("整改要求"), 28),
    (gettext_lazy("整改期限"), 12),
)

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEAD_FILL = PatternFill("solid", fgColor="F2E6E4")
FONT = "Noto Sans CJK SC"
OFFICERS_LATER = gettext_lazy("尚未登记（各部门执法人员签到时加入）")


def result_text(line: FormLine) -> str:
    return line.entry.get_result_display() if line.entry else ""


def finding_text(line: FormLine) -> str:
    """What was found, its hazard, and when and why it was corrected if it was."""
    entry = line.entry
    if entry is None:
        return ""
    parts = [entry.finding]
    if entry.hazard:
        parts.append(str(entry.check.get_hazard_display()))
    if entry.corrected_at is not None:
        parts.append(
            _("%(day)s 更正：%(reason)s")
            % {
                "day": timezone.localtime(entry.corrected_at).date().isoformat(),
                "reason": entry.correction_reason,
            }
        )
    return "\n".join(parts).strip()


def form_xlsx(form: ConsolidatedForm, *, verify_url: str) -> bytes:
    """One sheet: the title, the header block, the table of items with results, and the
    signature lines — the same content as the printed form. Every row goes through
    xlsx_append: names, findings and corrections are users' text, never formulas."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("一表通查")
    width = len(COLUMNS)
    last = get_column_letter(width)

    xlsx_append(sheet, [_("涉企联合检查“一表通查”检查表")])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(name=FONT, size=15, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    if form.visit.status != JointVisitStatus.CONFIRMED:
        xlsx_append(
            sheet,
            [
                _("（%(status)s：入企尚未确认，本表仅供预览）")
                % {"status": form.visit.get_status_display()}
            ],
        )
        sheet.merge_cells(f"A2:{last}2")
        sheet["A2"].font = Font(name=FONT, color="B02A1F", bold=True)

    officers = "；".join(f"{o.name}（{o.badge_no}，{o.department.name}）" for o in form.officers)
    rows = [
        *form_header(form, verify_url=verify_url),
        (_("执法人员"), officers or str(OFFICERS_LATER)),
    ]
    for label, value in rows:
        xlsx_append(sheet, [label, None, value])
        row = sheet.max_row
        sheet.merge_cells(f"A{row}:B{row}")
        sheet.merge_cells(f"C{row}:{last}{row}")
        sheet[f"A{row}"].font = Font(name=FONT, bold=True)
        sheet[f"C{row}"].font = Font(name=FONT)
        sheet[f"C{row}"].alignment = WRAP

    xlsx_append(sheet, [])
    xlsx_append(sheet, [str(header) for header, _width in COLUMNS])
    head = sheet.max_row
    for col, (_header, chars) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=head, column=col)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(col)].width = chars

    for n, line in enumerate(form.lines, start=1):
        entry = line.entry
        xlsx_append(
            sheet,
            [
                n,
                line.department,
                line.item.name,
                line.item.legal_basis,
                line.item.check_points,
                result_text(line),
                finding_text(line),
                entry.rectification if entry else "",
                entry.rectify_by.isoformat() if entry and entry.rectify_by else "",
            ],
        )
        for col in range(1, width + 1):
            cell = sheet.cell(row=sheet.max_row, column=col)
            cell.font = Font(name=FONT)
            cell.border = BOX
            cell.alignment = WRAP
    sheet.freeze_panes = sheet.cell(row=head + 1, column=1)
    sheet.print_title_rows = f"{head}:{head}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    xlsx_append(sheet, [])
    xlsx_append(sheet, [_("检查人员（签名）："), None, None, None, _("企业负责人（签名）：")])
    xlsx_append(sheet, [_("日期："), None, None, None, _("日期：")])
    for row in (sheet.max_row - 1, sheet.max_row):
        for col in (1, 5):
            sheet.cell(row=row, column=col).font = Font(name=FONT)

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

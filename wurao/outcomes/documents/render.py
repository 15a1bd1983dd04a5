"""Laying a document's content out: DOCX from the editable Word templates (docxtpl), PDF from
the print templates (WeasyPrint, A4, Noto CJK; the fonts come with fonts-noto-cjk)."""

from __future__ import annotations

import io
from pathlib import Path

from docxtpl import DocxTemplate, Listing

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "doc_templates"

# content["kind"] -> the Word template it fills
WORD_TEMPLATES = {
    "decision": "decision.docx",
    "notice": "notice.docx",
    "record": "record.docx",
}

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _for_word(value):
    """Text with line breaks as Word paragraphs (docxtpl's \\a keeps the paragraph's style,
    its first-line indent included); everything else escaped by the template's autoescape."""
    if isinstance(value, str):
        if "\n" in value:
            lines = [line.strip() for line in value.replace("\r\n", "\n").split("\n")]
            return Listing("\a".join(line for line in lines if line))
        return value
    if isinstance(value, dict):
        return {k: _for_word(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_for_word(v) for v in value]
    return value


def docx_render(content: dict, *, template_dir: Path = TEMPLATE_DIR) -> bytes:
    template = DocxTemplate(template_dir / WORD_TEMPLATES[content["kind"]])
    template.render(_for_word(content), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def pdf_render(*, html: str, base_url: str) -> bytes:
    """The print template as a PDF (page size, margins and fonts are in its CSS)."""
    from weasyprint import HTML  # imported here: loading Pango costs a second at start-up

    return HTML(string=html, base_url=base_url).write_pdf()

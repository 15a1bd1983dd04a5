"""The text of an uploaded file: plain text (UTF-8 or GB18030), DOCX (python-docx) or PDF
(pypdf's text layer; a scan without one is refused, not guessed at: no OCR here)."""

from __future__ import annotations

import io
import zipfile

MAX_BYTES = 20 * 1024 * 1024


class Unreadable(Exception):
    """The file gives no text; the message says why, in Chinese, for the per-file report."""


def _plain(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Unreadable("文本文件的编码无法识别（请使用 UTF-8 或 GB18030）")


def _docx(data: bytes) -> str:
    import docx  # python-docx; imported here: only imports need it

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Unreadable("DOCX 文件已损坏或不是 Word 文档") from exc
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise Unreadable("PDF 已加密，无法读取")
        text = "\n".join((page.extract_text() or "") for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise Unreadable("PDF 文件已损坏，无法读取") from exc
    if not text.strip():
        raise Unreadable("PDF 没有文字层（可能是扫描件），请提供可复制文字的版本")
    return text


def file_text(name: str, data: bytes) -> str:
    """The text of a file by its name's extension; raises Unreadable with the reason."""
    if len(data) > MAX_BYTES:
        raise Unreadable(f"文件超过 {MAX_BYTES // 1024 // 1024} MB")
    if not data:
        raise Unreadable("文件为空")
    lower = name.lower()
    if lower.endswith(".docx"):
        text = _docx(data)
    elif lower.endswith(".pdf"):
        text = _pdf(data)
    elif lower.endswith((".txt", ".text", ".md")):
        text = _plain(data)
    else:
        raise Unreadable("不支持的文件类型（可用 .txt、.docx、.pdf）")
    if not text.strip():
        raise Unreadable("文件中没有文字")
    return text

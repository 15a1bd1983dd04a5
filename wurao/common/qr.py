"""QR codes drawn on pages (visit codes, the enterprise's own code, the consolidated form)."""

import segno
from django.utils.safestring import mark_safe


def qr_svg(text: str, *, scale: int, border: int = 4, sized: bool = False) -> str:
    """`text` as a QR code in inline SVG, ready for a template. Always a full QR code: segno
    would pick Micro QR for short texts, which phone cameras do not read. Without `sized`
    the SVG has no width and height and scales to its box (CSS sets the size)."""
    code = segno.make_qr(text, error="m")
    # segno escapes what it writes.
    return mark_safe(code.svg_inline(scale=scale, border=border, omitsize=not sized))  # noqa: S308

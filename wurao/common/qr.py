"""QR codes drawn on pages (visit codes, the enterprise's own code, the consolidated form)."""

from functools import lru_cache

import segno
from django.utils.safestring import mark_safe


def qr_svg(text: str, *, scale: int, border: int = 4, sized: bool = False) -> str:
    """`text` as a QR code in inline SVG, ready for a template. Always a full QR code: segno
    would pick Micro QR for short texts, which phone cameras do not read. Without `sized`
    the SVG has no width and height and scales to its box (CSS sets the size)."""
    code = segno.make_qr(text, error="m")
    # segno escapes what it writes.
    return mark_safe(code.svg_inline(scale=scale, border=border, omitsize=not sized))  # noqa: S308


@lru_cache(maxsize=512)
def qr_svg_kept(text: str, *, scale: int, border: int = 4, sized: bool = False) -> str:
    """qr_svg() of a text drawn again and again (an enterprise's own code, on every load of its
    portal page: about 2.5 ms of CPU each time), drawn once per process. Not for secrets."""
    return qr_svg(text, scale=scale, border=border, sized=sized)

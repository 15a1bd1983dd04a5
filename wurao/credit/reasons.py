"""The reasons of a credit breakdown in words (Chinese for the pages, English for the API and
the English pages): one row per dated record, and the inherent risk of tags and industry.
`engine.contributions` computes the points; this module only says them. Pure: no Django import.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from wurao.credit.points import Decay, PointsTable

# The `indicator` of inherent-risk rows in `contributions`.
TAG_INDICATOR = "risk_tag"
INDUSTRY_INDICATOR = "industry"


def _signed(x: float) -> str:
    """Points as the breakdown shows them: sign (a true minus), at most two decimals."""
    r = round(x, 2)
    if r == 0:
        return "0"
    return ("+" if r > 0 else "\u2212") + f"{abs(r):.2f}".rstrip("0").rstrip(".")


def _number(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _cap_note(label: str, raw: float, cap: float | None, points: float) -> str:
    if cap is None or abs(raw) <= cap:
        return ""
    return f"；{label}合计 {_signed(raw)} 分，超过封顶 {_number(cap)} 分，按比例计 {_signed(points)} 分"


def _cap_note_en(label: str, raw: float, cap: float | None, points: float) -> str:
    if cap is None or abs(raw) <= cap:
        return ""
    return (
        f"; {label} total {_signed(raw)} points, over the cap of {_number(cap)}:"
        f" counted pro rata as {_signed(points)} points"
    )


def record_row(table: PointsTable, indicator: str, r: dict[str, Any]) -> tuple[Any, ...]:
    """One dated record's row: its points and why, in Chinese and English. `r` holds the
    engine's working columns (_base, _w, _raw, _age, _sev) besides the record's own;
    `indicator` is a catalogue code or one the table declares."""
    rule = table.rule(indicator)
    info = table.info(indicator)
    assert rule is not None and info is not None  # only scored kinds pass `_weighted`
    severity = severity_en = ""
    if rule.per_severity:
        level = r["_sev"]
        whole = float(level).is_integer()
        label = info.severity_labels.get(int(level)) if whole else None
        severity = f"（{label}）" if label else f"（严重程度 ×{_number(level)}）"
        label_en = info.severity_labels_en.get(int(level)) if whole else None
        severity_en = f" ({label_en})" if label_en else f" (severity ×{_number(level)})"
    day, base, w, window = (
        r["date"].isoformat(),
        _signed(r["_base"]),
        _signed(r["_w"]),
        rule.window_days,
    )
    text = f"{day} {info.label}{severity}：{base} 分，距今 {r['_age']} 天"
    text_en = f"{day} {info.label_en}{severity_en}: {base} points, {r['_age']} days ago"
    if rule.decay == Decay.LINEAR:
        text += f"，线性衰减后 {w} 分（满 {window} 天归零）"
        text_en += f", {w} after linear decay (zero after {window} days)"
    elif rule.decay == Decay.EXPONENTIAL:
        half_life = _number(rule.half_life_days or 0)
        text += f"，按半衰期 {half_life} 天衰减后 {w} 分（满 {window} 天不再计分）"
        text_en += f", {w} after decay with a half-life of {half_life} days (not counted after {window} days)"
    else:
        text += f"（{window} 天内全额计分）"
        text_en += f" (counted in full for {window} days)"
    text += _cap_note(f"“{info.label}”", r["_raw"], rule.cap, r["points"])
    text_en += _cap_note_en(f"“{info.label_en}”", r["_raw"], rule.cap, r["points"])
    return (
        r["enterprise_id"],
        r["record_id"],
        str(indicator),
        r["date"],
        r["points"],
        text,
        text_en,
    )


def inherent_rows(table: PointsTable, enterprises: pl.DataFrame) -> list[tuple[Any, ...]]:
    """The rows of the enterprises' risk tags (capped together) and industry section."""
    tags = {t.code: t for t in table.tags}
    industries = {i.section: i for i in table.industries}
    has_tags = "tags" in enterprises.columns
    has_industry = "industry_section" in enterprises.columns
    rows: list[tuple[Any, ...]] = []
    for e in enterprises.iter_rows(named=True):
        eid = e["enterprise_id"]
        own = [tags[c] for c in dict.fromkeys(e["tags"] or ()) if c in tags] if has_tags else []
        raw = sum(t.points for t in own)
        cap = table.tag_cap
        scale = cap / abs(raw) if cap is not None and abs(raw) > cap else 1.0
        for t in own:
            points = t.points * scale
            if points:
                text = f"风险标签“{t.label or t.code}”固有风险：{_signed(t.points)} 分"
                text += _cap_note("风险标签", raw, cap, points)
                text_en = (
                    f"Risk tag “{t.label or t.code}”: inherent risk {_signed(t.points)} points"
                )
                text_en += _cap_note_en("risk tags", raw, cap, points)
                rows.append((eid, None, TAG_INDICATOR, None, points, text, text_en))
        industry = industries.get(e["industry_section"]) if has_industry else None
        if industry and industry.points:
            text = f"行业门类 {industry.section}（{industry.label}）固有风险：{_signed(industry.points)} 分"
            text_en = (
                f"Industry section {industry.section} ({industry.label}):"
                f" inherent risk {_signed(industry.points)} points"
            )
            rows.append(
                (eid, None, INDUSTRY_INDICATOR, None, float(industry.points), text, text_en)
            )
    return rows

"""What the credit pages share: the grade explained (a breakdown whose cents add up to the
score shown) and objections and repairs as the pages show them.

Who sees what on the credit pages: an enterprise itself only; a department the requests
addressed to it and any enterprise's breakdown (the registry is shared); a street its own
area; the justice bureau everything. Whatever a user may not see looks exactly like
something missing (404).
"""

import math
from pathlib import Path

from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from wurao.credit import selectors
from wurao.credit.choices import Grade, RecordSource, ReviewStatus
from wurao.credit.engine import INDUSTRY_INDICATOR, TAG_INDICATOR
from wurao.credit.models import CreditObjection, CreditRepair
from wurao.credit.points_catalogue import INDICATORS
from wurao.credit.selectors_grading import enterprise_breakdown

REVIEW_KINDS = {"objection": CreditObjection, "repair": CreditRepair}
KIND_LABELS = {"objection": _("信用异议"), "repair": _("信用修复")}
# Records an enterprise may object to or ask to repair: those a department is responsible for.
REVIEWABLE = {RecordSource.ACTION, RecordSource.ALERT, RecordSource.COMMITMENT}
GRADES = [g.value for g in Grade]


# ---------------------------------------------------------------- the grade, explained


def _cents(value: float) -> str:
    """Points as the breakdown shows them, from whole cents: a sign (a true minus), 2 decimals."""
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    return f"{sign}{abs(value) / 100:.2f}"


def apportioned_cents(values: list[float], target: int | None = None) -> list[int]:
    """Each value in whole cents, rounded so that the cents add up to `target` (by default the
    rounded total): largest remainders round up."""
    exact = [v * 100 for v in values]
    cents = [math.floor(x) for x in exact]
    short = (round(sum(exact)) if target is None else target) - sum(cents)
    by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - cents[i], reverse=True)
    for i in by_remainder[:short]:
        cents[i] += 1
    return cents


def breakdown_cents(rows: list[dict]) -> list[int]:
    """The breakdown's points in cents such that the rows shown add up, to the cent, to each
    indicator's subtotal shown, and the subtotals to the score shown: apportioned first
    between indicators, then within each."""
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(row["indicator"], []).append(i)
    totals = apportioned_cents([sum(rows[i]["points"] for i in ids) for ids in groups.values()])
    cents = [0] * len(rows)
    for ids, total in zip(groups.values(), totals, strict=True):
        for i, c in zip(
            ids, apportioned_cents([rows[i]["points"] for i in ids], total), strict=True
        ):
            cents[i] = c
    return cents


def _indicator_label(code: str) -> str:
    if code == TAG_INDICATOR:
        return gettext("风险标签")
    if code == INDUSTRY_INDICATOR:
        return gettext("行业门类")
    return gettext(INDICATORS[code].label) if code in INDICATORS else code


def _by_indicator(rows: list[dict]) -> list[dict]:
    """The breakdown summed per indicator, the weightiest first: the same cents, so the
    subtotals add up to the score too."""
    groups: dict[str, dict] = {}
    for row in rows:
        group = groups.setdefault(
            row["indicator"],
            {"indicator": row["indicator"], "inherent": row["inherent"], "count": 0, "cents": 0},
        )
        group["count"] += 1
        group["cents"] += row["cents"]
    ordered = sorted(groups.values(), key=lambda g: -abs(g["cents"]))
    return [{**g, "points": _cents(g["cents"])} for g in ordered]


def explained_grade(enterprise_id: int) -> dict:
    """The stored grade and its breakdown, with the table and the date that made it."""
    grade = selectors.enterprise_grade_get(enterprise_id=enterprise_id)
    if grade:
        breakdown = enterprise_breakdown(
            enterprise_id=enterprise_id, as_of=grade.as_of, version=grade.table_version
        )
    else:
        breakdown = enterprise_breakdown(enterprise_id=enterprise_id)
    if breakdown["version"] is None:
        return {"grade": grade, "version": None, "rows": []}
    cents = breakdown_cents(breakdown["rows"])
    rows = []
    for row, points in zip(breakdown["rows"], cents, strict=True):
        source = row["source"] if row["source"] in REVIEWABLE else ""
        rows.append(
            {
                "date": row["date"],
                "indicator": _indicator_label(row["indicator"]),
                "inherent": row["indicator"] in (TAG_INDICATOR, INDUSTRY_INDICATOR),
                "reason": row["reason_en"] if get_language() == "en" else row["reason_zh"],
                "cents": points,
                "points": _cents(points),
                "source": source,
                "source_id": row["source_id"],
                "reviewable": bool(source) and row["points"] < 0,
            }
        )
    # Inherent risk first, then the newest records: what the enterprise can still act on.
    rows.sort(key=lambda r: (not r["inherent"], -(r["date"].toordinal() if r["date"] else 0)))
    base = round(breakdown["base"] * 100)
    total = base + sum(cents)
    thresholds = breakdown["table"].thresholds
    return {
        "grade": grade,
        "version": breakdown["version"],
        "as_of": grade.as_of if grade else timezone.localdate(),
        "rows": rows,
        "by_indicator": _by_indicator(rows),
        "base": _cents(base).lstrip("+"),
        "total": _cents(total).lstrip("+"),
        "live_grade": breakdown["grade"],
        # Records changed since the regrade (an approved objection, a new record): say so.
        "stale": bool(grade) and abs(grade.score * 100 - total) >= 1,
        "thresholds": thresholds,
    }


def annotated_requests(requests) -> list:
    """Objections and repairs with what the pages show beside them: kind, the record in words,
    whether the deadline has passed, the evidence's file name."""
    requests = list(requests)
    labels = selectors.review_record_labels(refs=[(r.record_source, r.record_id) for r in requests])
    today = timezone.localdate()
    for r in requests:
        r.kind = "objection" if isinstance(r, CreditObjection) else "repair"
        r.kind_label = KIND_LABELS[r.kind]
        r.overdue = r.status == ReviewStatus.SUBMITTED and r.due_on < today
        r.record_label = labels.get(
            (r.record_source, r.record_id), f"{r.get_record_source_display()} {r.record_id}"
        )
        r.evidence_name = Path(r.evidence.name).name if r.evidence else ""
    return requests

"""The points table's JSON form, as the justice bureau edits and stores it: `table_to_dict` /
`table_to_json` write it, `table_from_dict` / `table_from_json` read it back into a validated
`PointsTable`. Unknown fields are refused, so a typo is an error rather than a silently
ignored setting; every problem is reported at once, with its path. No Django.

    {"format": "wurao-points-table-v1", "version": 1, "effective_from": "2020-01-01",
     "name": "…", "base": 100,
     "kinds": [{"code": "food_sample_failed", "label": "食品抽检不合格",
                "label_en": "Food sample failed", "sign": "risk"}],
     "indicators": [{"indicator": "penalty", "points": -6, "per_severity": true,
                     "window_days": 1095, "decay": "linear", "half_life_days": null,
                     "cap": 36}, …],
     "tags": [{"code": "hazchem", "label": "危化品", "points": -6}, …], "tag_cap": 10,
     "industries": [{"section": "B", "label": "采矿业", "points": -3}, …],
     "thresholds": {"A": 103, "B": 90, "C": 75},
     "effects": {"A": {"sampling_weight": "0.5", "visit_cap_per_year": 1,
                       "quiet_period_days": 180, "flags": ["绿色通道", "容缺受理"]}, …}}

Sampling weights are decimal strings, as the draw (spec wurao-draw-v1 §5) reads them.
`kinds` is optional: the kinds of record the version declares beside the catalogue's
(`RecordKind`; sign "risk" or "credit"), which its `indicators` may then score.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Set as AbstractSet
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from wurao.credit.points import (
    GradeEffect,
    IndicatorRule,
    IndustryRisk,
    PointsTable,
    TagRisk,
    Thresholds,
)
from wurao.credit.points_catalogue import FORMAT, Decay, Grade, RecordKind
from wurao.credit.points_problems import PointsTableError, ProblemList, finite, whole


def table_to_dict(table: PointsTable) -> dict[str, Any]:
    kinds = [
        {"code": k.code, "label": k.label, "label_en": k.label_en, "sign": k.sign}
        for k in table.kinds
    ]
    return {
        "format": FORMAT,
        "version": table.version,
        "effective_from": table.effective_from.isoformat(),
        "name": table.name,
        "base": table.base,
        # Only when the version declares kinds: a table without stays as it was written.
        **({"kinds": kinds} if kinds else {}),
        "indicators": [
            {
                "indicator": str(r.indicator),
                "points": r.points,
                "per_severity": r.per_severity,
                "window_days": r.window_days,
                "decay": str(r.decay),
                "half_life_days": r.half_life_days,
                "cap": r.cap,
            }
            for r in table.rules
        ],
        "tags": [{"code": t.code, "label": t.label, "points": t.points} for t in table.tags],
        "tag_cap": table.tag_cap,
        "industries": [
            {"section": i.section, "label": i.label, "points": i.points} for i in table.industries
        ],
        "thresholds": {"A": table.thresholds.a, "B": table.thresholds.b, "C": table.thresholds.c},
        "effects": {
            str(e.grade): {
                "sampling_weight": str(e.sampling_weight),
                "visit_cap_per_year": e.visit_cap_per_year,
                "quiet_period_days": e.quiet_period_days,
                "flags": list(e.flags),
            }
            for e in table.effects
        },
    }


def table_to_json(table: PointsTable) -> str:
    return json.dumps(table_to_dict(table), ensure_ascii=False, indent=2)


class _Reader:
    """Reads the JSON form's fields, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems = ProblemList()

    def fields(
        self,
        obj: object,
        path: str,
        required: AbstractSet[str],
        optional: AbstractSet[str] = frozenset(),
    ) -> dict[str, Any] | None:
        if not isinstance(obj, dict):
            self.problems.add("type", path, zh="对象（{…}）", en="an object", got=obj)
            return None
        known = sorted(required | optional)
        for key in sorted(required - obj.keys()):
            self.problems.add("missing", _join(path, key), got=key)
        for key in sorted(obj.keys() - required - optional):
            self.problems.add(
                "unknown",
                _join(path, key),
                got=key,
                known_zh="、".join(known),
                known_en=", ".join(known),
            )
        return obj

    def get(
        self, obj: dict[str, Any], key: str, path: str, kind: str, *, null: bool = False
    ) -> Any:
        """The value, or a placeholder the table will refuse anyway once problems are raised."""
        value = obj.get(key)
        if (value is None and null) or key not in obj:
            return value
        ok, zh, en = {
            "number": (finite(value), "有限数字", "a finite number"),
            "whole": (whole(value), "整数", "a whole number"),
            "text": (isinstance(value, str), "文字", "a string"),
            "list": (isinstance(value, list), "列表（[…]）", "a list"),
        }[kind]
        if not ok:
            self.problems.add("type", _join(path, key), zh=zh, en=en, got=value)
            # A stand-in of the right type, so reading can go on and find other problems.
            return {"number": math.nan, "whole": -1, "text": "", "list": []}[kind]
        return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def table_from_dict(data: object) -> PointsTable:
    """A validated table from its JSON form; `PointsTableError` lists every problem."""
    r = _Reader()
    required = {"version", "effective_from", "base", "indicators", "thresholds", "effects"}
    optional = {"format", "name", "kinds", "tags", "tag_cap", "industries"}
    if (top := r.fields(data, "", required, optional)) is None:
        raise PointsTableError(r.problems)
    if top.get("format", FORMAT) != FORMAT:
        r.problems.add("format", "format", got=top["format"])
    effective: Any = top.get("effective_from")
    try:
        effective = date.fromisoformat(effective)
    except (TypeError, ValueError):
        if "effective_from" in top:
            r.problems.add("effective_from", "effective_from")
    kinds = []
    for i, raw in enumerate(r.get(top, "kinds", "", "list") or []):
        path = f"kinds[{i}]"
        if (obj := r.fields(raw, path, {"code", "label", "label_en", "sign"})) is not None:
            fields = ("code", "label", "label_en", "sign")
            kinds.append(RecordKind(*(r.get(obj, f, path, "text") for f in fields)))
    rules = []
    for i, raw in enumerate(r.get(top, "indicators", "", "list") or []):
        path = f"indicators[{i}]"
        keys = {"decay", "half_life_days", "cap", "per_severity"}
        if (obj := r.fields(raw, path, {"indicator", "points", "window_days"}, keys)) is None:
            continue
        rules.append(
            IndicatorRule(
                indicator=r.get(obj, "indicator", path, "text"),
                points=r.get(obj, "points", path, "number"),
                window_days=r.get(obj, "window_days", path, "whole"),
                decay=obj.get("decay", Decay.NONE),
                half_life_days=r.get(obj, "half_life_days", path, "number", null=True),
                cap=r.get(obj, "cap", path, "number", null=True),
                per_severity=obj.get("per_severity", False),
            )
        )
    tags, industries = [], []
    for i, raw in enumerate(r.get(top, "tags", "", "list") or []):
        path = f"tags[{i}]"
        if (obj := r.fields(raw, path, {"code", "points"}, {"label"})) is not None:
            label = r.get(obj, "label", path, "text") or ""
            points = r.get(obj, "points", path, "number")
            tags.append(TagRisk(r.get(obj, "code", path, "text"), label, points))
    for i, raw in enumerate(r.get(top, "industries", "", "list") or []):
        path = f"industries[{i}]"
        if (obj := r.fields(raw, path, {"section", "points"}, {"label"})) is not None:
            label = r.get(obj, "label", path, "text") or ""
            points = r.get(obj, "points", path, "number")
            industries.append(IndustryRisk(r.get(obj, "section", path, "text"), label, points))
    thresholds = Thresholds(math.nan, math.nan, math.nan)
    if "thresholds" in top and (t := r.fields(top["thresholds"], "thresholds", set("ABC"))):
        thresholds = Thresholds(*(r.get(t, g, "thresholds", "number") for g in "ABC"))
    effects = []
    if "effects" in top and (e := r.fields(top["effects"], "effects", set(), set(Grade))):
        for g, raw in e.items():
            if g not in set(Grade):
                continue
            path, keys = f"effects.{g}", {"visit_cap_per_year", "flags"}
            obj = r.fields(raw, path, {"sampling_weight", "quiet_period_days"}, keys)
            if obj is None:
                continue
            weight: Any = obj.get("sampling_weight")
            with contextlib.suppress(InvalidOperation):
                weight = Decimal(weight) if isinstance(weight, str) else weight
            effects.append(
                GradeEffect(
                    grade=Grade(g),
                    sampling_weight=weight,
                    visit_cap_per_year=r.get(obj, "visit_cap_per_year", path, "whole", null=True),
                    quiet_period_days=r.get(obj, "quiet_period_days", path, "whole"),
                    flags=tuple(r.get(obj, "flags", path, "list") or ()),
                )
            )
    version = r.get(top, "version", "", "whole")
    base = r.get(top, "base", "", "number")
    name = r.get(top, "name", "", "text") or ""
    tag_cap = r.get(top, "tag_cap", "", "number", null=True)
    if r.problems:
        raise PointsTableError(r.problems)
    return PointsTable(
        version=version,
        effective_from=effective,
        name=name,
        base=float(base),
        rules=tuple(rules),
        tags=tuple(tags),
        tag_cap=tag_cap,
        industries=tuple(industries),
        thresholds=thresholds,
        effects=tuple(sorted(effects, key=lambda x: x.grade)),
        kinds=tuple(kinds),
    )


def table_from_json(text: str) -> PointsTable:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        out = ProblemList()
        out.add("json", "", line=exc.lineno, col=exc.colno, got=exc.msg)
        raise PointsTableError(out) from None
    return table_from_dict(data)

"""The dashboard's 总览 and 入企负担 tabs and the records behind every figure, from the facts.

Each page's data is one function `(*, scope, slice) -> dict` of plain values (what the
templates render, the exports write and bench/oversight.py times): a few Polars group-bys
over the contacts the viewer may see (wurao/oversight/facts.py). Definitions of every figure
are in docs/oversight.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import polars as pl
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wurao.accounts.scope import Scope
from wurao.enforcement.choices import ActionKind, Finding, Origin
from wurao.oversight import facts as oversight_facts
from wurao.oversight.filters import Slice
from wurao.planning import selectors as planning_selectors
from wurao.registry import selectors as registry_selectors
from wurao.registry.choices import Level
from wurao.visits.choices import VisitOrigin, VisitPurpose

NON_ENFORCEMENT_LABEL = _("非执法入企")
KIND_LABELS = {**dict(ActionKind.choices), "non_enforcement": NON_ENFORCEMENT_LABEL}
ORIGIN_LABELS = {**dict(VisitOrigin.choices), **dict(Origin.choices)}
PURPOSE_LABELS = dict(VisitPurpose.choices)
FINDING_LABELS = {"clean": Finding.CLEAN.label, "problems": Finding.PROBLEMS.label}
LEVEL_LABELS = dict(Level.choices)
NO_ORIGIN = "none"

# Contacts per enterprise in the period: the burden histogram's buckets (inclusive bounds).
BUCKETS: list[tuple[str, int, int | None]] = [
    ("1", 1, 1),
    ("2", 2, 2),
    ("3-5", 3, 5),
    ("6-10", 6, 10),
    ("11-20", 11, 20),
    ("21-50", 21, 50),
    ("51+", 51, None),
]
TOP = 50


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _counted(lf: pl.LazyFrame, column: str) -> pl.LazyFrame:
    return lf.group_by(column).len()


def _pairs(grouped: pl.DataFrame, column: str) -> list[tuple]:
    """(value, count) by count descending then value; nulls kept (None)."""
    if grouped.is_empty():
        return []
    grouped = grouped.with_columns(
        pl.col(column).cast(pl.String) if grouped[column].dtype != pl.Int64 else pl.col(column)
    )
    grouped = grouped.sort(["len", column], descending=[True, False], nulls_last=True)
    return list(zip(grouped[column], grouped["len"], strict=True))


def _reason(row_origin, row_purpose) -> str:
    """A contact's why: an action's or inspection's origin, a non-enforcement visit's purpose."""
    return row_purpose or row_origin or NO_ORIGIN


def _reason_label(code: str) -> str:
    if code == NO_ORIGIN:
        return str(_("未注明"))
    return str(PURPOSE_LABELS.get(code) or ORIGIN_LABELS.get(code) or code)


def _reason_is(code: str) -> pl.Expr:
    """Contacts whose reason (purpose, else origin) is `code`."""
    if code == NO_ORIGIN:
        return pl.col("purpose").is_null() & pl.col("origin").is_null()
    if code in PURPOSE_LABELS:
        return pl.col("purpose") == code
    return pl.col("purpose").is_null() & (pl.col("origin") == code)


def _reasons(grouped: pl.DataFrame) -> list[tuple[str, int]]:
    """(reason, count) from counts grouped by origin and purpose, most first."""
    totals: dict[str, int] = {}
    for origin, purpose, n in grouped.select("origin", "purpose", "len").iter_rows():
        reason = _reason(origin, purpose)
        totals[reason] = totals.get(reason, 0) + int(n)
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))


def _names() -> dict[int, str]:
    return oversight_facts.department_names()


# ---------------------------------------------------------------------------- 总览 overview


def overview_data(*, scope: Scope, slice: Slice, enterprise_id: int | None = None) -> dict:  # noqa: A002
    """Table 1, Figure 1, the district random-draw share, joint visits, origins, enforcement
    vs non-enforcement, and Figure 2 (one enterprise's contacts by organisation: the given
    one, or the most-visited in the slice)."""
    lf = oversight_facts.contacts_lazy(scope=scope, slice=slice)
    names = _names()
    actions = lf.filter(pl.col("source") == "action")
    others = lf.filter(pl.col("source") == "visit")
    inspections = actions.filter(pl.col("kind") == "inspection")
    random_inspections = inspections.filter(pl.col("origin") == Origin.RANDOM_DRAW)
    (
        kinds_frame,
        departments_frame,
        district_frame,
        joint_random_frame,
        joint_frame,
        origins_frame,
        purposes_frame,
        organisations_frame,
        busiest_frame,
        off_site_frame,
    ) = pl.collect_all(
        [
            _counted(lf, "kind"),
            _counted(actions, "department_id"),
            _counted(inspections.filter(pl.col("level") == Level.DISTRICT), "origin"),
            _joint_groups(random_inspections),
            _joint_groups(actions),
            _counted(actions, "origin"),
            _counted(others, "purpose"),
            _counted(others, "department_id"),
            oversight_facts.on_site(lf)
            .group_by("enterprise_id")
            .len()
            .sort(["len", "enterprise_id"], descending=[True, False])
            .head(1),
            inspections.filter(pl.col("off_site")).select(pl.len()),
        ]
    )
    # Off-site inspections are inspections in Table 1, never visits (入企) below.
    off_site = int(off_site_frame.item()) if off_site_frame.height else 0
    kinds = dict(_pairs(kinds_frame, "kind"))
    by_kind = {k.value: int(kinds.get(k.value, 0)) for k in ActionKind}
    total = sum(by_kind.values())
    non_enforcement = int(kinds.get("non_enforcement", 0))
    table1 = [
        {"kind": k, "label": str(KIND_LABELS[k]), "count": n, "share": _share(n, total)}
        for k, n in by_kind.items()
    ]
    by_department = [
        {"department_id": int(d), "name": names.get(int(d), str(d)), "count": int(n)}
        for d, n in _pairs(departments_frame, "department_id")
    ]
    top3 = sum(r["count"] for r in by_department[:3])
    district = dict(_pairs(district_frame, "origin"))
    district_total = sum(int(n) for n in district.values())
    random_district = int(district.get(Origin.RANDOM_DRAW, 0))
    origins = [
        {
            "origin": o or NO_ORIGIN,
            "label": _reason_label(o or NO_ORIGIN),
            "count": int(n),
            "share": _share(int(n), total),
        }
        for o, n in _pairs(origins_frame, "origin")
    ]
    purposes = [
        {
            "purpose": p or NO_ORIGIN,
            "label": _reason_label(p or NO_ORIGIN),
            "count": int(n),
            "share": _share(int(n), non_enforcement),
        }
        for p, n in _pairs(purposes_frame, "purpose")
    ]
    non_enforcement_by_organisation = [
        {"department_id": int(d), "name": names.get(int(d), str(d)), "count": int(n)}
        for d, n in _pairs(organisations_frame, "department_id")
    ]
    contacts_total = total - off_site + non_enforcement
    visited = oversight_facts.on_site(lf)
    if enterprise_id is None and not busiest_frame.is_empty():
        figure2 = _figure2(visited, int(busiest_frame["enterprise_id"][0]), chosen=False)
    elif enterprise_id is None:
        figure2 = {"enterprise_id": None, "chosen": False, "rows": [], "total": 0}
    else:
        figure2 = _figure2(visited, enterprise_id, chosen=True)
    return {
        "period": (slice.date_from, slice.date_to),
        "by_kind": by_kind,
        "total": total,
        "table1": table1,
        "shares": {r["kind"]: r["share"] or 0.0 for r in table1},
        "by_department": by_department,
        "top3_share": _share(top3, total),
        "district_inspections": district_total,
        "random_draw_inspections": random_district,
        "random_share": _share(random_district, district_total),
        "joint_random_visits": _joint_figures(joint_random_frame)["visits"],
        "origins": origins,
        "contacts": {
            "total": contacts_total,
            "enforcement": total - off_site,
            "non_enforcement": non_enforcement,
            "off_site_inspections": off_site,
            "non_enforcement_share": _share(non_enforcement, contacts_total),
        },
        "purposes": purposes,
        "non_enforcement_by_organisation": non_enforcement_by_organisation,
        "joint": {
            "actions": _joint_figures(joint_frame),
            "planned": _planned_joint_visits(scope=scope, slice=slice),
        },
        "figure2": figure2,
    }


def _joint_groups(actions: pl.LazyFrame) -> pl.LazyFrame:
    """Actions sharing a joint reference with two or more departments: one joint visit each,
    replacing as many separate visits as it had departments."""
    return (
        actions.filter(pl.col("joint_ref").is_not_null())
        .group_by("joint_ref")
        .agg(k=pl.col("department_id").n_unique())
        .filter(pl.col("k") >= 2)
        .select(visits=pl.len(), department_visits=pl.col("k").sum())
    )


def _joint_figures(groups: pl.DataFrame) -> dict:
    visits = int(groups["visits"][0] or 0) if groups.height else 0
    k = int(groups["department_visits"][0] or 0) if groups.height else 0
    return {"visits": visits, "department_visits": k, "saved": k - visits}


def _planned_joint_visits(*, scope: Scope, slice: Slice) -> dict:
    """Confirmed joint visits scheduled by the platform (planning) in the period: a visit of k
    departments replaced k separate ones."""
    rows = (
        planning_selectors.joint_visit_list(scope=scope, filters={"status": "confirmed"})
        .filter(date__gte=slice.date_from, date__lte=slice.date_to)
        .prefetch_related(None)
        .order_by()
        .values_list("id", "enterprise_id", "inspections__plan__department_id")
    )
    frame = pl.DataFrame(
        list(rows),
        schema={"id": pl.Int64, "enterprise_id": pl.Int64, "department_id": pl.Int64},
        orient="row",
    )
    if frame.is_empty():
        return {"visits": 0, "department_visits": 0, "saved": 0}
    attributes = oversight_facts.enterprises_in(scope=scope, slice=slice)
    frame = frame.join(attributes.select("enterprise_id"), on="enterprise_id", how="semi")
    if slice.department_id:
        ids = frame.filter(pl.col("department_id") == slice.department_id)["id"]
        frame = frame.filter(pl.col("id").is_in(ids.implode()))
    groups = (
        frame.drop_nulls("department_id").group_by("id").agg(k=pl.col("department_id").n_unique())
    ).filter(pl.col("k") >= 2)
    k = int(groups["k"].sum() or 0)
    return {"visits": groups.height, "department_visits": k, "saved": k - groups.height}


def _figure2(lf: pl.LazyFrame, enterprise_id: int, *, chosen: bool) -> dict:
    """One enterprise's contacts in the slice by organisation, enforcement or not."""
    rows = by_organisation(lf.filter(pl.col("enterprise_id") == enterprise_id))
    enforcement = sum(r["enforcement"] for r in rows)
    other = sum(r["other"] for r in rows)
    return {
        "enterprise_id": int(enterprise_id),
        "chosen": chosen,
        "rows": rows,
        "total": enforcement + other,
        "enforcement": enforcement,
        "other": other,
        "other_share": _share(other, enforcement + other),
    }


def by_organisation(contacts: pl.LazyFrame | pl.DataFrame) -> list[dict]:
    """Contacts by acting (lead) organisation: enforcement actions and other visits."""
    names = _names()
    grouped = (
        contacts.lazy()
        .group_by("department_id")
        .agg(
            enforcement=(pl.col("source") == "action").sum(),
            other=(pl.col("source") == "visit").sum(),
        )
        .collect()
    )
    rows = [
        {
            "department_id": int(d),
            "organisation": names.get(int(d), str(d)),
            "enforcement": int(e),
            "other": int(o),
        }
        for d, e, o in grouped.select("department_id", "enforcement", "other").iter_rows()
    ]
    return sorted(rows, key=lambda r: (-(r["enforcement"] + r["other"]), r["organisation"]))


# ------------------------------------------------------------------------ 入企负担 burden


def per_enterprise(contacts: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    return (
        contacts.lazy()
        .group_by("enterprise_id")
        .agg(
            n=pl.len(),
            enforcement=(pl.col("source") == "action").sum(),
            other=(pl.col("source") == "visit").sum(),
        )
    )


def bucket_of(label: str) -> tuple[int, int | None] | None:
    for name, low, high in BUCKETS:
        if name == label:
            return low, high
    return None


def burden_data(*, scope: Scope, slice: Slice) -> dict:  # noqa: A002
    """Contacts per enterprise: histogram, concentration (Lorenz-style), the top 50."""
    contacts = oversight_facts.on_site(oversight_facts.contacts_lazy(scope=scope, slice=slice))
    counts = (
        per_enterprise(contacts).sort(["n", "enterprise_id"], descending=[True, False]).collect()
    )
    visited = counts.height
    total = int(counts["n"].sum() or 0)
    histogram = []
    for name, low, high in BUCKETS:
        inside = counts.filter(
            (pl.col("n") >= low) & (pl.col("n") <= high if high is not None else pl.lit(True))
        )
        histogram.append(
            {
                "bucket": name,
                "enterprises": inside.height,
                "contacts": int(inside["n"].sum() or 0),
                "share": _share(inside.height, visited),
            }
        )
    n = counts["n"]
    cumulative = n.cum_sum() if visited else n

    def top_share(fraction: float) -> dict:
        k = max(1, math.ceil(visited * fraction)) if visited else 0
        on_top = int(cumulative[k - 1]) if k else 0
        return {"enterprises": k, "contacts": on_top, "share": _share(on_top, total)}

    # Lorenz-style: x the share of visited enterprises (most-visited first), y the share of
    # all contacts they received; at most 101 points.
    points = [{"x": 0.0, "y": 0.0, "enterprises": 0}]
    if visited:
        steps = sorted({max(1, round(visited * i / 100)) for i in range(1, 101)})
        points += [
            {
                "x": round(100 * k / visited, 2),
                "y": round(100 * int(cumulative[k - 1]) / total, 2),
                "enterprises": k,
            }
            for k in steps
        ]
    enterprises_in_scope = oversight_facts.enterprises_in(scope=scope, slice=slice).height
    return {
        "period": (slice.date_from, slice.date_to),
        "contacts": total,
        "enterprises_visited": visited,
        "enterprises": enterprises_in_scope,
        "enterprises_never": max(0, enterprises_in_scope - visited)
        if not slice.department_id and not slice.level and not scope.department_id
        else None,
        "mean": round(total / visited, 2) if visited else None,
        "max": int(n[0]) if visited else 0,
        "histogram": histogram,
        "top1": top_share(0.01),
        "top10": top_share(0.10),
        "lorenz": points,
        "top": _top(contacts, counts.head(TOP)),
    }


def _top(contacts: pl.LazyFrame, counts: pl.DataFrame) -> list[dict]:
    """The most-visited enterprises with their contacts by organisation and by reason."""
    if counts.is_empty():
        return []
    ids = counts["enterprise_id"].to_list()
    mine = contacts.filter(pl.col("enterprise_id").is_in(ids))
    organisations, reasons = pl.collect_all(
        [
            mine.group_by("enterprise_id", "department_id").len(),
            mine.group_by("enterprise_id", "origin", "purpose").len(),
        ]
    )
    names = _names()
    by_org: dict[int, list] = {}
    for e, d, k in organisations.sort(
        ["enterprise_id", "len", "department_id"], descending=[False, True, False]
    ).iter_rows():
        by_org.setdefault(e, []).append(
            {"department_id": int(d), "name": names.get(int(d), str(d)), "count": int(k)}
        )
    by_reason: dict[int, list] = {}
    for e in ids:
        own = reasons.filter(pl.col("enterprise_id") == e)
        by_reason[e] = [
            {"reason": r, "label": _reason_label(r), "count": k} for r, k in _reasons(own)
        ]
    enterprises = {
        e.pk: e
        for e in registry_selectors.enterprise_list(scope=oversight_facts.ALL)
        .filter(pk__in=ids)
        .select_related(None)
        .only("pk", "name", "credit_code", "four_above", "above_scale")
    }
    rows = []
    for rank, (e, n, enforcement, other) in enumerate(counts.iter_rows(), start=1):
        enterprise = enterprises.get(e)
        rows.append(
            {
                "rank": rank,
                "enterprise_id": int(e),
                "name": enterprise.name if enterprise else str(e),
                "credit_code": enterprise.credit_code if enterprise else "",
                "key": bool(enterprise and (enterprise.four_above or enterprise.above_scale)),
                "dossier_url": reverse("dossier:enterprise-detail", args=[e]),
                "contacts": int(n),
                "enforcement": int(enforcement),
                "other": int(other),
                "by_organisation": by_org.get(e, []),
                "by_reason": by_reason.get(e, []),
            }
        )
    return rows


# ------------------------------------------------------------------ records behind a figure

RECORD_FILTERS = ("enterprise", "organisation", "kind", "reason", "bucket", "joint", "key", "top")


def records_data(
    *,
    scope: Scope,
    slice: Slice,  # noqa: A002
    page: int = 1,
    per_page: int = 50,
    enterprise: int | None = None,
    organisation: int | None = None,
    kind: str | None = None,
    reason: str | None = None,
    bucket: str | None = None,
    joint: bool = False,
    key: bool = False,
    top: int | None = None,
) -> dict:
    """The contacts behind a figure, newest first, one page of them.

    kind: a kind, or "enforcement" (every action); organisation: the acting (lead) department;
    reason: an origin or a purpose ("none" for neither); bucket: a histogram bucket (the
    enterprises with that many contacts in the slice); joint: actions of joint visits (two or
    more departments under one joint reference); key: key enterprises (四上/规上) only; top:
    the `top` most-visited enterprises of the slice (a point of the concentration curve)."""
    lf = oversight_facts.contacts_lazy(scope=scope, slice=slice)
    chosen = None  # enterprises picked by their number of contacts in the slice
    if top or (bucket and bucket_of(bucket)):
        ranked = per_enterprise(lf)
        if top:
            ranked = ranked.sort(["n", "enterprise_id"], descending=[True, False]).head(top)
        if bucket and (bounds := bucket_of(bucket)):
            low, high = bounds
            ranked = ranked.filter(pl.col("n") >= low)
            if high is not None:
                ranked = ranked.filter(pl.col("n") <= high)
        chosen = ranked.select("enterprise_id").collect()["enterprise_id"]
    conditions = []
    if chosen is not None:
        conditions.append(pl.col("enterprise_id").is_in(chosen.implode()))
    if enterprise:
        conditions.append(pl.col("enterprise_id") == enterprise)
    if organisation:
        conditions.append(pl.col("department_id") == organisation)
    if kind == "enforcement":
        conditions.append(pl.col("source") == "action")
    elif kind:
        conditions.append(pl.col("kind") == kind)
    if reason:
        conditions.append(_reason_is(reason))
    if key:
        conditions.append(pl.col("key"))
    if conditions:
        lf = lf.filter(*conditions)
    if joint:
        refs = (
            lf.filter(pl.col("joint_ref").is_not_null())
            .group_by("joint_ref")
            .agg(k=pl.col("department_id").n_unique())
            .filter(pl.col("k") >= 2)
            .select("joint_ref")
            .collect()["joint_ref"]
        )
        lf = lf.filter(pl.col("joint_ref").is_in(refs.implode()))
    total = int(lf.select(pl.len()).collect().item())
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    # Newest first: top_k keeps only the rows up to this page (a full sort of a district's
    # year of inspections takes over a second).
    rows = (
        lf.top_k(min(total, page * per_page), by=["date", "id"])
        .sort(["date", "id"], descending=True)
        .slice((page - 1) * per_page, per_page)
        .collect()
    )
    return {
        "total": total,
        "page": page,
        "pages": pages,
        "per_page": per_page,
        "rows": _record_rows(rows.iter_rows(named=True)),
        "filters": {
            "enterprise": enterprise,
            "organisation": organisation,
            "kind": kind,
            "reason": reason,
            "bucket": bucket,
            "joint": joint,
            "key": key,
            "top": top,
        },
    }


def records_all(*, scope: Scope, slice: Slice, **filters) -> list[dict]:  # noqa: A002
    """Every record the filters select (the XLSX download), newest first."""
    first = records_data(scope=scope, slice=slice, per_page=10**9, **filters)
    return first["rows"]


def _record_rows(rows: Iterable[dict]) -> list[dict]:
    rows = list(rows)
    names = _names()
    ids = {r["enterprise_id"] for r in rows}
    enterprises = {
        pk: (name, code)
        for pk, name, code in registry_selectors.enterprise_list(scope=oversight_facts.ALL)
        .filter(pk__in=ids)
        .order_by()
        .values_list("pk", "name", "credit_code")
    }
    out = []
    for r in rows:
        name, code = enterprises.get(r["enterprise_id"], (str(r["enterprise_id"]), ""))
        reason = _reason(r["origin"], r["purpose"])
        out.append(
            {
                "source": r["source"],
                "id": r["id"],
                "date": r["date"],
                "enterprise_id": r["enterprise_id"],
                "enterprise": name,
                "credit_code": code,
                "dossier_url": reverse("dossier:enterprise-detail", args=[r["enterprise_id"]]),
                "organisation": names.get(r["department_id"], str(r["department_id"])),
                "level": str(LEVEL_LABELS.get(r["level"], r["level"] or "")),
                "kind": r["kind"],
                "kind_label": str(KIND_LABELS.get(r["kind"], r["kind"])),
                "reason": reason,
                "reason_label": _reason_label(reason),
                "finding": str(FINDING_LABELS.get(r["finding"], "")) if r["finding"] else "",
                "joint_ref": r["joint_ref"] or "",
            }
        )
    return out

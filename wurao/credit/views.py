"""Credit pages (信用分级分类). The enterprise's portal: its grade, every reason behind it, its
objections, repairs and commitments. The departments' reviews and commitments. The justice
bureau's points tables, regrading and the list of grade changes.

Who sees what: an enterprise itself only; a department the requests addressed to it and any
enterprise's breakdown (the registry is shared); a street its own area; the justice bureau
everything. Whatever a user may not see looks exactly like something missing (404).
"""

import math
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wurao.accounts.choices import Role
from wurao.accounts.scope import Scope, scope_for
from wurao.credit import selectors, services
from wurao.credit.choices import CommitmentStatus, Grade, RecordSource, ReviewStatus
from wurao.credit.engine import INDUSTRY_INDICATOR, TAG_INDICATOR
from wurao.credit.forms import (
    CommitmentDecideForm,
    CommitmentFilterForm,
    CommitmentSignForm,
    GradeChangeFilterForm,
    PointsTableForm,
    RegradeForm,
    ReviewDecideForm,
    ReviewFilterForm,
    ReviewRequestForm,
)
from wurao.credit.grading import enterprise_breakdown, grades_recompute, points_table_publish
from wurao.credit.models import CreditObjection, CreditRepair
from wurao.credit.points import DECAY_LABELS, DEFAULT_TABLE, INDICATORS, table_from_dict
from wurao.credit.points import table_to_dict as points_table_to_dict
from wurao.registry import selectors as registry_selectors
from wurao.registry.models import Enterprise
from wurao.web.pagination import page_range, paginate
from wurao.web.rendering import render_page_or_partial

REVIEW_KINDS = {"objection": CreditObjection, "repair": CreditRepair}
KIND_LABELS = {"objection": "信用异议", "repair": "信用修复"}
# Records an enterprise may object to or ask to repair: those a department is responsible for.
REVIEWABLE = {RecordSource.ACTION, RecordSource.ALERT, RecordSource.COMMITMENT}
GRADES = [g.value for g in Grade]


# ---------------------------------------------------------------- who may do what


def _is_justice(user) -> bool:
    return user.is_superuser or user.role == Role.JUSTICE


def _require_justice(user) -> None:
    if not _is_justice(user):
        raise PermissionDenied


def _own_enterprise(user) -> tuple[Scope, Enterprise]:
    scope = scope_for(user)
    if not scope.enterprise_id:
        raise PermissionDenied
    try:
        return scope, registry_selectors.enterprise_get(scope=scope, pk=scope.enterprise_id)
    except Enterprise.DoesNotExist:
        raise Http404 from None


def _department_or_justice(user) -> Scope:
    scope = scope_for(user)
    if not (scope.sees_all or scope.department_id):
        raise PermissionDenied
    return scope


def _visible_request(user, kind: str, pk: int):
    """An objection or repair for its enterprise, its department or the justice bureau."""
    scope = scope_for(user)
    if kind not in REVIEW_KINDS or not (
        scope.sees_all or scope.department_id or scope.enterprise_id
    ):
        raise Http404
    model = REVIEW_KINDS[kind]
    try:
        return selectors.review_request_list(scope=scope, kind=model).get(pk=pk)
    except model.DoesNotExist:
        raise Http404 from None


def _decides(user, review) -> bool:
    return user.role == Role.DEPT_ADMIN and user.department_id == review.department_id


def _records_commitments(user, commitment) -> bool:
    return user.role == Role.DEPT_ADMIN and user.department_id == commitment.item.department_id


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
        return "风险标签"
    if code == INDUSTRY_INDICATOR:
        return "行业门类"
    return INDICATORS[code].label if code in INDICATORS else code


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
                "reason": row["reason_zh"],
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


def effect_rows(current: str | None) -> list[dict]:
    """What each grade means today, from the table in force: the grade's own row marked."""
    effects = selectors.grade_effects()
    return [
        {
            "grade": g,
            "label": Grade(g).label,
            "weight": effects[g]["sampling_weight"],
            "visit_cap": effects[g].get("visit_cap_per_year"),
            "quiet_days": effects[g]["quiet_period_days"],
            "flags": effects[g].get("flags", []),
            "current": g == current,
        }
        for g in GRADES
        if g in effects
    ]


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


# ---------------------------------------------------------------- enterprise portal


def _portal_context(request, scope: Scope, enterprise, *, sign_form=None) -> dict:
    explained = explained_grade(enterprise.pk)
    requests = annotated_requests(
        [
            *selectors.objection_list(scope=scope),
            *selectors.repair_list(scope=scope),
        ]
    )
    requests.sort(key=lambda r: r.filed_at, reverse=True)
    pending = {
        (r.record_source, r.record_id): r.kind_label
        for r in requests
        if r.status == ReviewStatus.SUBMITTED
    }
    for row in explained["rows"]:
        row["pending"] = pending.get((row["source"], row["source_id"]))
    commitments = list(selectors.commitment_list(scope=scope))
    awaiting = {c.item_id for c in commitments if c.status == CommitmentStatus.SIGNED}
    grade = explained["grade"]
    return {
        "enterprise": enterprise,
        "explained": explained,
        "effects": effect_rows(grade.grade if grade else None),
        "requests": requests,
        "items": selectors.commitment_item_list(),
        "awaiting_items": awaiting,
        "commitments": commitments,
        "sign_form": sign_form,
        "scope": scope,
        "portal": True,
    }


@login_required
def portal(request):
    scope = scope_for(request.user)
    if not scope.enterprise_id:
        if scope.department_id:
            return redirect("credit:review-list")
        if scope.sees_all or scope.street_id:
            return redirect("credit:change-list")
        raise PermissionDenied
    scope, enterprise = _own_enterprise(request.user)
    return render(request, "credit/portal.html", _portal_context(request, scope, enterprise))


@login_required
def request_new(request, kind: str, source: str, record_id: int):
    """An objection (信用异议) or a repair application (信用修复) about one record of the
    breakdown that lowers the score."""
    scope, enterprise = _own_enterprise(request.user)
    explained = explained_grade(enterprise.pk)
    row = next(
        (
            r
            for r in explained["rows"]
            if r["reviewable"] and r["source"] == source and r["source_id"] == record_id
        ),
        None,
    )
    if kind not in REVIEW_KINDS or row is None:
        raise Http404
    form = ReviewRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = services.objection_file if kind == "objection" else services.repair_apply
        try:
            filed = file(
                actor=request.user,
                enterprise=enterprise,
                record_source=source,
                record_id=record_id,
                reason=form.cleaned_data["reason"],
                evidence=form.cleaned_data["evidence"] or None,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"已提交{KIND_LABELS[kind]}，由{filed.department.name}在 {filed.due_on} 前审核；"
                "审核结果将显示在本页“异议与修复”中。",
            )
            return redirect(f"{reverse('credit:portal')}#requests")
    record = selectors.review_record_labels(refs=[(source, record_id)]).get((source, record_id))
    context = {
        "form": form,
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "row": row,
        "record": record,
        "enterprise": enterprise,
        "review_days": settings.CREDIT_REVIEW_WORKING_DAYS,
    }
    return render(request, "credit/request_form.html", context)


@login_required
@require_POST
def commitment_sign(request):
    scope, enterprise = _own_enterprise(request.user)
    form = CommitmentSignForm(request.POST, items=selectors.commitment_item_list())
    if form.is_valid():
        item = form.cleaned_data["item"]
        try:
            services.commitment_sign(actor=request.user, enterprise=enterprise, item=item)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"已签署“{item.title}”。{item.department.name}将认定履约情况："
                "履行承诺计入加分，违背承诺计入扣分。",
            )
            return redirect(f"{reverse('credit:portal')}#commitments")
    context = _portal_context(request, scope, enterprise, sign_form=form)
    return render(request, "credit/portal.html", context)


# ---------------------------------------------------------------- one enterprise, for officers


@login_required
def enterprise_detail(request, pk: int):
    scope = scope_for(request.user)
    if scope.enterprise_id and scope.enterprise_id == pk:
        return redirect("credit:portal")
    try:
        # The registry's own rule: departments and the bureau any, a street its area.
        enterprise = registry_selectors.enterprise_get(scope=scope, pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404 from None
    explained = explained_grade(enterprise.pk)
    grade = explained["grade"]
    context = {
        "enterprise": enterprise,
        "explained": explained,
        "effects": effect_rows(grade.grade if grade else None),
        "changes": selectors.grade_change_list(scope=scope).filter(enterprise_id=pk)[:20],
        "scope": scope,
    }
    return render(request, "credit/enterprise.html", context)


# ---------------------------------------------------------------- departments: reviews


@login_required
def review_list(request):
    scope = _department_or_justice(request.user)
    form = ReviewFilterForm(request.GET or None)
    kind = request.GET.get("kind") if request.GET.get("kind") in REVIEW_KINDS else "objection"
    queryset = selectors.review_request_list(
        scope=scope, kind=REVIEW_KINDS[kind], filters=form.filters()
    )
    page = paginate(request, queryset)
    page.object_list = annotated_requests(page.object_list)
    tabs = [
        {
            "kind": k,
            "label": KIND_LABELS[k],
            "active": k == kind,
            "pending": selectors.review_request_list(
                scope=scope, kind=model, filters={"status": ReviewStatus.SUBMITTED}
            ).count(),
            "overdue": selectors.review_request_list(
                scope=scope, kind=model, filters={"overdue": True}
            ).count(),
        }
        for k, model in REVIEW_KINDS.items()
    ]
    context = {
        "form": form,
        "kind": kind,
        "tabs": tabs,
        "page_obj": page,
        "page_range": page_range(page),
        "scope": scope,
    }
    return render_page_or_partial(
        request, "credit/review_list.html", "credit/_review_results.html", context
    )


def _review_context(request, review, *, form=None) -> dict:
    (review,) = annotated_requests([review])
    explained = explained_grade(review.enterprise_id)
    row = next(
        (
            r
            for r in explained["rows"]
            if r["source"] == review.record_source and r["source_id"] == review.record_id
        ),
        None,
    )
    decides = _decides(request.user, review) and review.status == ReviewStatus.SUBMITTED
    return {
        "review": review,
        "row": row,
        "explained": explained,
        "form": (form or ReviewDecideForm()) if decides else None,
        "scope": scope_for(request.user),
    }


@login_required
def review_detail(request, kind: str, pk: int):
    review = _visible_request(request.user, kind, pk)
    return render(request, "credit/review_detail.html", _review_context(request, review))


@login_required
@require_POST
def review_decide(request, kind: str, pk: int):
    review = _visible_request(request.user, kind, pk)
    if not _decides(request.user, review):
        raise PermissionDenied
    form = ReviewDecideForm(request.POST)
    if form.is_valid():
        try:
            review = services.review_decide(
                actor=request.user, request=review, **form.decide_kwargs()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            outcome = (
                f"已通过，公示期满后（{review.effective_from} 起）该记录不再计分"
                if review.status == ReviewStatus.APPROVED
                else "未通过，记录照常计分"
            )
            messages.success(
                request, f"{KIND_LABELS[kind]}审核完成：{outcome}。企业可在门户查看审核意见。"
            )
            return redirect("credit:review-detail", kind=kind, pk=pk)
    context = _review_context(request, review, form=form)
    return render(request, "credit/review_detail.html", context)


@login_required
def review_evidence(request, kind: str, pk: int):
    """The evidence file, served only to the enterprise, the department and the justice bureau
    (never from MEDIA_URL, which would serve it to anyone who has the link)."""
    review = _visible_request(request.user, kind, pk)
    if not review.evidence:
        raise Http404
    try:
        handle = review.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=Path(review.evidence.name).name)


# ---------------------------------------------------------------- departments: commitments


def _commitment_context(request, scope, *, forms=None) -> dict:
    form = CommitmentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, selectors.commitment_list(scope=scope, filters=filters))
    forms = forms or {}
    rows = [
        {
            "commitment": c,
            "form": forms.get(c.pk) or CommitmentDecideForm(prefix=f"c{c.pk}")
            if c.status == CommitmentStatus.SIGNED and _records_commitments(request.user, c)
            else None,
        }
        for c in page.object_list
    ]
    return {
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "rows": rows,
        "scope": scope,
    }


@login_required
def commitment_list(request):
    scope = _department_or_justice(request.user)
    return render_page_or_partial(
        request,
        "credit/commitment_list.html",
        "credit/_commitment_results.html",
        _commitment_context(request, scope),
    )


@login_required
@require_POST
def commitment_decide(request, pk: int):
    scope = _department_or_justice(request.user)
    commitment = selectors.commitment_list(scope=scope).filter(pk=pk).first()
    if commitment is None:
        raise Http404
    if not _records_commitments(request.user, commitment):
        raise PermissionDenied
    form = CommitmentDecideForm(request.POST, prefix=f"c{pk}")
    if form.is_valid():
        try:
            commitment = services.commitment_decide(
                actor=request.user, commitment=commitment, **form.decide_kwargs()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"已认定 {commitment.enterprise.name}“{commitment.item.title}”"
                f"{commitment.get_status_display()}，下次评级时计入信用分。",
            )
            return redirect("credit:commitment-list")
    context = _commitment_context(request, scope, forms={pk: form})
    return render(request, "credit/commitment_list.html", context)


# ---------------------------------------------------------------- points tables


def table_display(version) -> dict:
    """A stored table for reading: each indicator's rule in words, tags, industries, effects."""
    table = table_from_dict(version.table)
    rules = [
        {
            "label": INDICATORS[r.indicator].label,
            "points": r.points,
            "per_severity": r.per_severity,
            "window_days": r.window_days,
            "decay": DECAY_LABELS[r.decay],
            "half_life_days": r.half_life_days,
            "cap": r.cap,
        }
        for r in table.rules
    ]
    scored = {r.indicator for r in table.rules}
    return {
        "table": table,
        "rules": rules,
        "unscored": [info.label for i, info in INDICATORS.items() if i not in scored],
        "effects": [
            {"effect": e, "label": Grade(str(e.grade)).label, "flags": e.flags}
            for e in table.effects
        ],
    }


@login_required
def table_list(request):
    # The rules an enterprise is graded by are public to every signed-in user; only the
    # justice bureau changes them.
    current = selectors.points_table_current()
    context = {
        "versions": selectors.points_table_versions(),
        "current": current,
        "is_justice": _is_justice(request.user),
        "regrade_form": RegradeForm(initial={"as_of": timezone.localdate()}),
    }
    return render(request, "credit/table_list.html", context)


@login_required
def table_detail(request, version: int):
    row = selectors.points_table_versions().filter(version=version).first()
    if row is None:
        raise Http404
    current = selectors.points_table_current()
    context = {
        "version": row,
        "is_current": current is not None and current.pk == row.pk,
        "is_justice": _is_justice(request.user),
        **table_display(row),
    }
    return render(request, "credit/table_detail.html", context)


@login_required
def table_new(request):
    _require_justice(request.user)
    current = selectors.points_table_current() or selectors.points_table_versions().first()
    table = current.table if current else points_table_to_dict(DEFAULT_TABLE)
    risk_tags = list(registry_selectors.risk_tag_list().values_list("code", "name"))
    form = PointsTableForm(
        request.POST or None,
        table=table,
        risk_tags=risk_tags,
        initial={"effective_from": timezone.localdate()},
    )
    if request.method == "POST" and form.ready():
        try:
            published = points_table_publish(
                actor=request.user,
                table=form.table(),
                effective_from=form.cleaned_data["effective_from"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"已发布第 {published.version} 版计分表，自 {published.effective_from} 起生效。"
                "已有的等级不变；重新评级后按新版计分。",
            )
            return redirect("credit:table-detail", version=published.version)
    return render(request, "credit/table_form.html", {"form": form, "based_on": current})


@login_required
@require_POST
def regrade(request):
    _require_justice(request.user)
    form = RegradeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, f"评价基准日：{message}")
        return redirect("credit:table-list")
    as_of = form.cleaned_data["as_of"]
    try:
        summary = grades_recompute(actor=request.user, as_of=as_of)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("credit:table-list")
    spread = "，".join(f"{g} 级 {n:,} 家" for g, n in summary["by_grade"].items())
    messages.success(
        request,
        f"已按第 {summary['table_version']} 版计分表重新评级 {summary['enterprises']:,} 家企业"
        f"（评价基准日 {summary['as_of']}）：{spread}；等级变动 {summary['changed']:,} 家。",
    )
    return redirect(f"{reverse('credit:change-list')}?as_of={as_of.isoformat()}")


# ---------------------------------------------------------------- grade changes


@login_required
def change_list(request):
    """Who moved to which grade at a regrade, and why. Departments see every enterprise's
    changes (the registry is shared), a street its area; by default the latest regrade."""
    scope = scope_for(request.user)
    if scope.enterprise_id:
        return redirect("credit:portal")
    if scope.sees_nothing:
        raise PermissionDenied
    changes = selectors.grade_change_list(scope=scope)
    dates = list(changes.order_by("-as_of").values_list("as_of", flat=True).distinct())
    data = request.GET.copy()
    # The latest regrade is the one that wrote the last change (ids grow with each regrade).
    if "as_of" not in data and (latest := changes.order_by("-pk").first()):
        data["as_of"] = latest.as_of.isoformat()
    form = GradeChangeFilterForm(data, dates=dates)
    filters = form.filters()
    moves = (
        selectors.grade_change_list(scope=scope, filters={"as_of": filters.get("as_of")})
        .values_list("previous_grade", "grade")
        .annotate(n=Count("id"))
        .order_by()
    )
    summary: Counter = Counter()
    by_grade: Counter = Counter()
    for previous, grade, n in moves:
        by_grade[grade] += n
        summary["new" if not previous else "down" if grade > previous else "up"] += n
    changes = selectors.grade_change_list(scope=scope, filters=filters)
    if filters.get("as_of"):
        # One regrade: the riskiest first, "who moved to D today".
        changes = changes.order_by("-grade", "score", "pk")
    page = paginate(request, changes)
    context = {
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "summary": summary,
        "by_grade": [(g, by_grade.get(g, 0)) for g in GRADES],
        "as_of": filters.get("as_of"),
        "is_justice": _is_justice(request.user),
        "regrade_form": RegradeForm(initial={"as_of": timezone.localdate()}),
        "scope": scope,
    }
    return render_page_or_partial(
        request, "credit/change_list.html", "credit/_change_results.html", context
    )

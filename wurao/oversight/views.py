"""The dashboard's 总览 and 入企负担 tabs and the records behind every figure.

Each view parses the slice (filters.slice_from_request), reads one page's data
(selectors_dashboard) and renders it, or writes one of its tables as XLSX
(`?export=xlsx&table=<name>`, the same rows the page shows). Every chart carries, for each
bar or point, the URL of the records behind it (/oversight/records/ with the slice).
"""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from wurao.accounts.policy import allows, policy
from wurao.accounts.scope import scope_for
from wurao.common.pagination import PER_PAGE, page_range
from wurao.enforcement import selectors as enforcement_selectors
from wurao.oversight.exports import EXPORT_LIMIT, xlsx_response
from wurao.oversight.filters import Slice, slice_from_request, slice_is_default
from wurao.oversight.forms import EnterpriseChoiceForm
from wurao.oversight.selectors_dashboard import (
    BUCKETS,
    KIND_LABELS,
    burden_data,
    overview_data,
    records_all,
    records_data,
)
from wurao.registry import selectors as registry_selectors
from wurao.visits import selectors as visit_selectors


def _tab(request, tab: str) -> dict:
    """What every tab's template (oversight/base.html) needs: the filter bar and the slice."""
    scope = scope_for(request.user)
    form, slice_ = slice_from_request(request, scope)
    return {
        "tab": tab,
        "form": form,
        "slice": slice_,
        "scope": scope,
        "years": [
            (y, slice_.replace(date_from=date(y, 1, 1), date_to=date(y, 12, 31)).query())
            for y in enforcement_selectors.action_years(scope=scope)[:12]
        ],
        "slice_is_default": slice_is_default(request),
        "perms_simulate": allows(request.user, "oversight.simulate"),
    }


def records_url(slice_: Slice, **params) -> str:
    """The records behind a figure: /oversight/records/ with the slice and `params`."""
    return f"{reverse('oversight:records')}?{slice_.query(**params)}"


def _export(request, slice_: Slice, tables: dict, prefix: str):
    """The table asked for as XLSX, or None when no export was asked."""
    if request.GET.get("export") != "xlsx":
        return None
    name = request.GET.get("table", "")
    if name not in tables:
        raise Http404
    title, headers, rows = tables[name]()
    filename = f"{prefix}-{title}-{slice_.date_from:%Y%m%d}-{slice_.date_to:%Y%m%d}"
    return xlsx_response(filename, headers, rows)


# ------------------------------------------------------------------------------- 总览


@policy("oversight.supervise")
def dashboard(request):
    context = _tab(request, "dashboard")
    scope, slice_ = context["scope"], context["slice"]
    chooser = EnterpriseChoiceForm(request.GET if request.GET.get("credit_code") else None)
    enterprise = None
    if chooser.is_bound and chooser.is_valid() and chooser.cleaned_data["credit_code"]:
        enterprise = (
            registry_selectors.enterprise_list(scope=scope)
            .filter(credit_code=chooser.cleaned_data["credit_code"])
            .first()
        )
        if enterprise is None:
            chooser.add_error("credit_code", gettext("未找到该统一社会信用代码对应的企业"))
    chosen = chooser.is_bound
    data = overview_data(
        scope=scope, slice=slice_, enterprise_id=enterprise.pk if enterprise else None
    )
    if chosen and enterprise is None:  # a wrong code: no figure rather than another enterprise
        data["figure2"] = {"enterprise_id": None, "chosen": True, "rows": [], "total": 0}
    figure2 = data["figure2"]
    if enterprise is None and figure2["enterprise_id"] and not chosen:
        enterprise = registry_selectors.enterprise_list(scope=scope).get(
            pk=figure2["enterprise_id"]
        )

    export = _export(request, slice_, _overview_tables(data, enterprise), "执法监督总览")
    if export:
        return export

    def link(**params) -> str:
        return records_url(slice_, **params)

    by_department = data["by_department"]
    context.update(
        data=data,
        summary=data,
        table1=[{**r, "url": link(kind=r["kind"])} for r in data["table1"]],
        total_url=link(kind="enforcement"),
        figure1={
            "names": [r["name"] for r in by_department],
            "values": [r["count"] for r in by_department],
            "urls": [
                link(organisation=r["department_id"], kind="enforcement") for r in by_department
            ],
        },
        figure1_height=max(280, 34 * len(by_department) + 60),
        district_url=link(kind="inspection", level="district"),
        random_url=link(kind="inspection", level="district", reason="random_draw"),
        joint_url=link(joint=1),
        origins=[
            {**r, "url": link(kind="enforcement", reason=r["origin"])} for r in data["origins"]
        ],
        purposes=[
            {**r, "url": link(reason=r["purpose"], kind="non_enforcement")}
            for r in data["purposes"]
        ],
        non_enforcement_orgs=[
            {**r, "url": link(organisation=r["department_id"], kind="non_enforcement")}
            for r in data["non_enforcement_by_organisation"]
        ],
        enforcement_url=link(kind="enforcement"),
        non_enforcement_url=link(kind="non_enforcement"),
        contacts_url=link(),
        origins_chart={
            "names": [r["label"] for r in data["origins"]],
            "values": [r["count"] for r in data["origins"]],
            "urls": [link(kind="enforcement", reason=r["origin"]) for r in data["origins"]],
        },
        origins_height=max(220, 30 * len(data["origins"]) + 60),
        enterprise=enterprise,
        chooser=chooser,
        credit_code_default=not chosen,
    )
    if enterprise and figure2["rows"]:
        rows = figure2["rows"]
        context.update(
            visits=rows,
            figure2={
                "organisations": [r["organisation"] for r in rows],
                "enforcement": [r["enforcement"] for r in rows],
                "other": [r["other"] for r in rows],
                "urls": [
                    link(enterprise=enterprise.pk, organisation=r["department_id"]) for r in rows
                ],
            },
            figure2_height=max(240, 34 * len(rows) + 80),
            figure2_url=link(enterprise=enterprise.pk),
        )
    # The visit rules at work (the 规则执行 tab has the details): refused and overridden
    # registrations in the period.
    period = {"date__gte": slice_.date_from, "date__lte": slice_.date_to}
    context.update(
        visit_refusals=visit_selectors.refusal_list(scope=scope).filter(**period).count(),
        visit_overrides=visit_selectors.override_list(scope=scope).filter(**period).count(),
        rules_url=f"{reverse('oversight:rules')}?{slice_.query()}",
    )
    context["export_query"] = slice_.query(credit_code=request.GET.get("credit_code"))
    return render(request, "oversight/dashboard.html", context)


def _overview_tables(data: dict, enterprise) -> dict:
    count, share = gettext("数量"), gettext("占比（%）")
    return {
        "table1": lambda: (
            gettext("表1执法行为构成"),
            [gettext("执法类别"), count, share],
            [[r["label"], r["count"], r["share"]] for r in data["table1"]]
            + [[gettext("合计"), data["total"], 100.0 if data["total"] else None]],
        ),
        "departments": lambda: (
            gettext("图1各部门执法行为"),
            [gettext("执法部门"), count],
            [[r["name"], r["count"]] for r in data["by_department"]],
        ),
        "origins": lambda: (
            gettext("执法行为来源"),
            [gettext("来源"), count, share],
            [[r["label"], r["count"], r["share"]] for r in data["origins"]],
        ),
        "non_enforcement": lambda: (
            gettext("非执法入企单位"),
            [gettext("来访单位"), count],
            [[r["name"], r["count"]] for r in data["non_enforcement_by_organisation"]],
        ),
        "purposes": lambda: (
            gettext("非执法入企事由"),
            [gettext("事由"), count, share],
            [[r["label"], r["count"], r["share"]] for r in data["purposes"]],
        ),
        "figure2": lambda: (
            gettext("图2单个企业入企情况"),
            [gettext("企业"), gettext("来访单位"), gettext("执法行为"), gettext("非执法入企")],
            [
                [
                    enterprise.name if enterprise else "",
                    r["organisation"],
                    r["enforcement"],
                    r["other"],
                ]
                for r in data["figure2"]["rows"]
            ],
        ),
    }


# ---------------------------------------------------------------------------- 入企负担


@policy("oversight.supervise")
def burden(request):
    context = _tab(request, "burden")
    scope, slice_ = context["scope"], context["slice"]
    data = burden_data(scope=scope, slice=slice_)

    def link(**params) -> str:
        return records_url(slice_, **params)

    export = _export(request, slice_, _burden_tables(data), "入企负担")
    if export:
        return export
    top = [
        {
            **r,
            "url": link(enterprise=r["enterprise_id"]),
            "enforcement_url": link(enterprise=r["enterprise_id"], kind="enforcement"),
            "other_url": link(enterprise=r["enterprise_id"], kind="non_enforcement"),
            "by_organisation": [
                {**o, "url": link(enterprise=r["enterprise_id"], organisation=o["department_id"])}
                for o in r["by_organisation"]
            ],
            "by_reason": [
                {**o, "url": link(enterprise=r["enterprise_id"], reason=o["reason"])}
                for o in r["by_reason"]
            ],
        }
        for r in data["top"]
    ]
    histogram = [{**h, "url": link(bucket=h["bucket"])} for h in data["histogram"]]
    context.update(
        data=data,
        histogram=histogram,
        top=top,
        top1_url=link(top=data["top1"]["enterprises"]),
        top10_url=link(top=data["top10"]["enterprises"]),
        histogram_chart={
            "names": [h["bucket"] for h in histogram],
            "values": [h["enterprises"] for h in histogram],
            "urls": [h["url"] for h in histogram],
        },
        lorenz_chart={
            "points": [[p["x"], p["y"]] for p in data["lorenz"]],
            "urls": [
                link(top=p["enterprises"]) if p["enterprises"] else "" for p in data["lorenz"]
            ],
        },
    )
    return render(request, "oversight/burden.html", context)


def _burden_tables(data: dict) -> dict:
    return {
        "histogram": lambda: (
            gettext("企业入企次数分布"),
            [
                gettext("期间入企次数"),
                gettext("企业数"),
                gettext("入企次数合计"),
                gettext("企业占比（%）"),
            ],
            [[h["bucket"], h["enterprises"], h["contacts"], h["share"]] for h in data["histogram"]],
        ),
        "concentration": lambda: (
            gettext("入企集中度"),
            [gettext("入企最多的企业占比（%）"), gettext("企业数"), gettext("承受的入企占比（%）")],
            [[p["x"], p["enterprises"], p["y"]] for p in data["lorenz"]],
        ),
        "top": lambda: (
            gettext("入企最多的企业"),
            [
                gettext("排名"),
                gettext("企业"),
                gettext("统一社会信用代码"),
                gettext("重点企业（四上/规上）"),
                gettext("入企合计"),
                gettext("执法行为"),
                gettext("非执法入企"),
                gettext("按来访单位"),
                gettext("按来源或事由"),
            ],
            [
                [
                    r["rank"],
                    r["name"],
                    r["credit_code"],
                    gettext("是") if r["key"] else gettext("否"),
                    r["contacts"],
                    r["enforcement"],
                    r["other"],
                    "；".join(f"{o['name']} {o['count']}" for o in r["by_organisation"]),
                    "；".join(f"{o['label']} {o['count']}" for o in r["by_reason"]),
                ]
                for r in data["top"]
            ],
        ),
    }


# ------------------------------------------------------------------------------ records


def _int(value) -> int | None:
    return (
        int(value)
        if value and str(value).isascii() and str(value).isdigit() and len(str(value)) < 12
        else None
    )


def record_filters(request) -> dict:
    """The figure's own filters on /oversight/records/ (the slice's are in the filter bar)."""
    get = request.GET
    kind = get.get("kind") or None
    bucket = get.get("bucket") or None
    return {
        "enterprise": _int(get.get("enterprise")),
        "organisation": _int(get.get("organisation")),
        "kind": kind if kind in (*KIND_LABELS, "enforcement") else None,
        "reason": (get.get("reason") or get.get("origin") or None),
        "bucket": bucket if bucket in {b[0] for b in BUCKETS} else None,
        "joint": get.get("joint") == "1",
        "key": get.get("key") == "1",
        "top": _int(get.get("top")),
    }


@policy("oversight.supervise")
def records(request):
    context = _tab(request, "records")
    scope, slice_ = context["scope"], context["slice"]
    filters = record_filters(request)
    if request.GET.get("export") == "xlsx":
        rows = records_all(scope=scope, slice=slice_, **filters)[:EXPORT_LIMIT]
        return xlsx_response(
            f"入企记录-{slice_.date_from:%Y%m%d}-{slice_.date_to:%Y%m%d}",
            [
                gettext("日期"),
                gettext("企业"),
                gettext("统一社会信用代码"),
                gettext("单位"),
                gettext("层级"),
                gettext("类别"),
                gettext("来源或事由"),
                gettext("检查结果"),
                gettext("联合检查编号"),
            ],
            [
                [
                    r["date"],
                    r["enterprise"],
                    r["credit_code"],
                    r["organisation"],
                    r["level"],
                    r["kind_label"],
                    r["reason_label"],
                    r["finding"],
                    r["joint_ref"],
                ]
                for r in rows
            ],
        )
    data = records_data(
        scope=scope,
        slice=slice_,
        page=_int(request.GET.get("page")) or 1,
        per_page=PER_PAGE,
        **filters,
    )
    kept = {k: ("1" if v is True else v) for k, v in filters.items() if v not in (None, False)}
    enterprise = None
    if filters["enterprise"]:
        enterprise = (
            registry_selectors.enterprise_list(scope=scope).filter(pk=filters["enterprise"]).first()
        )
    # The rows are the facts' page; a paginator over the row numbers draws the page links.
    page_obj = Paginator(range(data["total"]), data["per_page"]).get_page(data["page"])
    context.update(
        data=data,
        page_obj=page_obj,
        page_range=page_range(page_obj),
        enterprise=enterprise,
        organisation=data["rows"][0]["organisation"]
        if filters["organisation"] and data["rows"]
        else None,
        kind_label=KIND_LABELS.get(filters["kind"]) if filters["kind"] else None,
        figure_filters=kept,
        query=slice_.query(**kept),
        page_query=slice_.query(**kept),
    )
    return render(request, "oversight/records.html", context)

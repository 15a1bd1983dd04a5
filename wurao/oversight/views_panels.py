"""The dashboard's 规则执行, 信用等级 and 部门比较 tabs: parse the slice, read the page data
(selectors_panels, selectors_rules), render it or write one of its tables as XLSX (`?export=xlsx&table=name`).

Every chart and figure links down to the records behind it: contacts to /oversight/records/
with the slice's query and the chart's own parameters (department, grade, kind, origin,
enterprise); refusals, overrides and grade changes to their lists on the same page.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from wurao.accounts.policy import allows, policy
from wurao.accounts.scope import scope_for
from wurao.common.pagination import page_range
from wurao.credit.choices import Grade
from wurao.enforcement.choices import ActionKind
from wurao.oversight.exports import EXPORT_LIMIT, xlsx_response
from wurao.oversight.filters import DashboardFilterForm, slice_from_request
from wurao.oversight.selectors_conduct import conduct_data
from wurao.oversight.selectors_outcomes import (
    EMPTY as NO_OUTCOMES,
)
from wurao.oversight.selectors_outcomes import (
    department_outcomes,
    exemption_overrides,
    off_site_share,
)
from wurao.oversight.selectors_panels import GRADES, LIST_LIMIT, departments_data, grades_data
from wurao.oversight.selectors_rules import OVERRIDE_STATES, alert_visits, rules_data
from wurao.visits import alerts as visit_alerts

ALERTS_PER_PAGE = 50
GRADE_NAMES = {**{g.value: g.label for g in Grade}, "U": gettext_lazy("未评级")}


def _tab(request, tab: str) -> dict:
    """What oversight/base.html needs: the tab, the filter bar and the slice."""
    scope = scope_for(request.user)
    form, slice_ = slice_from_request(request, scope)
    return {
        "tab": tab,
        "form": form,
        "slice": slice_,
        "scope": scope,
        "slice_is_default": not any(n in request.GET for n in DashboardFilterForm.base_fields),
        "perms_simulate": allows(request.user, "oversight.simulate"),
    }


def records_url(slice_, **params) -> str:
    """The records behind a figure: /oversight/records/ with the slice and `params`."""
    return f"{reverse('oversight:records')}?{slice_.query(**params)}"


def _here(request, slice_, anchor: str, **params) -> str:
    """This tab with the slice and a list filter, at the list's anchor."""
    return f"{request.path}?{slice_.query(**params)}#{anchor}"


def _export(request, slice_, tables: dict, prefix: str):
    """The table asked for as XLSX, or None when no export was asked."""
    if request.GET.get("export") != "xlsx":
        return None
    name = request.GET.get("table", "")
    if name not in tables:
        raise Http404
    title, headers, rows = tables[name]
    filename = f"{prefix}-{title}-{slice_.date_from:%Y%m%d}-{slice_.date_to:%Y%m%d}"
    return xlsx_response(filename, headers, rows)


def _day(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


# ---------------------------------------------------------------- 规则执行


def rules_tables(data: dict, refusals: list, overrides: list, alerts: list) -> dict:
    r, o = data["refusals"], data["overrides"]
    return {
        "refusals_by_rule": (
            gettext("按规则统计的拒绝登记"),
            [gettext("规则"), gettext("规则代码"), gettext("拒绝登记（件）")],
            [(x["label"], x["rule"], x["count"]) for x in r["by_rule"]],
        ),
        "refusals_by_department": (
            gettext("按部门统计的拒绝登记"),
            [gettext("登记部门"), gettext("拒绝登记（件）")],
            [(x["department"], x["count"]) for x in r["by_department"]],
        ),
        "refusals_by_month": (
            gettext("按月统计的拒绝登记"),
            [gettext("月份"), gettext("拒绝登记（件）")],
            [(x["month"], x["count"]) for x in r["by_month"]],
        ),
        "refusals": (
            gettext("拒绝登记"),
            [
                gettext("拟入企日期"),
                gettext("企业"),
                gettext("统一社会信用代码"),
                gettext("登记部门"),
                gettext("检查来源"),
                gettext("触发的规则"),
                gettext("说明"),
            ],
            [
                (
                    x["date"].isoformat(),
                    x["enterprise_name"],
                    x["credit_code"],
                    x["department"],
                    str(x["origin"]),
                    "；".join(x["rules"]),
                    "；".join(x["messages"]),
                )
                for x in refusals
            ],
        ),
        "overrides": (
            gettext("突破规则的登记"),
            [
                gettext("入企码"),
                gettext("入企日期"),
                gettext("企业"),
                gettext("统一社会信用代码"),
                gettext("牵头部门"),
                gettext("突破的规则"),
                gettext("理由"),
                gettext("审批状态"),
                gettext("审批人"),
                gettext("审批时间"),
                gettext("不批准理由"),
            ],
            [
                (
                    x["code_display"],
                    x["date"].isoformat(),
                    x["enterprise_name"],
                    x["credit_code"],
                    x["department"],
                    "；".join(x["rules"]),
                    x["reason"],
                    x["state_label"],
                    x["approver"],
                    _day(x["decided_at"]),
                    x["rejection"],
                )
                for x in overrides
            ],
        ),
        "override_states": (
            gettext("突破规则登记的审批"),
            [gettext("审批状态"), gettext("登记（件）")],
            [(str(label), o["by_state"][state]) for state, label in OVERRIDE_STATES.items()],
        ),
        "alerts": (
            gettext("入企预警"),
            [
                gettext("预警类别"),
                gettext("企业"),
                gettext("统一社会信用代码"),
                gettext("起始日期"),
                gettext("截止日期"),
                gettext("入企次数"),
                gettext("情况"),
                gettext("入企码"),
            ],
            [
                (
                    x["label"],
                    x["enterprise_name"],
                    x["credit_code"],
                    x["first_day"].isoformat(),
                    x["last_day"].isoformat(),
                    x["count"],
                    x["summary"],
                    "、".join(v.code_display for v in x["visits"]),
                )
                for x in alerts
            ],
        ),
    }


@policy("oversight.supervise")
def rules(request):
    """Refusals by the visit rules, overrides with their reasons, and the visit alerts."""
    context = _tab(request, "rules")
    scope, slice_ = context["scope"], context["slice"]
    data = rules_data(scope=scope, slice=slice_)

    # The lists' own filters (what a chart's click asks for), beside the slice.
    rule = request.GET.get("rule", "")
    refusals = [x for x in data["refusals"]["rows"] if not rule or rule in x["rule_codes"]]
    state = request.GET.get("override", "")
    if state not in OVERRIDE_STATES:
        state = ""
    overrides = [x for x in data["overrides"]["rows"] if not state or x["state"] == state]
    kind = request.GET.get("alert", "")
    if kind not in visit_alerts.AlertKind.__members__.values():
        kind = ""
    alerts = [x for x in data["alerts"]["rows"] if not kind or x.kind == kind]

    exporting = request.GET.get("export") == "xlsx" and request.GET.get("table") == "alerts"
    tables = rules_tables(
        data,
        refusals,
        overrides,
        alert_visits(scope=scope, rows=alerts[:EXPORT_LIMIT], rules=data["rules"])
        if exporting
        else [],
    )
    if response := _export(request, slice_, tables, gettext("规则执行")):
        return response

    page = Paginator(alerts, ALERTS_PER_PAGE).get_page(request.GET.get("alert_page"))
    page.object_list = alert_visits(scope=scope, rows=list(page.object_list), rules=data["rules"])
    months = []
    for x in data["refusals"]["by_month"]:
        year, month = (int(p) for p in x["month"].split("-"))
        start = max(datetime.date(year, month, 1), slice_.date_from)
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        end = min(following - datetime.timedelta(days=1), slice_.date_to)
        months.append(
            {**x, "url": _here(request, slice_.replace(date_from=start, date_to=end), "refusals")}
        )
    charts = {
        "by_rule": {
            "labels": [x["label"] for x in data["refusals"]["by_rule"]],
            "values": [x["count"] for x in data["refusals"]["by_rule"]],
            "urls": [
                _here(request, slice_, "refusals", rule=x["rule"])
                for x in data["refusals"]["by_rule"]
            ],
        },
        "by_department": {
            "labels": [x["department"] for x in data["refusals"]["by_department"]],
            "values": [x["count"] for x in data["refusals"]["by_department"]],
            "urls": [
                _here(request, slice_.replace(department_id=x["department_id"]), "refusals")
                for x in data["refusals"]["by_department"]
            ],
        },
        "by_month": {
            "labels": [x["month"] for x in months],
            "values": [x["count"] for x in months],
            "urls": [x["url"] for x in months],
        },
    }
    alert_tabs = [{"kind": "", "label": gettext("全部预警"), "count": data["alerts"]["total"]}] + [
        {
            "kind": str(k),
            "label": gettext(visit_alerts.ALERT_LABELS[k]),
            "count": data["alerts"]["by_kind"][str(k)],
        }
        for k in visit_alerts.AlertKind
    ]
    context.update(
        data=data,
        rule=rule,
        refusals=refusals[:LIST_LIMIT],
        refusals_shown=len(refusals),
        override_state=state,
        overrides=overrides[:LIST_LIMIT],
        overrides_shown=len(overrides),
        override_tabs=[{"state": "", "label": gettext("全部"), "count": data["overrides"]["total"]}]
        + [
            {"state": s, "label": str(label), "count": data["overrides"]["by_state"][s]}
            for s, label in OVERRIDE_STATES.items()
        ],
        alert_kind=kind,
        alert_tabs=alert_tabs,
        alert_page=page,
        alert_page_range=page_range(page),
        charts=charts,
        list_limit=LIST_LIMIT,
        rules=data["rules"],
    )
    return render(request, "oversight/rules.html", context)


# ---------------------------------------------------------------- 信用等级


def grades_tables(data: dict, changes: list) -> dict:
    matrix = data["changes"]["matrix"]
    return {
        "distribution": (
            gettext("信用等级分布"),
            [gettext("信用等级"), gettext("企业数"), gettext("占比（%）")],
            [(GRADE_NAMES[x["grade"]], x["enterprises"], x["share"]) for x in data["distribution"]],
        ),
        "transitions": (
            gettext("等级变动矩阵"),
            [gettext("原等级 \\ 新等级")] + matrix["columns"],
            [
                ([p or gettext("首次评级")] + [matrix["counts"][p][g] for g in matrix["columns"]])
                for p in matrix["rows"]
            ],
        ),
        "changes": (
            gettext("等级变动"),
            [
                gettext("评价基准日"),
                gettext("企业"),
                gettext("统一社会信用代码"),
                gettext("原等级"),
                gettext("新等级"),
                gettext("原信用分"),
                gettext("信用分"),
            ],
            [
                (
                    x["as_of"].isoformat(),
                    x["enterprise_name"],
                    x["credit_code"],
                    x["previous_grade"],
                    x["grade"],
                    x["previous_score"],
                    x["score"],
                )
                for x in changes
            ],
        ),
        "contacts": (
            gettext("各信用等级企业的入企"),
            [
                gettext("信用等级"),
                gettext("企业数"),
                gettext("入企（次）"),
                gettext("户均入企（次）"),
                gettext("被入企企业"),
                gettext("被入企企业占比（%）"),
                gettext("行政检查（宗）"),
                gettext("户均行政检查（宗）"),
            ],
            [
                (
                    GRADE_NAMES[x["grade"]],
                    x["enterprises"],
                    x["contacts"],
                    x["per_enterprise"],
                    x["enterprises_contacted"],
                    x["contacted_share"],
                    x["inspections"],
                    x["inspections_per_enterprise"],
                )
                for x in data["contacts"]
            ],
        ),
    }


@policy("oversight.supervise")
def grades(request):
    """Current grades, their changes in the period, and contacts per enterprise by grade."""
    context = _tab(request, "grades")
    scope, slice_ = context["scope"], context["slice"]
    previous = request.GET.get("from")
    previous = previous if previous in ("", "A", "B", "C", "D") else None
    new = request.GET.get("to", "")
    new = new if new in ("A", "B", "C", "D") else ""
    exporting = request.GET.get("export") == "xlsx"
    data = grades_data(
        scope=scope,
        slice=slice_,
        changes_from=previous,
        changes_to=new,
        limit=None if exporting else LIST_LIMIT,
    )
    changes = data["changes"]["rows"]
    tables = grades_tables(data, changes)
    if response := _export(request, slice_, tables, gettext("信用等级")):
        return response

    matrix = data["changes"]["matrix"]
    context.update(
        data=data,
        grade_names=GRADE_NAMES,
        changes=changes,
        changes_shown=data["changes"]["listed"],
        change_filter=previous is not None or bool(new),
        matrix_rows=[
            {
                "previous": p,
                "cells": [
                    {
                        "grade": g,
                        "count": matrix["counts"][p][g],
                        "url": f"{request.path}?{slice_.query()}&{urlencode({'from': p, 'to': g})}#changes",
                    }
                    for g in matrix["columns"]
                ],
            }
            for p in matrix["rows"]
        ],
        distribution=[
            {**x, "name": GRADE_NAMES[x["grade"]], "url": records_url(slice_, grade=x["grade"])}
            for x in data["distribution"]
        ],
        contacts=[
            {
                **x,
                "name": GRADE_NAMES[x["grade"]],
                "url": records_url(slice_, grade=x["grade"]),
                "inspections_url": records_url(
                    slice_, grade=x["grade"], kind=ActionKind.INSPECTION.value
                ),
            }
            for x in data["contacts"]
        ],
        charts={
            "distribution": {
                "labels": GRADES,
                "values": [x["enterprises"] for x in data["distribution"]],
                "urls": [records_url(slice_, grade=g) for g in GRADES],
            },
            "per_enterprise": {
                "labels": GRADES,
                "values": [x["per_enterprise"] or 0 for x in data["contacts"]],
                "urls": [records_url(slice_, grade=g) for g in GRADES],
            },
        },
        list_limit=LIST_LIMIT,
    )
    return render(request, "oversight/grades.html", context)


# ---------------------------------------------------------------- 部门比较


def departments_table(
    data: dict, conduct: dict | None = None, overrides: list | None = None
) -> dict:
    tables = {
        "departments": (
            gettext("部门比较"),
            [
                gettext("执法部门"),
                gettext("入企（次）"),
                gettext("行政检查（宗）"),
                gettext("被检查企业（户）"),
                gettext("户均检查（宗）"),
                gettext("非执法入企（次）"),
                gettext("D级企业覆盖率（%）"),
                gettext("C、D级企业覆盖率（%）"),
                gettext("双随机抽查（宗）"),
                gettext("双随机占比（%）"),
                gettext("录入用时中位数（日）"),
                gettext("%(days)s日内录入占比（%%）") % {"days": data["record_days"]},
                gettext("突破规则登记（件）"),
                gettext("%(days)s日内审批占比（%%）") % {"days": data["override_days"]},
            ],
            [
                (
                    x["department"],
                    x["contacts"],
                    x["inspections"],
                    x["enterprises_inspected"],
                    x["inspections_per_enterprise"],
                    x["non_enforcement"],
                    x["d_coverage"],
                    x["cd_coverage"],
                    x["random_draws"],
                    x["random_share"],
                    x["record_median_days"],
                    x["recorded_within_share"],
                    x["overrides"],
                    x["overrides_within_share"],
                )
                for x in data["rows"]
            ],
        )
    }
    # [outcomes] what the inspections found and what became of it (never fines)
    tables["outcomes"] = (
        gettext("检查发现与整改"),
        [
            gettext("执法部门"),
            gettext("行政检查（宗）"),
            gettext("其中非现场检查（宗）"),
            gettext("非现场检查占比（%）"),
            gettext("发现问题（项）"),
            gettext("责令整改（项）"),
            gettext("整改完成（项）"),
            gettext("整改完成率（%）"),
            gettext("整改用时中位数（日）"),
            gettext("逾期整改（项）"),
            gettext("依免罚清单不予处罚（件）"),
            gettext("未采纳免罚建议（件）"),
            gettext("柔性执法措施（件）"),
        ],
        [
            (
                x["department"],
                x["inspections"],
                x["off_site"],
                x["off_site_share"],
                x["findings"],
                x["rect_ordered"],
                x["rect_closed"],
                x["rect_rate"],
                x["rect_median_days"],
                x["rect_overdue"],
                x["exempted"],
                x["overridden"],
                x["soft"],
            )
            for x in data["rows"]
        ],
    )
    if overrides is not None:
        tables["overrides"] = (
            gettext("未采纳免罚或观察期建议的案件"),
            [
                gettext("决定日期"),
                gettext("案件编号"),
                gettext("执法部门"),
                gettext("当事企业"),
                gettext("未采纳的建议"),
                gettext("理由"),
            ],
            [
                (
                    _day(o["on"]),
                    o["case"].number,
                    o["department"].name,
                    o["case"].enterprise.name,
                    gettext("免罚清单") if o["kind"] == "exemption" else gettext("新业态观察期"),
                    o["reason"],
                )
                for o in overrides
            ],
        )
    if conduct is not None:  # [portal] complaints found true, per department
        tables["conduct"] = (
            gettext("执法作风"),
            [
                gettext("执法部门"),
                gettext("收到投诉（件）"),
                gettext("属实或部分属实（件）"),
                gettext("每千宗检查属实投诉"),
            ],
            [
                (x["department"], x["filed"], x["substantiated"], x["per_thousand"])
                for x in conduct["rows"]
            ],
        )
    return tables


@policy("oversight.supervise")
def departments(request):
    """Per department: burden, coverage of high-risk enterprises and timeliness (never fines)."""
    context = _tab(request, "departments")
    scope, slice_ = context["scope"], context["slice"]
    data = departments_data(scope=scope, slice=slice_)
    outcomes = department_outcomes(scope=scope, slice=slice_)
    for x in data["rows"]:
        x.update(outcomes.get(x["department_id"], NO_OUTCOMES))
        x["off_site_share"] = off_site_share(x)
    # The bureau reads each override and its reason; a department sees only its counts.
    overrides = exemption_overrides(scope=scope, slice=slice_) if scope.sees_all else None
    conduct = conduct_data(scope=scope, slice=slice_, rows=data["rows"])
    tables = departments_table(data, conduct, overrides)
    if response := _export(request, slice_, tables, gettext("部门比较")):
        return response
    rows = []
    for x in data["rows"]:
        # The records a row counts: the slice's contacts by this (acting, lead) department.
        org = x["department_id"]
        inspections = {"organisation": org, "kind": ActionKind.INSPECTION.value}
        rows.append(
            {
                **x,
                "url": records_url(slice_, organisation=org),
                "inspections_url": records_url(slice_, **inspections),
                "other_url": records_url(slice_, organisation=org, kind="non_enforcement"),
                "random_url": records_url(slice_, **inspections, origin="random_draw"),
                "d_url": records_url(slice_, **inspections, grade="D"),
                "c_url": records_url(slice_, **inspections, grade="C"),
            }
        )
    context.update(
        data=data,
        conduct=conduct,
        overrides=overrides,
        rows=rows,
        chart={
            "labels": [x["department"] for x in rows],
            "series": [
                {
                    "name": gettext("行政检查"),
                    "values": [x["inspections"] for x in rows],
                    "urls": [x["inspections_url"] for x in rows],
                },
                {
                    "name": gettext("非执法入企"),
                    "values": [x["non_enforcement"] for x in rows],
                    "urls": [x["other_url"] for x in rows],
                },
            ],
        },
        coverage_chart={
            "labels": [x["department"] for x in rows],
            "series": [
                {
                    "name": gettext("D级企业覆盖率"),
                    "values": [x["d_coverage"] or 0 for x in rows],
                    "urls": [x["d_url"] for x in rows],
                },
                {
                    "name": gettext("C、D级企业覆盖率"),
                    "values": [x["cd_coverage"] or 0 for x in rows],
                    "urls": [x["inspections_url"] for x in rows],
                },
            ],
        },
        chart_height=max(260, 40 * len(rows) + 80),
    )
    return render(request, "oversight/departments.html", context)

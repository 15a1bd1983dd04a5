"""Public disclosure pages (行政执法公示), open to anyone without signing in.

Each page is one published table with its JSON and CSV beside it (?format=json, ?format=csv:
wurao.disclosure.tables); /public/ lists every public page of the platform. The legal basis is
the administrative enforcement disclosure rule, one of the three rules of 国办发〔2018〕118号
(docs/disclosure.md says what is published and what is deliberately not).
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wurao.accounts.policy import PUBLIC, policy
from wurao.common.ratelimit import rate_limited
from wurao.disclosure import selectors
from wurao.disclosure.tables import Column, Table, table_response

BADGE_MAX = 30  # Inspector.badge_no's length: a longer query is nobody's badge


def _department(code: str):
    department = selectors.department_get(code=code)
    if department is None:
        raise Http404
    return department


def _year(request, years: list[int]) -> int:
    """The year asked for if it has records, else the latest (an odd value is not an error)."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year in years:
        return year
    return years[0] if years else timezone.localdate().year


def _sections() -> list[dict]:
    """Every public page of the platform, one line each (the sitemap, 公示目录)."""
    return [
        {
            "title": _("检查事项清单"),
            "url": reverse("disclosure:item-departments"),
            "text": _("各执法部门的检查事项及其法律依据；清单之外无事项。"),
            "formats": True,
        },
        {
            "title": _("执法人员公示与查询"),
            "url": reverse("disclosure:inspectors"),
            "text": _(
                "输入执法证号，查询持证人姓名、所属部门、执法证有效期及是否在岗；各部门在岗执法人员名单。"
            ),
            "formats": True,
        },
        {
            "title": _("专项检查计划"),
            "url": reverse("disclosure:campaigns"),
            "text": _("经批准并向社会公布的专项检查：组织部门、范围、起止日期、批准机关与文号。"),
            "formats": True,
        },
        {
            "title": _("双随机抽查任务与结果"),
            "url": reverse("sampling_public:task-list"),
            "text": _("抽查任务的承诺值、抽取结果与检查结果，可在浏览器中独立复核抽取过程。"),
            "formats": False,
        },
        {
            "title": _("联合整园执法日"),
            "url": reverse("planning_public:park-days"),
            "text": _("每周联合整园执法日的园区随机抽取：承诺、候选园区、参加单位与抽取结果。"),
            "formats": False,
        },
        {
            "title": _("联合检查统计"),
            "url": reverse("disclosure:joint"),
            "text": _(
                "按年、按月统计的联合检查次数、替代的单独入企次数、参与部门数与联合整园执法日。"
            ),
            "formats": True,
        },
        {
            "title": _("年度执法数据"),
            "url": reverse("disclosure:figures"),
            "text": _("各执法部门每年的行政检查、行政处罚、行政强制数量及双随机抽查占比。"),
            "formats": True,
        },
        {
            "title": _("执法标准与政策"),
            "url": reverse("standards:library"),
            "text": _(
                "各部门执行的法律、法规、规章、标准和执法指引全文，按条文检索，注明施行日期和版本。"
            ),
            "formats": False,
        },
        {
            "title": _("标准冲突登记"),
            "url": reverse("rulemaking:conflict-list"),
            "text": _(
                "不同部门要求相互冲突的条文并排列出，以及协调部门、处理状态和以哪一条为准的理由。"
            ),
            "formats": False,
        },
        {
            "title": _("执法标准征求意见"),
            "url": reverse("rulemaking:consultation-list"),
            "text": _(
                "新的或修订的执法标准在施行前公开征求意见；每条意见的采纳情况和理由逐条公开答复。"
            ),
            "formats": False,
        },
        {
            "title": _("投诉执法行为与查询"),
            "url": reverse("complaints:new"),
            "text": _(
                "对检查过频、越权、程序不规范、态度、吃拿卡要等行为投诉，可匿名；投诉由司法局执法监督机构办理，"
                "不转给被投诉部门。凭受理编号和查询码查询进度。"
            ),
            "formats": False,
        },
        {
            "title": _("内部举报"),
            "url": reverse("complaints:whistle-new"),
            "text": _("企业内部人员举报严重违法行为或重大风险，身份加密保护，凭受理编号查询进度。"),
            "formats": False,
        },
        {
            "title": _("入企码核验"),
            "url": reverse("visits_public:code-form"),
            "text": _("企业输入或扫描入企码，核验来访人员、部门、法律依据和检查事项。"),
            "formats": False,
        },
        {
            "title": _("审计链公示"),
            "url": reverse("audit_public:anchor-list"),
            "text": _("平台审计日志哈希链的签名锚点，供任何人核验记录未被篡改。"),
            "formats": False,
        },
        {
            "title": _("开放接口文档"),
            "url": reverse("api-docs"),
            "text": _("平台 REST 接口的 OpenAPI 文档。"),
            "formats": False,
        },
    ]


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def index(request):
    return render(request, "disclosure/index.html", {"sections": _sections()})


# ---------------------------------------------------------------- 检查事项清单


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def item_departments(request):
    table = Table(
        name="inspection-items-departments",
        title=_("检查事项清单：执法部门"),
        columns=[
            Column("code", _("部门简码")),
            Column("department", _("执法部门")),
            Column("level", _("层级")),
            Column("items", _("有效检查事项数"), numeric=True),
        ],
        rows=[
            {
                "code": r["department"].code,
                "department": r["department"].name,
                "level": r["department"].get_level_display(),
                "items": r["items"],
                "link": reverse("disclosure:items", args=[r["department"].code]),
            }
            for r in selectors.item_departments()
        ],
    )
    return table_response(request, table, "disclosure/item_departments.html")


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def items(request, code: str):
    department = _department(code)
    table = Table(
        name=f"inspection-items-{department.pk}",
        title=_("%(department)s检查事项清单") % {"department": department.name},
        columns=[
            Column("code", _("事项编码")),
            Column("name", _("事项名称")),
            Column("kind", _("事项类别")),
            Column("legal_basis", _("法律依据")),
            Column("check_points", _("检查要点")),
        ],
        rows=[
            {
                "code": i.code,
                "name": i.name,
                "kind": i.get_kind_display(),
                "legal_basis": i.legal_basis,
                "check_points": i.check_points,
            }
            for i in selectors.department_items(department_id=department.pk)
        ],
        meta={"department": department.name, "department_code": department.code},
    )
    return table_response(request, table, "disclosure/items.html", {"department": department})


# ---------------------------------------------------------------- 执法人员公示


def _inspector_columns() -> list[Column]:
    return [
        Column("badge_no", _("执法证号")),
        Column("name", _("姓名")),
        Column("department", _("所属部门")),
        Column("certificate_valid_until", _("执法证有效期至")),
        Column("certificate", _("执法证状态")),
        Column("active", _("是否在岗")),
    ]


def _inspector_row(person: selectors.PublicInspector) -> dict:
    if person.certificate_valid_until is None:
        certificate = _("未登记有效期")
    elif person.certificate_valid:
        certificate = _("有效")
    else:
        certificate = _("已过期")
    return {
        "badge_no": person.badge_no,
        "name": person.name,
        "department": person.department,
        "certificate_valid_until": person.certificate_valid_until,
        "certificate": certificate,
        "active": _("在岗") if person.active else _("不在岗"),
    }


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def inspectors(request):
    """The badge lookup; without a badge, the departments and their officers in post."""
    badge = request.GET.get("badge", "").strip()[:BADGE_MAX]
    if badge:
        person = selectors.inspector_lookup(badge_no=badge)
        table = Table(
            name="inspector-lookup",
            title=_("执法证号查询结果"),
            columns=_inspector_columns(),
            rows=[_inspector_row(person)] if person else [],
            meta={"badge_no": badge, "found": person is not None},
        )
        context = {"badge": badge, "person": person, "lookup": True}
        return table_response(request, table, "disclosure/inspectors.html", context)
    table = Table(
        name="inspectors-departments",
        title=_("执法人员公示：执法部门"),
        columns=[
            Column("code", _("部门简码")),
            Column("department", _("执法部门")),
            Column("level", _("层级")),
            Column("inspectors", _("在岗执法人员数"), numeric=True),
        ],
        rows=[
            {
                "code": r["department"].code,
                "department": r["department"].name,
                "level": r["department"].get_level_display(),
                "inspectors": r["inspectors"],
                "link": reverse("disclosure:department-inspectors", args=[r["department"].code]),
            }
            for r in selectors.inspector_departments()
        ],
    )
    return table_response(request, table, "disclosure/inspectors.html", {"lookup": False})


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def department_inspectors(request, code: str):
    department = _department(code)
    table = Table(
        name=f"inspectors-{department.pk}",
        title=_("%(department)s在岗执法人员") % {"department": department.name},
        columns=_inspector_columns(),
        rows=[
            _inspector_row(p) for p in selectors.department_inspectors(department_id=department.pk)
        ],
        meta={"department": department.name, "department_code": department.code},
    )
    return table_response(
        request, table, "disclosure/department_inspectors.html", {"department": department}
    )


# ---------------------------------------------------------------- 专项检查计划


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def campaigns(request):
    table = Table(
        name="special-campaigns",
        title=_("专项检查计划"),
        columns=[
            Column("title", _("专项名称")),
            Column("department", _("组织部门")),
            Column("scope", _("检查范围与内容")),
            Column("starts_on", _("开始日期")),
            Column("ends_on", _("结束日期")),
            Column("approver", _("批准机关或负责人")),
            Column("document_no", _("批准文号")),
            Column("approved_on", _("批准日期")),
            Column("published_on", _("公布日期")),
        ],
        rows=[
            {
                "title": c.title,
                "department": c.department.name,
                "scope": c.scope,
                "starts_on": c.starts_on,
                "ends_on": c.ends_on,
                "approver": c.approver,
                "document_no": c.document_no,
                "approved_on": c.approved_on,
                "published_on": timezone.localdate(c.published_at),
            }
            for c in selectors.published_campaigns()
        ],
    )
    return table_response(request, table, "disclosure/campaigns.html")


# ---------------------------------------------------------------- 联合检查统计


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def joint(request):
    years = selectors.joint_years()
    year = _year(request, years)
    stats = selectors.joint_statistics(year=year)
    table = Table(
        name=f"joint-visits-{year}",
        title=_("%(year)s年联合检查统计") % {"year": year},
        columns=[
            Column("month", _("月份")),
            Column("scheduled_visits", _("统筹排期的联合入企"), numeric=True),
            Column("scheduled_inspections", _("其合并的部门检查"), numeric=True),
            Column("recorded_visits", _("执法记录中的联合检查"), numeric=True),
            Column("recorded_inspections", _("其合并的部门检查"), numeric=True),
            Column("visits_saved", _("减少的入企次数"), numeric=True),
            Column("departments", _("参与部门数"), numeric=True),
            Column("park_days", _("联合整园执法日"), numeric=True),
        ],
        rows=[
            *stats["months"],
            {**stats["total"], "month": _("%(year)s年合计") % {"year": year}, "total_row": True},
        ],
        meta={"year": year, "as_of": _as_of(year)},
    )
    return table_response(request, table, "disclosure/joint.html", {"years": years, "year": year})


def _as_of(year: int):
    today = timezone.localdate()
    return today if year == today.year else None


# ---------------------------------------------------------------- 年度执法数据


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def figures(request):
    years = selectors.figure_years()
    year = _year(request, years)
    data = selectors.annual_figures(year=year)
    table = Table(
        name=f"enforcement-figures-{year}",
        title=_("%(year)s年行政执法数据统计") % {"year": year},
        columns=[
            Column("department", _("执法部门")),
            Column("level", _("层级")),
            Column("inspections", _("行政检查"), numeric=True),
            Column("random_draw", _("其中双随机抽查"), numeric=True),
            Column("random_draw_share", _("双随机抽查占比（%）"), numeric=True),
            Column("penalties", _("行政处罚"), numeric=True),
            Column("coercive", _("行政强制"), numeric=True),
            Column("total", _("合计"), numeric=True),
        ],
        rows=[*data["rows"], {**data["total"], "total_row": True}] if data["rows"] else [],
        meta={"year": year, "as_of": data["as_of"]},
    )
    return table_response(
        request,
        table,
        "disclosure/figures.html",
        {"years": years, "year": year, "as_of": data["as_of"]},
    )

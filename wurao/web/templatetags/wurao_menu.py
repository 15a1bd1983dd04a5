"""The main menu: every entry a role has, in a few groups, so that all of them show at 1280 px
(a group is one dropdown) and on a phone (the side panel lists every group open) without a
menu bar that scrolls sideways.

Who sees an entry is the policy's answer, not the menu's: an entry shows when the rule of the
page it links to allows it (read from the page's view at run time, so that the menu and the
page can never disagree), and, where the menu offers a page to fewer people than may open it,
when the entry's own rule (wurao.accounts.policy.web) allows it too.
"""

from dataclasses import dataclass

from django import template
from django.urls import Resolver404, get_script_prefix, resolve, reverse
from django.utils.translation import gettext_lazy as _

from wurao.accounts.policy import allows, policy_of

register = template.Library()


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url: str
    # The paths under which this entry is the page the user is on.
    prefix: str
    active: bool = False


@dataclass(frozen=True)
class MenuGroup:
    label: str
    entries: tuple[MenuEntry, ...]
    key: str

    @property
    def active(self) -> bool:
        return any(e.active for e in self.entries)

    @property
    def single(self) -> MenuEntry | None:
        """A group of one entry is shown as that entry, not as a dropdown of one."""
        return self.entries[0] if len(self.entries) == 1 else None


def page_rule(url: str) -> str | None:
    """The rule the page at `url` names (@policy on a function, `policy` on a class)."""
    prefix = get_script_prefix()
    path = "/" + url[len(prefix) :] if url.startswith(prefix) else url
    try:
        view = resolve(path.split("?", 1)[0]).func
    except Resolver404:
        return None
    return policy_of(view) or policy_of(getattr(view, "view_class", None))


def offered(user, url: str, rule: str | None = None) -> bool:
    """Whether the menu offers `user` the page at `url`: the entry's own rule, if it has one,
    and the page's."""
    if rule is not None and not allows(user, rule):
        return False
    named = page_rule(url)
    # Every page names a rule (tests/test_policy_coverage.py): one that does not is not
    # offered, as the API refuses an endpoint that names none (fail closed).
    return named is not None and allows(user, named)


def _entries(user, *candidates: tuple) -> list[MenuEntry]:
    """The entries offered to `user`, from (label, url[, prefix[, rule]]) in menu order."""
    entries = []
    for label, url, prefix, rule in (c + (None,) * (4 - len(c)) for c in candidates):
        if offered(user, url, rule):
            entries.append(MenuEntry(label=label, url=url, prefix=prefix or url))
    return entries


def _public_entries(user) -> list[MenuEntry]:
    return _entries(
        user,
        (_("入企码核验"), "/v/"),
        (_("双随机抽查公示"), reverse("sampling_public:task-list"), "/public/draws/"),
        (_("专项检查与整园执法公示"), "/public/planning/"),
        (_("审计链公示"), "/public/audit/"),
    )


def _visitor_entries(user) -> list[MenuEntry]:
    """What a visitor reaches besides the public pages; signed in, these are in 基础数据 and
    the enterprise's own groups."""
    return _entries(
        user,
        (_("执法标准与政策"), "/standards/"),
        (_("征求意见"), "/consultations/"),
        (_("投诉与举报"), "/complaints/new/", "/complaints/"),
    )


def _groups(key_entries: list[tuple[str, object, list[MenuEntry]]]) -> list[MenuGroup]:
    return [
        MenuGroup(label=label, entries=tuple(entries), key=key)
        for key, label, entries in key_entries
        if entries
    ]


def _enterprise_menu(user) -> list[tuple[str, object, list[MenuEntry]]]:
    if not user.enterprise_id:
        return []
    home = _entries(user, (_("企业服务首页"), "/portal/"))
    own = _entries(
        user,
        (
            _("本企业档案"),
            reverse("dossier:enterprise-detail", args=[user.enterprise_id]),
            "/registry/enterprises/",
        ),
        (_("入企记录"), "/visits/mine/", "/visits/"),
        (_("联合检查安排"), "/planning/mine/"),
        (_("信用评价"), reverse("credit:portal"), "/credit/"),
        # What inspections found and asked of it, and the cases decided on it ([outcomes]).
        (_("整改通知"), reverse("findings:mine"), "/outcomes/mine/"),
        (_("处罚与处理决定"), reverse("cases:case-list"), "/cases/"),
    )
    services = _entries(
        user,
        (_("预约服务"), "/bookings/"),
        (_("我的预约"), "/bookings/mine/"),
        (_("企业自查"), "/selfcheck/"),
        (_("涉企执法联系点"), "/contact-points/"),
    )
    # The standards, conflicts and consultations are in 基础数据, as for everyone.
    complaints = _entries(
        user,
        (_("我的投诉"), "/complaints/mine/"),
        (_("投诉执法行为"), "/complaints/new/"),
    )
    return [
        ("own-home", _("首页"), home),
        ("own", _("本企业"), own),
        ("own-services", _("企业服务"), services),
        ("own-complaints", _("投诉"), complaints),
    ]


def _officer_menu(user) -> list[tuple[str, object, list[MenuEntry]]]:
    oversight = _entries(
        user,
        (_("监督总览"), "/oversight/"),
        # The visit alerts, refusals and overrides: the dashboard's 规则执行 tab.
        (_("规则执行与预警"), "/oversight/rules/"),
        (_("入企监督"), "/visits/rules/", "/visits/"),
        (_("投诉处理"), "/complaints/office/"),
        (_("内部举报处理"), "/whistle/office/"),
        (_("投诉说明请求"), "/complaints/statements/"),
        (_("整改要求冲突"), reverse("findings:clash-list"), "/outcomes/clashes/"),
        (_("交办的内部举报"), "/whistle/assigned/"),
        (_("涉企执法联系点"), "/contact-points/"),
    )
    visits = _entries(user, (_("入企登记"), "/visits/", None, "web.menu_visit_register"))
    enforcement = _entries(
        user,
        (_("执法记录"), reverse("enforcement:action-list"), "/enforcement/"),
        (_("双随机抽查"), reverse("sampling:task-list"), "/draws/"),
        # What the inspections produce: off-site inspections, rectification, cases.
        (_("非现场检查"), reverse("offsite:list"), "/outcomes/offsite/"),
        (_("整改跟踪"), reverse("findings:rectification-list"), "/outcomes/"),
        (_("案件办理"), reverse("cases:case-list"), "/cases/"),
    )
    plans = _entries(
        user,
        (_("检查计划"), "/planning/plans/"),
        # The joint visits the street confirmed from this department's plans: where its
        # officers and approval are named.
        (_("本部门的入企安排"), "/planning/assignments/"),
        (_("联合检查统筹"), "/planning/schedule/"),
        (_("联合整园执法日"), "/planning/park-days/"),
        # Services to enterprises are planned beside the inspections.
        (_("服务团队与预约"), "/bookings/teams/", "/bookings/"),
        (_("预约服务概况"), "/bookings/overview/"),
    )
    # One credit entry: a department's reviews, or else the grade changes; then the
    # enterprises' self-inspections, which count in their grades.
    credit = (
        _entries(
            user,
            (_("信用分级"), reverse("credit:review-list"), "/credit/", "web.menu_credit_reviews"),
        )
        or _entries(user, (_("信用分级"), reverse("credit:change-list"), "/credit/"))
    ) + _entries(
        user,
        (_("企业自查"), "/selfcheck/"),
        (_("园区自查率"), "/selfcheck/parks/"),
    )
    return [
        ("oversight", _("执法监督"), oversight),
        ("visits", _("入企登记"), visits),
        ("enforcement", _("执法检查"), enforcement),
        ("plans", _("计划统筹"), plans),
        ("credit", _("信用分级"), credit),
    ]


def _reference_entries(user) -> list[MenuEntry]:
    return _entries(
        user,
        (
            _("企业库"),
            reverse("registry:enterprise-list"),
            "/registry/enterprises/",
            "registry.enterprises_browse",
        ),
        (_("执法人员库"), reverse("registry:inspector-list"), "/registry/inspectors/"),
        (_("检查事项清单"), reverse("catalogue:item-list"), "/catalogue/"),
        (_("执法部门"), reverse("catalogue:department-list"), "/catalogue/departments/"),
        (_("街道与园区"), reverse("registry:street-list"), "/registry/streets/"),
        (_("数据导入"), "/imports/"),
        # The texts the departments enforce, where they conflict, and drafts out for comment.
        (_("执法标准与政策"), "/standards/"),
        (_("导入标准文本"), "/standards/import/"),
        (_("标准冲突"), "/conflicts/"),
        (_("冲突报告"), "/conflicts/reports/"),
        (_("征求意见"), "/consultations/"),
        # The rules a decision applies: discretion bands, exemption lists, observation periods.
        (_("裁量基准"), reverse("cases:standard-list")),
        (_("免罚清单"), reverse("cases:exemption-index")),
        (_("新业态观察期"), reverse("cases:observation-list")),
    )


def menu_for(user, path: str = "") -> list[MenuGroup]:
    """The menu `user` sees on the page at `path`, the current entry marked (the longest
    matching prefix wins, so 入企监督 and not 入企登记 is current under /visits/refusals/)."""
    if not user.is_authenticated:
        # A visitor: the public pages, each a link of its own, after the list of them all.
        sitemap = _entries(user, (_("公示目录"), reverse("disclosure:index"), "/public/"))
        entries = sitemap + _public_entries(user) + _visitor_entries(user)
        plan = [(f"public-{i}", e.label, [e]) for i, e in enumerate(entries)]
    else:
        if allows(user, "web.enterprise_menu"):
            plan = _enterprise_menu(user)
        else:
            plan = _officer_menu(user)
        plan += [
            ("reference", _("基础数据"), _reference_entries(user)),
            ("public", _("公开信息"), _public_entries(user)),
        ]
    groups = _groups(plan)
    matching = [e.prefix for g in groups for e in g.entries if path.startswith(e.prefix)]
    current = max(matching, key=len, default=None)
    return [
        MenuGroup(
            label=g.label,
            key=g.key,
            entries=tuple(
                MenuEntry(e.label, e.url, e.prefix, active=e.prefix == current) for e in g.entries
            ),
        )
        for g in groups
    ]


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[MenuGroup]:
    request = context.get("request")
    if request is None:  # a page rendered outside a request (a stand-alone error page)
        return []
    return menu_for(request.user, request.path)


def primary_action_for(user) -> MenuEntry | None:
    """The one thing a role comes to do most, put one tap from its home page: an inspector or
    a department admin registers a visit before entering an enterprise (登记入企)."""
    entries = _entries(user, (_("登记入企"), reverse("visits:new")))
    return entries[0] if entries else None


@register.simple_tag(takes_context=True)
def primary_action(context) -> MenuEntry | None:
    request = context.get("request")
    return primary_action_for(request.user) if request is not None else None

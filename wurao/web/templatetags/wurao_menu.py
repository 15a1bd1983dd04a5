"""The main menu: every entry a role has, in a few groups, so that all of them show at 1280 px
(a group is one dropdown) and on a phone (the side panel lists every group open) without a
menu bar that scrolls sideways.

The role checks are those the menu always had; a later issue moves them into a policy module.
"""

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wurao.accounts.choices import Role

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


def _entry(label, url: str, prefix: str | None = None) -> MenuEntry:
    return MenuEntry(label=label, url=url, prefix=prefix or url)


def _public_entries() -> list[MenuEntry]:
    return [
        _entry(_("入企码核验"), "/v/"),
        _entry(_("双随机抽查公示"), reverse("sampling_public:task-list"), "/public/draws/"),
        _entry(_("专项检查与整园执法公示"), "/public/planning/"),
    ]


def _groups(key_entries: list[tuple[str, object, list[MenuEntry]]]) -> list[MenuGroup]:
    return [
        MenuGroup(label=label, entries=tuple(entries), key=key)
        for key, label, entries in key_entries
        if entries
    ]


def _enterprise_menu(user) -> list[tuple[str, object, list[MenuEntry]]]:
    own = []
    if user.enterprise_id:
        own = [
            _entry(
                _("本企业档案"),
                reverse("dossier:enterprise-detail", args=[user.enterprise_id]),
                "/registry/enterprises/",
            ),
            _entry(_("入企记录"), "/visits/mine/", "/visits/"),
            _entry(_("联合检查安排"), "/planning/mine/"),
            _entry(_("信用评价"), reverse("credit:portal"), "/credit/"),
        ]
    # Each of the enterprise's own pages is a link of its own: there are few of them.
    return [(f"own-{i}", e.label, [e]) for i, e in enumerate(own)]


def _officer_menu(user) -> list[tuple[str, object, list[MenuEntry]]]:
    role = user.role
    bureau = user.is_superuser or role == Role.JUSTICE
    department = role in (Role.DEPT_ADMIN, Role.INSPECTOR)
    street = role == Role.STREET
    oversight = []
    if bureau:
        oversight = [
            _entry(_("监督总览"), "/oversight/"),
            _entry(_("入企监督"), "/visits/alerts/", "/visits/"),
        ]
    visits = [_entry(_("入企登记"), "/visits/")] if department or street else []
    enforcement = [_entry(_("执法记录"), reverse("enforcement:action-list"), "/enforcement/")]
    if department or bureau:
        enforcement.append(_entry(_("双随机抽查"), reverse("sampling:task-list"), "/draws/"))
    plans = []
    if department or bureau:
        plans.append(_entry(_("检查计划"), "/planning/plans/"))
    if department:
        # The joint visits the street confirmed from this department's plans: where its
        # officers and approval are named.
        plans.append(_entry(_("本部门的入企安排"), "/planning/assignments/"))
    if street or bureau:
        plans.append(_entry(_("联合检查统筹"), "/planning/schedule/"))
        plans.append(_entry(_("联合整园执法日"), "/planning/park-days/"))
    credit = reverse("credit:review-list") if department else reverse("credit:change-list")
    return [
        ("oversight", _("执法监督"), oversight),
        ("visits", _("入企登记"), visits),
        ("enforcement", _("执法检查"), enforcement),
        ("plans", _("计划统筹"), plans),
        ("credit", _("信用分级"), [_entry(_("信用分级"), credit, "/credit/")]),
    ]


def _reference_entries(user) -> list[MenuEntry]:
    entries = []
    if user.role != Role.ENTERPRISE:
        entries.append(
            _entry(_("企业库"), reverse("registry:enterprise-list"), "/registry/enterprises/")
        )
        entries.append(
            _entry(_("执法人员库"), reverse("registry:inspector-list"), "/registry/inspectors/")
        )
    entries += [
        _entry(_("检查事项清单"), reverse("catalogue:item-list"), "/catalogue/"),
        _entry(_("执法部门"), reverse("catalogue:department-list"), "/catalogue/departments/"),
        _entry(_("街道与园区"), reverse("registry:street-list"), "/registry/streets/"),
    ]
    if user.is_superuser or user.role == Role.JUSTICE:
        entries.append(_entry(_("数据导入"), "/imports/"))
    return entries


def menu_for(user, path: str = "") -> list[MenuGroup]:
    """The menu `user` sees on the page at `path`, the current entry marked (the longest
    matching prefix wins, so 入企监督 and not 入企登记 is current under /visits/alerts/)."""
    if not user.is_authenticated:
        # A visitor: the public pages, each a link of its own.
        plan = [(f"public-{i}", e.label, [e]) for i, e in enumerate(_public_entries())]
    else:
        if user.role == Role.ENTERPRISE and not user.is_superuser:
            plan = _enterprise_menu(user)
        else:
            plan = _officer_menu(user)
        plan += [
            ("reference", _("基础数据"), _reference_entries(user)),
            ("public", _("公开信息"), _public_entries()),
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
    registers = user.is_authenticated and user.role in (Role.DEPT_ADMIN, Role.INSPECTOR)
    if registers and user.department_id:
        return _entry(_("登记入企"), reverse("visits:new"))
    return None


@register.simple_tag(takes_context=True)
def primary_action(context) -> MenuEntry | None:
    request = context.get("request")
    return primary_action_for(request.user) if request is not None else None

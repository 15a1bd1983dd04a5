"""Who plays which part in the demo's next month, and what is planned for them through the
service: the scene (the month's working days, the accounts, departments and items), the cast
(the 福城 enterprises the story needs, chosen among the largest and riskiest with no visit yet
this year), and the scripted plans — the key enterprise's, the other 福城 enterprises planned by
several departments, the random-draw tasks' enterprises, the cross-level duplicates and the
late additions. wurao.demo.planning_build files them.
"""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Case, Count, Value, When

from wurao.accounts.models import User
from wurao.catalogue.models import InspectionItem
from wurao.planning.choices import PlanOrigin
from wurao.registry.models import Department, Enterprise
from wurao.registry.workdays import next_month, working_days
from wurao.sampling.choices import TaskStatus
from wurao.sampling.models import DrawSelection, DrawTask
from wurao.visits import rules as visit_rules
from wurao.visits import selectors as visit_selectors
from wurao.visits.models import Visit

SHOWCASE = 6  # other 福城 enterprises planned by several departments through the service

# Which department a risk tag brings to a 福城 showcase enterprise, and the items it plans.
TAG_DEPARTMENTS = {
    "hazchem": ("YJGL", ("YJGL-01", "YJGL-02")),
    "dust": ("YJGL", ("YJGL-03",)),
    "confined": ("YJGL", ("YJGL-04",)),
    "ammonia": ("YJGL", ("YJGL-05",)),
    "metal_melt": ("YJGL", ("YJGL-06",)),
    "fire_key": ("XFJY", ("XFJY-01", "XFJY-02")),
    "crowded": ("XFJY", ("XFJY-03",)),
    "discharge": ("SZ-STHJ", ("SZ-STHJ-03", "SZ-STHJ-04")),
    "special_eq": ("SZ-SCJG", ("SZ-SCJG-02",)),
    "food": ("SZ-SCJG", ("SZ-SCJG-01",)),
    "occupational": ("WSJK", ("WSJK-01",)),
    "construction": ("ZJJ", ("ZJJ-01",)),
}
STREET_TEAM_ITEMS = ("ZF-FC-02",)  # 生产经营单位安全生产巡查: the partner when one tag is all
SIZE_ORDER = {"large": 0, "medium": 1, "small": 2, "micro": 3}


@dataclass
class PlanningResult:
    month: datetime.date
    counts: dict[str, int] = field(default_factory=dict)
    run: dict[str, Any] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)
    campaign: str = ""
    park_days: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Scripted:
    """One planned inspection filed through `plan_entry_add`."""

    department: str
    enterprise: Enterprise
    items: tuple[str, ...]
    earliest: datetime.date
    latest: datetime.date
    hours: Decimal = Decimal(2)
    origin: str = PlanOrigin.ROUTINE
    draw_task: DrawTask | None = None
    late_reason: str = ""


class PlanningScene:
    """What the plans need: the month's working days, the accounts, departments and items."""

    def __init__(self, actor: Any, key_id: int, today: datetime.date) -> None:
        self.actor = actor
        self.today = today
        self.month = next_month(today)
        self.days = working_days(self.month)
        self.key = Enterprise.objects.select_related("street").get(pk=key_id)
        self.users = {
            u.username: u
            for u in User.objects.filter(
                username__in=("sfj", "yjj_admin", "yjj_inspector", "fucheng", "qiye")
            )
        }
        self.departments = {d.code: d for d in Department.objects.filter(is_enforcement=True)}
        self.items = {i.code: i for i in InspectionItem.objects.select_related("department")}

    def user(self, username: str) -> Any:
        return self.users.get(username, self.actor)

    def filer(self, code: str) -> Any:
        """Who files a department's plan: the emergency bureau's own administrator; the other
        departments have no demo account, so the bureau's superuser files for them."""
        return self.user("yjj_admin") if code == "YJGL" else self.user("sfj")

    def window(self, start: int, width: int) -> tuple[datetime.date, datetime.date]:
        """Working days start .. start + width - 1, kept inside the month."""
        start = max(0, min(start, len(self.days) - 1))
        end = max(start, min(start + width - 1, len(self.days) - 1))
        return self.days[start], self.days[end]


# ---------------------------------------------------------------- who is planned


def _busy_enterprises(today: datetime.date) -> set[int]:
    """Enterprises with a visit this year or in a draw task: left to their own story."""
    visited = Visit.objects.filter(date__year=today.year).values_list("enterprise_id", flat=True)
    drawn = DrawSelection.objects.values_list("enterprise_id", flat=True)
    return set(visited) | set(drawn)


def street_candidates(street_id: int, *, exclude: set[int], n: int = 40) -> list[Enterprise]:
    """A street's `n` enterprises with two risk tags or more first, the largest and riskiest
    first: whom several departments plan."""
    size = Case(
        *(When(size_class=c, then=Value(rank)) for c, rank in SIZE_ORDER.items()),
        default=Value(len(SIZE_ORDER)),
    )
    return list(
        Enterprise.objects.filter(street_id=street_id, kind="enterprise")
        .exclude(pk__in=exclude)
        .annotate(risks=Count("risk_tags"), size_rank=size)
        .annotate(few=Case(When(risks__gte=2, then=Value(0)), default=Value(1)))
        .order_by("few", "size_rank", "-risks", "pk")
        .prefetch_related("risk_tags")[:n]
    )


def _limit(enterprise: Enterprise) -> int:
    limits = settings.JOINT_VISIT_DEPARTMENT_LIMITS
    return int(limits.get(enterprise.size_class or "", limits[""]))


def _departments_for(enterprise: Enterprise, *, with_yjgl: bool) -> dict[str, list[str]]:
    """The departments an enterprise's risk tags bring, with the items each plans."""
    chosen: dict[str, list[str]] = {}
    if with_yjgl:
        chosen["YJGL"] = ["YJGL-01"]
    for tag in sorted(t.code for t in enterprise.risk_tags.all()):
        if tag in TAG_DEPARTMENTS:
            code, items = TAG_DEPARTMENTS[tag]
            own = chosen.setdefault(code, [])
            own += [i for i in items if i not in own]
    if len(chosen) < 2:
        chosen.setdefault("ZF-FC", list(STREET_TEAM_ITEMS))
    return dict(itertools.islice(chosen.items(), max(2, _limit(enterprise))))


def allowed_days(
    scene: PlanningScene, enterprise: Enterprise, departments: list[Department]
) -> list[datetime.date]:
    """The month's working days on which the visit rules let these departments visit the
    enterprise together (caps, the quiet period after its last joint visit)."""
    ok = []
    for day in scene.days:
        rules = visit_selectors.rules_current(as_of=day)
        grade, limits = visit_selectors.enterprise_limits(enterprise_id=enterprise.pk, rules=rules)
        proposal = visit_rules.Proposal(
            date=day,
            origin="joint",
            grade=grade,
            departments=frozenset(d.pk for d in departments),
        )
        history = visit_selectors.enterprise_history(enterprise_id=enterprise.pk, around=day)
        if not visit_rules.violations(rules, proposal, history, limits=limits):
            ok.append(day)
    return ok


def key_plans(scene: PlanningScene) -> tuple[list[Scripted], datetime.date]:
    """The key enterprise: three departments together late in the month (confirmed later), and
    two earlier (the proposal it will ask to move), both once its quiet period is over."""
    late = {"SZ-STHJ": ("SZ-STHJ-01", "SZ-STHJ-04"), "XFJY": ("XFJY-01", "XFJY-05")}
    late["ZF-FC"] = STREET_TEAM_ITEMS
    early = {"SZ-SCJG": ("SZ-SCJG-02",), "WSJK": ("WSJK-01",)}
    everyone = [scene.departments[c] for c in [*late, *early]]
    days = allowed_days(scene, scene.key, everyone) or scene.days
    index = [scene.days.index(d) for d in days]
    first = index[0]
    split = first + 5 if len(index) >= 10 else None
    plans = []
    for code, items in late.items():
        start = split if split is not None else first
        width = len(scene.days) - start
        plans.append(Scripted(code, scene.key, items, *scene.window(start, width)))
    if split is not None:
        for code, items in early.items():
            plans.append(Scripted(code, scene.key, items, *scene.window(first, 5)))
    # The enterprise's annual shutdown for maintenance: a day the scheduler keeps clear.
    blackout = scene.days[min(len(scene.days) - 1, (split or first) + 2)]
    return plans, blackout


def showcase_plans(
    scene: PlanningScene, rng: np.random.Generator, enterprises: list[Enterprise]
) -> list[Scripted]:
    """Other 福城 enterprises planned by the departments their risk tags bring (two at least,
    the first three with 区应急管理局), windows overlapping around a day spread over the month:
    the joint visits the coordinator confirms."""
    plans = []
    n = len(scene.days)
    for j, enterprise in enumerate(enterprises):
        core = round((j + 0.5) * (n - 3) / max(len(enterprises), 1))  # spread over the month
        for code, items in _departments_for(enterprise, with_yjgl=j < 3).items():
            before, after = (int(x) for x in rng.integers(1, 6, size=2))
            first, last = scene.window(core - before, before + 3 + after)
            if (scene.days.index(last) - scene.days.index(first)) < 4:
                first, last = scene.window(max(0, n - 5) if core > n // 2 else 0, 5)
            hours = Decimal(int(rng.choice([2, 2, 3])))
            plans.append(Scripted(code, enterprise, tuple(items), first, last, hours))
    return plans


def draw_plans(scene: PlanningScene) -> list[Scripted]:
    """The enterprises drawn in the random-draw tasks still open for next month, planned by
    each participating department with its task's items (双随机任务)."""
    plans = []
    open_tasks = DrawTask.objects.filter(
        status__in=(TaskStatus.DRAWN, TaskStatus.IN_PROGRESS)
    ).prefetch_related("participants__items", "participants__department")
    for task in open_tasks:
        for participant in task.participants.all():
            code = participant.department.code
            items = tuple(i.code for i in participant.items.all())
            if code not in scene.departments or not items:
                continue
            pending = DrawSelection.objects.filter(task=task).exclude(
                results__participant=participant
            )
            for selection in pending.select_related("enterprise").order_by("pk"):
                if selection.enterprise_id == scene.key.pk:
                    continue  # the key enterprise's month is scripted on its own
                plans.append(
                    Scripted(
                        code,
                        selection.enterprise,
                        items,
                        scene.days[0],
                        scene.days[-1],
                        origin=PlanOrigin.RANDOM_TASK,
                        draw_task=task,
                    )
                )
    return plans


# Cross-level duplicates: a street team planning the matter a city or district department
# already plans at the same enterprise (same law and article). (higher, lower) department and item.
DUPLICATES = (
    (("CGZF", "CGZF-05"), ("ZF-FC", "ZF-FC-04")),  # 户外广告和招牌: 市容条例第十一条
    (("SZ-STHJ", "SZ-STHJ-01"), ("ZF-FC", "ZF-FC-05")),  # 大气污染防治法第二十九条
    (("CGZF", "CGZF-01"), ("ZF-GL", "ZF-GL-06")),  # 生活垃圾分类: 固废法第二十六条
)


def duplicate_plans(scene: PlanningScene, targets: list[Enterprise]) -> list[Scripted]:
    plans = []
    for ((high, high_item), (low, low_item)), enterprise in zip(DUPLICATES, targets, strict=False):
        first, last = scene.window(3, 10)
        plans.append(Scripted(high, enterprise, (high_item,), first, last))
        plans.append(Scripted(low, enterprise, (low_item,), *scene.window(6, 8)))
    return plans


def late_additions(scene: PlanningScene, enterprises: list[Enterprise]) -> list[Scripted]:
    reasons = (
        (
            "YJGL", ("YJGL-02",), PlanOrigin.FOLLOW_UP,
            "12345 热线反映企业仓库堆放易燃易爆物品，经局务会研究，锁定后补报列入本月检查",
        ),
        (
            "SZ-SCJG", ("SZ-SCJG-02",), PlanOrigin.ROUTINE,
            "市市场监管局交办：该企业电梯维保单位被投诉，须在月内完成特种设备使用单位检查",
        ),
    )  # fmt: skip
    plans = []
    for (code, items, origin, reason), enterprise in zip(reasons, enterprises, strict=False):
        first, last = scene.window(len(scene.days) - 8, 8)
        plans.append(
            Scripted(code, enterprise, items, first, last, origin=origin, late_reason=reason)
        )
    return plans


@dataclass
class Cast:
    """Who plays which part in next month's story (besides the key enterprise)."""

    busy: set[int]  # enterprises with a visit this year or in a draw task: left alone
    showcase: list[Enterprise]  # 福城, planned by several departments through the service
    past: list[Enterprise]  # 福城, the joint visits of the last weeks with filled forms
    duplicates: list[Enterprise]  # two in 福城 and one in 观澜: a street team's duplicate
    late: list[Enterprise]  # planned after the lock, with a reason

    @property
    def reserved(self) -> set[int]:
        return {e.pk for e in self.showcase + self.past + self.duplicates + self.late}


def cast_choose(scene: PlanningScene, *, past_tags: list[tuple[str, ...]]) -> Cast:
    """The 福城 enterprises first (showcase, then one fitting each past visit's risk tags,
    then the duplicates' and the late additions'), one 观澜 enterprise for a duplicate."""
    busy = _busy_enterprises(scene.today) | {scene.key.pk}
    fucheng = street_candidates(scene.key.street_id, exclude=busy)
    showcase, rest = fucheng[:SHOWCASE], fucheng[SHOWCASE:]
    past: list[Enterprise] = []
    for tags in past_tags:
        free = [e for e in rest if e not in past]
        fitting = [e for e in free if {t.code for t in e.risk_tags.all()} & set(tags)]
        past += (fitting or free)[:1]
    rest = [e for e in rest if e not in past]
    guanlan = street_candidates(scene.departments["ZF-GL"].street_id, exclude=busy)
    return Cast(
        busy=busy,
        showcase=showcase,
        past=past,
        duplicates=rest[:2] + guanlan[:1],
        late=rest[2:4],
    )

"""The demo's double-random draw tasks (双随机抽查, 2026), made through the sampling services.

Unlike the bulk-loaded registry and 2020 history, each task goes through the real services
(create, commit, draw, results, close), so every step is in the audit chain and every drawn
task's published bundle verifies (spec wurao-draw-v1). Scopes are a risk tag, sometimes in
one street, and totals are capped, so the demo stays quick at any scale.

Deterministic for a seed in everything a seed can decide: scopes, totals, the observer's
external entropy, which results are recorded and what they say. The server seed comes from
the operating system's CSPRNG, as in any real draw, so which enterprises are drawn differs
from one build to the next.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.utils import timezone

from wurao.accounts.models import User
from wurao.audit.services import audit_record
from wurao.catalogue.models import InspectionItem
from wurao.demo import data
from wurao.demo.items import item_code
from wurao.demo.visits_year import SHENZHEN, workday
from wurao.enforcement.models import EnforcementAction
from wurao.registry.models import Department, Enterprise, Inspector, Street
from wurao.registry.workdays import working_days_between
from wurao.sampling.choices import ResultCategory, SizeMode, TaskStatus
from wurao.sampling.models import ConflictOfInterest, DrawResult, DrawTask
from wurao.sampling.selectors import draw_scope_enterprises
from wurao.sampling.services import draw_task_close, draw_task_commit, draw_task_draw
from wurao.sampling.services_draft import ParticipantSpec, draw_task_create
from wurao.sampling.services_results import draw_result_record
from wurao.visits.models import Visit

STREAM_DRAWS = 5  # after the generator's streams 1–4 (wurao.demo.engine)
LEAST = 3  # the smallest sample the demo draws from a scope

# How far the demo takes each task.
STAGES = (
    TaskStatus.DRAFT,
    TaskStatus.COMMITTED,
    TaskStatus.DRAWN,
    TaskStatus.IN_PROGRESS,
    TaskStatus.CLOSED,
)


@dataclass(frozen=True)
class DemoDraw:
    """One draw task of the demo. `items` by department code (the lead first) as item
    numbers in the department's list; `share` of the scope is drawn, at least LEAST and at
    most `most`; `results` is the share of drawn enterprises whose results are recorded."""

    title: str
    items: dict[str, tuple[int, ...]]
    tags: tuple[str, ...]
    window: tuple[str, str]
    status: TaskStatus
    share: float
    most: int
    streets: tuple[str, ...] = ()
    observer: str = ""
    results: float = 0.0
    results_until: str = ""  # the last day results are dated (for a task still in progress)


# The demo's assumption: a year of tasks as a district would publish them.
DEMO_DRAWS = (
    DemoDraw(
        title="2026年第二季度危险化学品企业安全生产“双随机”抽查",
        items={"YJGL": (2, 1)},
        tags=("hazchem",),
        window=("2026-04-01", "2026-06-30"),
        status=TaskStatus.CLOSED,
        share=0.05,
        most=30,
        observer="区司法局执法监督科 王建华",
        results=1.0,
    ),
    DemoDraw(
        title="2026年民治街道食品经营单位跨部门联合“双随机”抽查",
        items={"SZ-SCJG": (1,), "WSJK": (3,)},
        tags=("food",),
        streets=("民治",),
        window=("2026-05-06", "2026-08-31"),
        status=TaskStatus.CLOSED,
        share=0.01,
        most=20,
        observer="区人大代表 李敏",
        results=1.0,
    ),
    DemoDraw(
        title="2026年11—12月工贸企业粉尘涉爆、有限空间、金属熔融专项“双随机”抽查",
        items={"YJGL": (3, 4, 1)},
        tags=("dust", "confined", "metal_melt"),
        window=("2026-11-02", "2026-12-31"),
        status=TaskStatus.IN_PROGRESS,
        share=0.05,
        most=24,
        observer="区工商联 企业代表 张志强",
        results=0.5,
        results_until="2026-11-26",
    ),
    DemoDraw(
        title="2026年12月重点排污单位“双随机”抽查",
        items={"SZ-STHJ": (1, 3, 5)},
        tags=("discharge",),
        window=("2026-12-01", "2026-12-31"),
        status=TaskStatus.DRAWN,
        share=0.02,
        most=20,
        observer="区司法局执法监督科 陈静",
    ),
    DemoDraw(
        title="2027年第一季度龙华街道人员密集场所消防与安全生产跨部门联合“双随机”抽查",
        items={"XFJY": (3, 4), "YJGL": (6,)},
        tags=("crowded", "fire_key"),
        streets=("龙华",),
        window=("2027-01-04", "2027-03-31"),
        status=TaskStatus.COMMITTED,
        share=0.05,
        most=20,
    ),
    DemoDraw(
        title="2027年建筑施工现场安全“双随机”抽查",
        items={"ZJJ": (1, 2)},
        tags=("construction",),
        window=("2027-03-01", "2027-05-31"),
        status=TaskStatus.DRAFT,
        share=0.05,
        most=30,
    ),
)

# What the officers found (the demo's assumption, close to published district results:
# most enterprises without problems, some corrected on the spot).
RESULT_MIX = {
    ResultCategory.NO_PROBLEM: 72,
    ResultCategory.CORRECTED: 16,
    ResultCategory.FOLLOW_UP: 4,
    ResultCategory.NOT_DISCLOSED: 3,
    ResultCategory.UNREACHABLE: 4,
    ResultCategory.REFUSED: 1,
}
RESULT_NOTES = {
    ResultCategory.NO_PROBLEM: "",
    ResultCategory.CORRECTED: "发现一般问题，已当场责令改正，企业已整改完毕。",
    ResultCategory.FOLLOW_UP: "发现问题需进一步调查取证，已按程序移交处理。",
    ResultCategory.NOT_DISCLOSED: "未按规定公示年度报告信息，已告知限期公示。",
    ResultCategory.UNREACHABLE: "按登记住所两次上门均无法联系，已提请列入经营异常名录。",
    ResultCategory.REFUSED: "拒绝提供检查所需资料，已记录并依法处理。",
}

# A declared conflict of interest (回避), so that a bundle shows a declared exclusion
# beside those from the last inspection: an officer of the emergency bureau whose relative
# works at the key enterprise.
CONFLICT_DEPARTMENT = "YJGL"
CONFLICT_EXPERTISE = "危险化学品"
CONFLICT_REASON = "近亲属在该企业任安全管理人员"


@dataclass
class DemoDrawsResult:
    tasks: list[dict[str, Any]] = field(default_factory=list)
    # What a small district could not hold as specified (a widened scope, a task left out),
    # in words for the build summary.
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        by_status = {status.value: 0 for status in STAGES}
        for task in self.tasks:
            by_status[task["status"]] += 1
        return {
            "draw_tasks": len(self.tasks),
            **{f"draw_tasks_{status}": n for status, n in by_status.items()},
            "draw_selected": sum(task["selected"] for task in self.tasks),
            "draw_results": sum(task["results"] for task in self.tasks),
        }


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _scope(spec: DemoDraw, notes: list[str]) -> tuple[dict, int]:
    """The task's scope and how many enterprises it covers. At a small scale a street may hold
    no enterprise with the task's risk tags: the scope then widens to the district, noted."""
    tags = {"risk_tags": list(spec.tags)}
    streets = list(
        Street.objects.filter(name__in=[f"{name}街道" for name in spec.streets])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if streets:
        scope = tags | {"streets": streets}
        if size := draw_scope_enterprises(scope=scope).count():
            return scope, size
        notes.append(
            f"“{spec.title}”：{'、'.join(spec.streets)}街道没有符合条件的企业，范围扩大到全区"
        )
    return tags, draw_scope_enterprises(scope=tags).count()


def _total(spec: DemoDraw, size: int) -> int:
    return min(size, max(LEAST, min(spec.most, round(spec.share * size))))


def _conflict_declare(actor: Any) -> None:
    """The key enterprise's declared conflict, by an emergency-bureau officer who would be
    on the hazardous-chemicals task's roster (certificate valid, matching expertise)."""
    key = Enterprise.objects.get(name=data.KEY_ENTERPRISE_NAME)
    officers = Inspector.objects.filter(
        department__code=CONFLICT_DEPARTMENT,
        active=True,
        certificate_valid_until__gte=_day(DEMO_DRAWS[0].window[1]),
    ).order_by("badge_no")
    officer = next(
        (o for o in officers if CONFLICT_EXPERTISE in (o.expertise or [])), officers.first()
    )
    conflict = ConflictOfInterest.objects.create(
        inspector=officer, enterprise=key, reason=CONFLICT_REASON
    )
    audit_record(
        actor=actor,
        verb="conflict_of_interest.declare",
        obj=conflict,
        payload={
            "inspector": officer.badge_no,
            "enterprise": key.credit_code,
            "reason": CONFLICT_REASON,
        },
    )


def _results_record(task: DrawTask, spec: DemoDraw, rng: np.random.Generator, recorder: Any) -> int:
    selections = list(task.selections.select_related("enterprise").order_by("pk"))
    participants = list(task.participants.select_related("department"))
    count = len(selections) if spec.results >= 1 else int(len(selections) * spec.results)
    chosen = sorted(rng.choice(len(selections), size=count, replace=False).tolist())
    first = _day(spec.window[0])
    last = min(_day(spec.window[1]), _day(spec.results_until or spec.window[1]))
    days = working_days_between(first, last)
    categories = list(RESULT_MIX)
    weights = np.array(list(RESULT_MIX.values()), dtype=float)
    recorded = 0
    for n, i in enumerate(chosen):
        # A joint task visits each enterprise once, every department on the same day.
        day = days[int(rng.integers(len(days)))]
        for participant in participants:
            category = categories[int(rng.choice(len(categories), p=weights / weights.sum()))]
            result = draw_result_record(
                actor=recorder,
                selection=selections[i],
                participant=participant,
                category=category,
                inspected_on=day,
                note=RESULT_NOTES[category],
            )
            _dated(result, day, lag=1 + (n + recorded) % 3)
            recorded += 1
    return recorded


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHENZHEN)


def _dated(result: DrawResult, day: datetime.date, *, lag: int) -> None:
    """The service wrote the result now; the officers registered the visit a few days before
    the inspection and entered the result `lag` working days after it (never after now), so
    the dashboard's timeliness reads what a department would have shown."""
    now = timezone.now()
    recorded = day
    for _ in range(lag):
        recorded = workday(recorded + datetime.timedelta(days=1), 1)
    recorded_at = min(_at(recorded, 17, 10), now)
    EnforcementAction.objects.filter(pk=result.action_id).update(created_at=recorded_at)
    DrawResult.objects.filter(pk=result.pk).update(recorded_at=recorded_at)
    visit = result.action.visit_id if result.action_id else None
    if visit:
        registered_at = min(_at(workday(day - datetime.timedelta(days=3), -1), 16), now)
        Visit.objects.filter(pk=visit, registered_at__gt=registered_at).update(
            registered_at=registered_at
        )


def _users() -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=("yjj_admin", "yjj_inspector"))}


def demo_draws_build(*, actor: Any, seed: int) -> DemoDrawsResult:
    """Create the demo's draw tasks through the services; call inside the demo's transaction."""
    users = _users()
    _conflict_declare(actor)
    result = DemoDrawsResult()
    for n, spec in enumerate(DEMO_DRAWS):
        rng = np.random.default_rng([seed, STREAM_DRAWS, n])
        departments = {d.code: d for d in Department.objects.filter(code__in=list(spec.items))}
        lead = departments[next(iter(spec.items))]
        # The emergency bureau's demo accounts run its tasks; other departments' are the demo's.
        admin = users.get("yjj_admin", actor) if lead.code == "YJGL" else actor
        recorder = users.get("yjj_inspector", actor) if lead.code == "YJGL" else actor
        participants = [
            ParticipantSpec(
                department=departments[code],
                items=list(
                    InspectionItem.objects.filter(
                        department=departments[code],
                        code__in=[item_code(code, i) for i in numbers],
                    ).order_by("code")
                ),
            )
            for code, numbers in spec.items.items()
        ]
        scope, size = _scope(spec, result.notes)
        if not size:
            # A task must draw at least one enterprise (the sampling service refuses 0).
            result.notes.append(f"“{spec.title}”：全区没有符合条件的企业，未生成该任务")
            continue
        task = draw_task_create(
            actor=admin,
            title=spec.title,
            lead_department=lead,
            participants=participants,
            scope=scope,
            size_mode=SizeMode.TOTAL,
            size_value=Decimal(_total(spec, size)),
            window_start=_day(spec.window[0]),
            window_end=_day(spec.window[1]),
        )
        stage = STAGES.index(spec.status)
        results = 0
        if stage >= STAGES.index(TaskStatus.COMMITTED):
            task = draw_task_commit(actor=admin, task=task)
        if stage >= STAGES.index(TaskStatus.DRAWN):
            rolls = "-".join(str(r) for r in rng.integers(1, 7, size=8).tolist())
            task = draw_task_draw(
                actor=admin,
                task=task,
                external_entropy=f"见证人现场掷骰8次：{rolls}",
                observer=spec.observer,
            )
        if stage >= STAGES.index(TaskStatus.IN_PROGRESS):
            results = _results_record(task, spec, rng, recorder)
        if spec.status == TaskStatus.CLOSED:
            task = draw_task_close(actor=admin, task=task)
        task.refresh_from_db()
        result.tasks.append(
            {
                "code": task.code,
                "title": task.title,
                "status": task.status,
                "departments": list(spec.items),
                "candidates": task.candidate_count,
                "selected": task.selections.count(),
                "results": results,
            }
        )
    return result

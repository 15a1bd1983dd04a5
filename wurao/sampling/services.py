"""The lifecycle of a draw task: draft → committed → drawn → in progress → closed.

Each step is one atomic, audited function. The numbers come from the pure engine
(engine.py, allocation.py, teams.py), which implements docs/random-draw-v1.md.
"""

import datetime
import gzip
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from wurao.accounts.scope import Scope
from wurao.audit.services import audit_record
from wurao.credit import selectors as credit_selectors
from wurao.enforcement import selectors as enforcement_selectors
from wurao.enforcement.choices import ActionKind, Finding, Origin
from wurao.enforcement.services import action_record
from wurao.registry import selectors as registry_selectors
from wurao.sampling import engine
from wurao.sampling.allocation import StratumSpec, allocate
from wurao.sampling.choices import (
    DEFAULT_WEIGHTS,
    GRADE_STRATA,
    ResultCategory,
    SizeMode,
    TaskStatus,
)
from wurao.sampling.models import (
    ConflictOfInterest,
    DrawParticipant,
    DrawResult,
    DrawSelection,
    DrawTask,
    DrawTeamMember,
)
from wurao.sampling.selectors import draw_scope_enterprises, grade_table_label
from wurao.sampling.teams import assign_teams
from wurao.visits.services import visit_record_planned

_ALL = Scope(sees_all=True)

# The law asks for at least two officers on site (《行政处罚法》第四十二条; 《行政检查》 rules alike).
LAWFUL_TEAM_SIZE = 2


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


# ---------------------------------------------------------------- draft


@dataclass(frozen=True)
class ParticipantSpec:
    department: object
    items: list
    team_size: int = LAWFUL_TEAM_SIZE
    team_size_reason: str = ""


@dataclass(frozen=True)
class QuotaPreview:
    sizes: dict[str, int]
    total: int
    quotas: dict[str, int]

    @property
    def rows(self) -> list[dict]:
        """Per stratum: candidates, weight-driven quota and the resulting sampling ratio."""
        return [
            {
                "stratum": label,
                "size": self.sizes.get(label, 0),
                "quota": self.quotas.get(label, 0),
                "ratio": (self.quotas.get(label, 0) / self.sizes[label])
                if self.sizes.get(label)
                else 0.0,
            }
            for label in GRADE_STRATA
        ]

    @property
    def candidate_count(self) -> int:
        return sum(self.sizes.values())


def _task_total(size_mode: str, size_value: Decimal, candidate_count: int) -> int:
    if size_mode == SizeMode.RATIO:
        return int(
            (Decimal(size_value) * candidate_count).to_integral_value(rounding=ROUND_HALF_UP)
        )
    return int(size_value)


def _with_default_weights(weights: dict[str, str] | None) -> dict[str, str]:
    # Unless the task says otherwise, each grade's weight is the one the points table in force sets.
    defaults = {**DEFAULT_WEIGHTS, **credit_selectors.sampling_weights()}
    return {**defaults, **{k: str(v) for k, v in (weights or {}).items()}}


def _validate_size(size_mode: str, size_value: Decimal) -> None:
    if size_mode not in SizeMode.values:
        raise _invalid("size_mode", _("请选择按总数或按比例抽取"))
    if size_mode == SizeMode.RATIO and not (Decimal(0) < Decimal(size_value) <= Decimal(1)):
        raise _invalid("size_value", _("抽取比例须大于 0 且不超过 1（如 0.05 表示 5%）"))
    if size_mode == SizeMode.TOTAL and (Decimal(size_value) < 1 or Decimal(size_value) % 1):
        raise _invalid("size_value", _("抽取总数须为正整数"))


def _validate_weights(weights: dict[str, str]) -> None:
    for label, weight in weights.items():
        if label not in GRADE_STRATA:
            raise _invalid(
                "weights",
                _("未知的等级“%(grade)s”，只能是 %(grades)s")
                % {"grade": label, "grades": "、".join(GRADE_STRATA)},
            )
        try:
            if Decimal(str(weight)) < 0:
                raise ValueError
        except (ArithmeticError, ValueError):
            raise _invalid(
                "weights",
                _("等级 %(grade)s 的权重须为非负小数，实为“%(weight)s”")
                % {"grade": label, "weight": weight},
            ) from None


# A task's inspections happen within a year (tasks are planned by the year or the quarter),
# in this century: a mistyped year is refused here, naming the date, instead of failing at
# commit as "no officer's certificate is valid through the window".
WINDOW_MAX_DAYS = 366
WINDOW_YEARS = (2000, 2099)


def draw_window_validate(*, window_start: datetime.date, window_end: datetime.date) -> None:
    """Refuse an impossible or absurd inspection window, naming the date that is wrong."""
    low, high = WINDOW_YEARS
    for field, day in (("window_start", window_start), ("window_end", window_end)):
        if not low <= day.year <= high:
            label = _("计划检查开始日期") if field == "window_start" else _("计划检查结束日期")
            raise _invalid(
                field,
                _("%(label)s %(day)s 不合理：须在 %(low)s 年至 %(high)s 年之间")
                % {"label": label, "day": day.isoformat(), "low": low, "high": high},
            )
    if window_end < window_start:
        raise _invalid("window_end", _("计划检查结束日期不能早于开始日期"))
    days = (window_end - window_start).days + 1
    if days > WINDOW_MAX_DAYS:
        raise _invalid(
            "window_end",
            _("计划检查期最长 %(max)s 天（一年），现为 %(days)s 天：请缩短，或分为几个任务")
            % {"max": WINDOW_MAX_DAYS, "days": days},
        )


def _validate_draft(
    *, title, size_mode, size_value, weights, window_start, window_end, participants
) -> None:
    if not title.strip():
        raise _invalid("title", _("请填写任务名称"))
    _validate_size(size_mode, size_value)
    _validate_weights(weights)
    draw_window_validate(window_start=window_start, window_end=window_end)
    if not participants:
        raise _invalid("participants", _("至少需要一个参与部门"))
    seen = set()
    for p in participants:
        if p.department.pk in seen:
            raise _invalid(
                "participants", _("部门“%(department)s”重复") % {"department": p.department.name}
            )
        seen.add(p.department.pk)
        if not p.department.is_enforcement:
            raise _invalid(
                "participants",
                _("“%(department)s”不是执法主体，不能参与抽查") % {"department": p.department.name},
            )
        if not p.items:
            raise _invalid(
                "items", _("请为“%(department)s”选择检查事项") % {"department": p.department.name}
            )
        foreign = [i.code for i in p.items if i.department_id != p.department.pk or not i.active]
        if foreign:
            raise _invalid(
                "items",
                _("检查事项 %(items)s 不在“%(department)s”公布的有效清单内（清单之外无事项）")
                % {"items": "、".join(foreign), "department": p.department.name},
            )
        if p.team_size < 1:
            raise _invalid("team_size", _("每组至少 1 名执法人员"))
        if p.team_size < LAWFUL_TEAM_SIZE and not p.team_size_reason.strip():
            raise _invalid(
                "team_size_reason", _("执法人员少于 2 人须说明理由（法律要求现场执法不少于两人）")
            )


@transaction.atomic
def draw_task_create(
    *,
    actor,
    title: str,
    lead_department,
    participants: list[ParticipantSpec],
    scope: dict,
    size_mode: str,
    size_value: Decimal,
    window_start: datetime.date,
    window_end: datetime.date,
    weights: dict[str, str] | None = None,
) -> DrawTask:
    """A draft task; a joint task lists several departments, the lead one first."""
    weights = _with_default_weights(weights)
    _validate_draft(
        title=title, size_mode=size_mode, size_value=size_value, weights=weights,
        window_start=window_start, window_end=window_end, participants=participants,
    )  # fmt: skip
    if lead_department.pk not in {p.department.pk for p in participants}:
        raise _invalid("lead_department", _("牵头部门必须是参与部门之一"))
    sequence = DrawTask.objects.filter(created_at__year=timezone.now().year).count() + 1
    task = DrawTask.objects.create(
        code=f"CC-{timezone.now():%Y}-{lead_department.code}-{sequence:04d}",
        title=title.strip(),
        lead_department=lead_department,
        scope=scope,
        size_mode=size_mode,
        size_value=size_value,
        weights={k: str(v) for k, v in weights.items()},
        window_start=window_start,
        window_end=window_end,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    for spec in participants:
        participant = DrawParticipant.objects.create(
            task=task,
            department=spec.department,
            team_size=spec.team_size,
            team_size_reason=spec.team_size_reason.strip(),
        )
        participant.items.set(spec.items)
    audit_record(
        actor=actor,
        verb="draw_task.create",
        obj=task,
        payload={
            "code": task.code,
            "departments": [p.department.code for p in participants],
            "scope": scope,
            "size_mode": size_mode,
            "size_value": str(size_value),
            "weights": task.weights,
        },
    )
    return task


def _candidates_for(scope: dict) -> tuple[engine.Candidates, list[int]]:
    # The stratum is the enterprise's current credit grade ([grading]); U when it has none.
    rows = list(
        draw_scope_enterprises(scope=scope)
        .order_by("credit_code")
        .values_list("credit_code", "pk", "grade__grade")
    )
    labels = list(GRADE_STRATA)
    index = {label: i for i, label in enumerate(labels)}
    strata = np.fromiter(
        (index[grade or "U"] for _, _, grade in rows), dtype=np.int32, count=len(rows)
    )
    candidates = engine.Candidates.from_arrays([code for code, _, _ in rows], strata, labels)
    return candidates, [pk for _, pk, _ in rows]


def _grade_table_label(candidates: engine.Candidates) -> str:
    """Which grading the strata come from, recorded on the task and in its bundle."""
    unrated = candidates.sizes.get("U", 0) == len(candidates)
    version = None if unrated else credit_selectors.points_table_current()
    return grade_table_label(version.version if version else None)


def draw_task_preview(*, task: DrawTask) -> QuotaPreview:
    """The quotas the task would commit to now: shown before committing."""
    candidates, _ = _candidates_for(task.scope)
    return _preview(
        candidates, size_mode=task.size_mode, size_value=task.size_value, weights=task.weights
    )


def draw_scope_preview(
    *, scope: dict, size_mode: str, size_value: Decimal, weights: dict[str, str] | None = None
) -> QuotaPreview:
    """The quotas a task with this scope, size and weights would get now, before it is saved."""
    weights = _with_default_weights(weights)
    _validate_size(size_mode, size_value)
    _validate_weights(weights)
    candidates, _ = _candidates_for(scope)
    return _preview(candidates, size_mode=size_mode, size_value=size_value, weights=weights)


def _preview(
    candidates: engine.Candidates, *, size_mode: str, size_value: Decimal, weights: dict
) -> QuotaPreview:
    sizes = {label: candidates.sizes.get(label, 0) for label in GRADE_STRATA}
    if not len(candidates):
        raise _invalid("scope", _("抽查范围内没有企业，请放宽范围"))
    total = _task_total(size_mode, size_value, len(candidates))
    if total < 1:
        raise _invalid(
            "size_value",
            _("按此比例从 %(count)s 家企业中抽取不到 1 家，请提高比例或改为按总数抽取")
            % {"count": len(candidates)},
        )
    specs = [StratumSpec(label, sizes[label], weights.get(label, "1")) for label in GRADE_STRATA]
    try:
        quotas = allocate(specs, total)
    except engine.DrawError as error:
        raise _invalid("size_value", error.message_zh) from None
    return QuotaPreview(sizes=sizes, total=total, quotas=quotas)


# ---------------------------------------------------------------- commit


def _roster_for(participant: DrawParticipant, window_end: datetime.date) -> list[str]:
    """Active officers of the department with a certificate valid through the window,
    preferring those whose expertise matches the items when there are enough of them."""
    eligible = list(
        registry_selectors.inspector_list(scope=Scope(department_id=participant.department_id))
        .filter(active=True, certificate_valid_until__gte=window_end)
        .values_list("badge_no", "expertise")
    )
    texts = [f"{i.name} {i.check_points}" for i in participant.items.all()]
    matched = [
        badge
        for badge, fields in eligible
        if any(f and f in t for f in fields or [] for t in texts)
    ]
    if len(matched) >= max(participant.team_size * 2, participant.team_size):
        return sorted(matched)
    return sorted(badge for badge, _ in eligible)


def _exclusions_for(
    participant: DrawParticipant, codes: set[str], roster: list[str]
) -> dict[str, list[str]]:
    """Declared conflicts, and the officers of this department's last inspection of each enterprise."""
    on_roster = set(roster)
    excluded: dict[str, set[str]] = {}
    for code, badge in ConflictOfInterest.objects.filter(
        inspector__department_id=participant.department_id
    ).values_list("enterprise__credit_code", "inspector__badge_no"):
        if code in codes and badge in on_roster:
            excluded.setdefault(code, set()).add(badge)
    for code, badge in enforcement_selectors.last_inspection_officers(
        department_id=participant.department_id
    ):
        if code in codes and badge in on_roster:
            excluded.setdefault(code, set()).add(badge)
    return {code: sorted(badges) for code, badges in sorted(excluded.items())}


def _snapshot_pack(candidates: engine.Candidates) -> bytes:
    lines = "".join(f"{code}\t{stratum}\n" for code, stratum in candidates.pairs())
    return gzip.compress(lines.encode(), compresslevel=6)


def _snapshot_unpack(blob: bytes) -> engine.Candidates:
    text = gzip.decompress(bytes(blob)).decode()
    pairs = [line.split("\t") for line in text.splitlines()]
    codes = [c for c, _ in pairs]
    labels = list(GRADE_STRATA)
    index = {label: i for i, label in enumerate(labels)}
    strata = np.fromiter((index[s] for _, s in pairs), dtype=np.int32, count=len(pairs))
    return engine.Candidates.from_arrays(codes, strata, labels)


def _locked(task: DrawTask, expected: TaskStatus) -> DrawTask:
    # The row lock makes concurrent presses queue; the second finds the status moved on.
    task = DrawTask.objects.select_for_update().get(pk=task.pk)
    if task.status != expected:
        raise ValidationError(
            _("任务 %(code)s 当前状态为“%(status)s”，不能执行此操作（需为“%(expected)s”）")
            % {
                "code": task.code,
                "status": task.get_status_display(),
                "expected": TaskStatus(expected).label,
            }
        )
    return task


@transaction.atomic
def draw_task_commit(*, actor, task: DrawTask) -> DrawTask:
    """Freeze the candidates, quotas, rosters and exclusions and publish the commitment.
    Nothing about the snapshot can change afterwards."""
    task = _locked(task, TaskStatus.DRAFT)
    candidates, _ = _candidates_for(task.scope)
    preview = _preview(
        candidates, size_mode=task.size_mode, size_value=task.size_value, weights=task.weights
    )
    codes = set(candidates.code_list())
    for participant in task.participants.all():
        roster = _roster_for(participant, task.window_end)
        if not roster:
            raise _invalid(
                "participants",
                gettext("“%(department)s”没有执法证有效期至计划期结束（%(end)s）的在岗执法人员")
                % {"department": participant.department.name, "end": task.window_end.isoformat()},
            )
        if len(roster) < participant.team_size:
            raise _invalid(
                "team_size",
                gettext("“%(department)s”符合条件的执法人员只有 %(count)s 人，少于每组 %(size)s 人")
                % {
                    "department": participant.department.name,
                    "count": len(roster),
                    "size": participant.team_size,
                },
            )
        participant.roster = roster
        participant.exclusions = _exclusions_for(participant, codes, roster)
        participant.save(update_fields=["roster", "exclusions"])
    server_seed = engine.server_seed_new()
    task.server_seed = server_seed.hex()
    task.commitment = engine.commitment(server_seed)
    task.snapshot_digest = engine.snapshot_digest(candidates)
    task.grade_table = _grade_table_label(candidates)
    task.snapshot = _snapshot_pack(candidates)
    task.candidate_count = len(candidates)
    task.total = preview.total
    task.quotas = {label: preview.quotas.get(label, 0) for label in GRADE_STRATA}
    task.committed_at = timezone.now()
    task.status = TaskStatus.COMMITTED
    task.save()
    audit_record(
        actor=actor,
        verb="draw_task.commit",
        obj=task,
        payload={
            "code": task.code,
            "commitment": task.commitment,
            "snapshot_digest": task.snapshot_digest,
            "candidates": task.candidate_count,
            "total": task.total,
            "quotas": task.quotas,
        },
    )
    return task


# ---------------------------------------------------------------- draw


@transaction.atomic
def draw_task_draw(*, actor, task: DrawTask, external_entropy: str, observer: str) -> DrawTask:
    """Run the draw with the observer's entropy: select enterprises, assign each department's team."""
    external_entropy = external_entropy.strip()
    if not external_entropy:
        raise _invalid(
            "external_entropy", _("请由监督见证人输入外部随机数（如现场掷骰结果或当日公开数据）")
        )
    if not observer.strip():
        raise _invalid("observer", _("请填写监督见证人姓名"))
    task = _locked(task, TaskStatus.COMMITTED)
    candidates = _snapshot_unpack(task.snapshot)
    seed = engine.draw_seed(task.code, bytes.fromhex(task.server_seed), external_entropy)
    selection = engine.select(candidates, task.quotas, seed)
    selected = selection.selected.pairs()
    selected_codes = [code for code, _ in selected]
    participants = list(task.participants.select_related("department"))
    try:
        teams = {
            p.pk: assign_teams(
                selected_codes,
                p.roster,
                p.team_size,
                {code: set(badges) for code, badges in p.exclusions.items()},
                seed,
            )
            for p in participants
        }
    except engine.DrawError as error:
        raise ValidationError(error.message_zh) from None
    enterprises = dict(
        registry_selectors.enterprise_list(scope=_ALL)
        .filter(credit_code__in=selected_codes)
        .values_list("credit_code", "pk")
    )
    rows = DrawSelection.objects.bulk_create(
        [
            DrawSelection(task=task, enterprise_id=enterprises[code], stratum=stratum)
            for code, stratum in selected
        ]
    )
    by_code = dict(zip(selected_codes, rows, strict=True))
    inspectors = dict(
        registry_selectors.inspector_list(scope=_ALL)
        .filter(department_id__in=[p.department_id for p in participants])
        .values_list("badge_no", "pk")
    )
    DrawTeamMember.objects.bulk_create(
        [
            DrawTeamMember(
                selection=by_code[code], participant=p, inspector_id=inspectors[badge], rank=rank
            )
            for p in participants
            for code, badges in teams[p.pk].items()
            for rank, badge in enumerate(badges)
        ]
    )
    task.external_entropy = external_entropy
    task.observer = observer.strip()
    task.result_digest = selection.result_digest
    task.drawn_at = timezone.now()
    task.status = TaskStatus.DRAWN
    task.save()
    audit_record(
        actor=actor,
        verb="draw_task.draw",
        obj=task,
        payload={
            "code": task.code,
            "server_seed": task.server_seed,
            "external_entropy": external_entropy,
            "observer": task.observer,
            "selected": len(selected),
            "result_digest": task.result_digest,
        },
    )
    return task


# ---------------------------------------------------------------- results


@transaction.atomic
def draw_result_record(
    *,
    actor,
    selection: DrawSelection,
    participant: DrawParticipant,
    category: str,
    inspected_on: datetime.date,
    note: str = "",
) -> DrawResult:
    """One department's result for one drawn enterprise, entered into the enterprise's file."""
    task = DrawTask.objects.select_for_update().get(pk=selection.task_id)
    if task.status not in (TaskStatus.DRAWN, TaskStatus.IN_PROGRESS):
        raise ValidationError(
            _("任务 %(code)s 为“%(status)s”，不能录入检查结果")
            % {"code": task.code, "status": task.get_status_display()}
        )
    if participant.task_id != task.pk:
        raise _invalid("participant", _("该部门不参与此任务"))
    if category not in ResultCategory.values:
        raise _invalid("category", _("请选择检查结果"))
    if category == ResultCategory.OTHER and not note.strip():
        raise _invalid("note", _("检查结果为“其他”时请填写情况说明"))
    if not (task.window_start <= inspected_on <= task.window_end):
        raise _invalid(
            "inspected_on",
            _("检查日期须在计划期 %(start)s 至 %(end)s 之内")
            % {"start": task.window_start, "end": task.window_end},
        )
    if DrawResult.objects.filter(selection=selection, participant=participant).exists():
        raise _invalid(
            "selection",
            _("“%(department)s”已录入该企业的检查结果")
            % {"department": participant.department.name},
        )
    team = [
        m.inspector
        for m in selection.team.filter(participant=participant).select_related("inspector")
    ]
    joint_ref = (
        f"{task.code}/{selection.enterprise.credit_code}" if task.participants.count() > 1 else ""
    )
    items = list(participant.items.all())
    # One visit per drawn enterprise: a joint task's departments share it.
    visit = visit_record_planned(
        actor=actor,
        source_ref=f"draw:{task.code}/{selection.enterprise.credit_code}",
        enterprise=selection.enterprise,
        department=participant.department,
        day=inspected_on,
        origin=Origin.RANDOM_DRAW,
        officers=team,
        items=items,
        note=f"双随机抽查任务 {task.code}",
    )
    action = action_record(
        actor=actor,
        enterprise=selection.enterprise,
        department=participant.department,
        day=inspected_on,
        kind=ActionKind.INSPECTION,
        origin=Origin.RANDOM_DRAW,
        items=items,
        officers=team,
        joint_ref=joint_ref,
        visit=visit,
        summary=f"双随机抽查任务 {task.code}：{ResultCategory(category).label}。{note.strip()}".strip(),
        finding=Finding.CLEAN if category == ResultCategory.NO_PROBLEM else Finding.PROBLEMS,
    )
    result = DrawResult.objects.create(
        selection=selection,
        participant=participant,
        category=category,
        note=note.strip(),
        inspected_on=inspected_on,
        action=action,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    if task.status == TaskStatus.DRAWN:
        task.status = TaskStatus.IN_PROGRESS
        task.save(update_fields=["status"])
    audit_record(
        actor=actor,
        verb="draw_result.record",
        obj=result,
        payload={
            "task": task.code,
            "enterprise": selection.enterprise.credit_code,
            "department": participant.department.code,
            "category": category,
        },
    )
    return result


@transaction.atomic
def draw_task_close(*, actor, task: DrawTask) -> DrawTask:
    """Close once every department has a result for every drawn enterprise; results are then public."""
    task = _locked(task, TaskStatus.IN_PROGRESS)
    expected = task.selections.count() * task.participants.count()
    recorded = DrawResult.objects.filter(selection__task=task).count()
    if recorded < expected:
        raise ValidationError(
            _("还有 %(count)s 项检查结果未录入，不能办结") % {"count": expected - recorded}
        )
    task.closed_at = timezone.now()
    task.status = TaskStatus.CLOSED
    task.save(update_fields=["closed_at", "status"])
    audit_record(
        actor=actor,
        verb="draw_task.close",
        obj=task,
        payload={"code": task.code, "results": recorded},
    )
    return task


# ---------------------------------------------------------------- bundle


def draw_task_bundle(*, task: DrawTask) -> dict:
    """The published bundle (spec §7). Before the draw, the seed stays secret and the
    draw fields are absent; the candidates, digest, quotas and commitment are already public."""
    if task.status == TaskStatus.DRAFT:
        raise ValidationError(_("草稿任务尚未承诺，没有可公开的数据"))
    candidates = _snapshot_unpack(task.snapshot)
    participants = list(task.participants.select_related("department").prefetch_related("items"))
    bundle: dict = {
        "spec": "wurao-draw-v1",
        "task_id": task.code,
        "candidates": [list(pair) for pair in candidates.pairs()],
        "snapshot_digest": task.snapshot_digest,
        "strata": [
            {"label": label, "weight": str(task.weights.get(label, "1"))} for label in GRADE_STRATA
        ],
        "total": task.total,
        "quotas": task.quotas,
        "commitment": task.commitment,
    }
    drawn = task.status not in (TaskStatus.DRAFT, TaskStatus.COMMITTED)
    teams: dict[int, dict[str, list[str]]] = {p.pk: {} for p in participants}
    selected: list[list[str]] = []
    if drawn:
        bundle["server_seed"] = task.server_seed
        bundle["external_entropy"] = task.external_entropy
        for s in draw_selection_rows(task):
            selected.append([s["code"], s["stratum"]])
            for pk, badges in s["teams"].items():
                teams[pk][s["code"]] = badges
    bundle["departments"] = [
        {
            "code": p.department.code,
            "name": p.department.name,
            "team_size": p.team_size,
            "roster": p.roster,
            "exclusions": p.exclusions,
            "items": [i.code for i in p.items.all()],
            **({"teams": teams[p.pk]} if drawn else {}),
        }
        for p in participants
    ]
    if drawn:
        bundle["selected"] = selected
        bundle["result_digest"] = task.result_digest
    bundle.update(
        {
            "title": task.title,
            "grade_table": task.grade_table,
            "window": [task.window_start.isoformat(), task.window_end.isoformat()],
            "committed_at": task.committed_at.isoformat() if task.committed_at else None,
            "drawn_at": task.drawn_at.isoformat() if task.drawn_at else None,
            "observer": task.observer or None,
        }
    )
    return bundle


def draw_selection_rows(task: DrawTask) -> list[dict]:
    """Selected enterprises in canonical order with each department's team in ranked order."""
    rows: dict[int, dict] = {}
    for sel_id, code, stratum in DrawSelection.objects.filter(task=task).values_list(
        "pk", "enterprise__credit_code", "stratum"
    ):
        rows[sel_id] = {"code": code, "stratum": stratum, "teams": {}}
    for sel_id, participant_id, badge in (
        DrawTeamMember.objects.filter(selection__task=task)
        .order_by("selection_id", "participant_id", "rank")
        .values_list("selection_id", "participant_id", "inspector__badge_no")
    ):
        rows[sel_id]["teams"].setdefault(participant_id, []).append(badge)
    return sorted(rows.values(), key=lambda r: r["code"].encode())

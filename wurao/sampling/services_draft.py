"""Drafting a draw task: what a task may ask for (size, weights, window, departments and their
items, team sizes) and the draft itself. Committing, drawing and closing are in services.py,
the departments' results in services_results.py.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wurao.accounts.policy import require
from wurao.audit.services import audit_record
from wurao.credit import selectors as credit_selectors
from wurao.sampling.choices import DEFAULT_WEIGHTS, GRADE_STRATA, SizeMode
from wurao.sampling.models import DrawParticipant, DrawTask

# The law asks for at least two officers on site (《行政处罚法》第四十二条; 《行政检查》 rules alike).
LAWFUL_TEAM_SIZE = 2


def invalid_field(field: str, message: str) -> ValidationError:
    """A refusal naming the field it is about (the pages show it next to that field)."""
    return ValidationError({field: message})


@dataclass(frozen=True)
class ParticipantSpec:
    department: object
    items: list
    team_size: int = LAWFUL_TEAM_SIZE
    team_size_reason: str = ""


def draw_weights_complete(weights: dict[str, str] | None) -> dict[str, str]:
    # Unless the task says otherwise, each grade's weight is the one the points table in force sets.
    defaults = {**DEFAULT_WEIGHTS, **credit_selectors.sampling_weights()}
    return {**defaults, **{k: str(v) for k, v in (weights or {}).items()}}


def draw_size_validate(*, size_mode: str, size_value: Decimal) -> None:
    if size_mode not in SizeMode.values:
        raise invalid_field("size_mode", _("请选择按总数或按比例抽取"))
    if size_mode == SizeMode.RATIO and not (Decimal(0) < Decimal(size_value) <= Decimal(1)):
        raise invalid_field("size_value", _("抽取比例须大于 0 且不超过 1（如 0.05 表示 5%）"))
    if size_mode == SizeMode.TOTAL and (Decimal(size_value) < 1 or Decimal(size_value) % 1):
        raise invalid_field("size_value", _("抽取总数须为正整数"))


def draw_weights_validate(*, weights: dict[str, str]) -> None:
    for label, weight in weights.items():
        if label not in GRADE_STRATA:
            raise invalid_field(
                "weights",
                _("未知的等级“%(grade)s”，只能是 %(grades)s")
                % {"grade": label, "grades": "、".join(GRADE_STRATA)},
            )
        try:
            if Decimal(str(weight)) < 0:
                raise ValueError
        except (ArithmeticError, ValueError):
            raise invalid_field(
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
            raise invalid_field(
                field,
                _("%(label)s %(day)s 不合理：须在 %(low)s 年至 %(high)s 年之间")
                % {"label": label, "day": day.isoformat(), "low": low, "high": high},
            )
    if window_end < window_start:
        raise invalid_field("window_end", _("计划检查结束日期不能早于开始日期"))
    days = (window_end - window_start).days + 1
    if days > WINDOW_MAX_DAYS:
        raise invalid_field(
            "window_end",
            _("计划检查期最长 %(max)s 天（一年），现为 %(days)s 天：请缩短，或分为几个任务")
            % {"max": WINDOW_MAX_DAYS, "days": days},
        )


def _validate_draft(
    *, title, size_mode, size_value, weights, window_start, window_end, participants
) -> None:
    if not title.strip():
        raise invalid_field("title", _("请填写任务名称"))
    draw_size_validate(size_mode=size_mode, size_value=size_value)
    draw_weights_validate(weights=weights)
    draw_window_validate(window_start=window_start, window_end=window_end)
    if not participants:
        raise invalid_field("participants", _("至少需要一个参与部门"))
    seen = set()
    for p in participants:
        if p.department.pk in seen:
            raise invalid_field(
                "participants", _("部门“%(department)s”重复") % {"department": p.department.name}
            )
        seen.add(p.department.pk)
        if not p.department.is_enforcement:
            raise invalid_field(
                "participants",
                _("“%(department)s”不是执法主体，不能参与抽查") % {"department": p.department.name},
            )
        if not p.items:
            raise invalid_field(
                "items", _("请为“%(department)s”选择检查事项") % {"department": p.department.name}
            )
        foreign = [i.code for i in p.items if i.department_id != p.department.pk or not i.active]
        if foreign:
            raise invalid_field(
                "items",
                _("检查事项 %(items)s 不在“%(department)s”公布的有效清单内（清单之外无事项）")
                % {"items": "、".join(foreign), "department": p.department.name},
            )
        if p.team_size < 1:
            raise invalid_field("team_size", _("每组至少 1 名执法人员"))
        if p.team_size < LAWFUL_TEAM_SIZE and not p.team_size_reason.strip():
            raise invalid_field(
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
    """A draft task; a joint task lists several departments, the lead one first. The lead
    department is the actor's own (sampling.create)."""
    require(actor, "sampling.create", lead_department)
    weights = draw_weights_complete(weights)
    _validate_draft(
        title=title, size_mode=size_mode, size_value=size_value, weights=weights,
        window_start=window_start, window_end=window_end, participants=participants,
    )  # fmt: skip
    if lead_department.pk not in {p.department.pk for p in participants}:
        raise invalid_field("lead_department", _("牵头部门必须是参与部门之一"))
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

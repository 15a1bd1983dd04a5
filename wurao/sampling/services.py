"""The lifecycle of a draw task: draft → committed → drawn → in progress → closed.

Each step is one atomic, audited function. The numbers come from the pure engine
(engine.py, allocation.py, teams.py), which implements docs/random-draw-v1.md.
Here: the quotas a scope gives, committing, drawing, closing and the published bundle; the
draft is made in services_draft.py, the departments' results recorded in services_results.py.
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

from wurao.accounts.policy import require
from wurao.accounts.scope import Scope
from wurao.audit.services import audit_record
from wurao.credit import selectors as credit_selectors
from wurao.enforcement import selectors as enforcement_selectors
from wurao.registry import selectors as registry_selectors
from wurao.sampling import engine, services_draft
from wurao.sampling.allocation import StratumSpec, allocate
from wurao.sampling.choices import GRADE_STRATA, SizeMode, TaskStatus
from wurao.sampling.models import (
    ConflictOfInterest,
    DrawParticipant,
    DrawResult,
    DrawSelection,
    DrawTask,
    DrawTeamMember,
)
from wurao.sampling.selectors import draw_scope_enterprises, grade_table_label
from wurao.sampling.services_draft import (
    draw_size_validate,
    draw_weights_complete,
    draw_weights_validate,
    invalid_field,
)
from wurao.sampling.teams import assign_teams

_ALL = Scope(sees_all=True)

# The draft's entry points too: bench/draw.py times a whole task, draft to draw, through here.
ParticipantSpec = services_draft.ParticipantSpec
draw_task_create = services_draft.draw_task_create


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
    weights = draw_weights_complete(weights)
    draw_size_validate(size_mode=size_mode, size_value=size_value)
    draw_weights_validate(weights=weights)
    candidates, _ = _candidates_for(scope)
    return _preview(candidates, size_mode=size_mode, size_value=size_value, weights=weights)


def _preview(
    candidates: engine.Candidates, *, size_mode: str, size_value: Decimal, weights: dict
) -> QuotaPreview:
    sizes = {label: candidates.sizes.get(label, 0) for label in GRADE_STRATA}
    if not len(candidates):
        raise invalid_field("scope", _("抽查范围内没有企业，请放宽范围"))
    total = _task_total(size_mode, size_value, len(candidates))
    if total < 1:
        raise invalid_field(
            "size_value",
            _("按此比例从 %(count)s 家企业中抽取不到 1 家，请提高比例或改为按总数抽取")
            % {"count": len(candidates)},
        )
    specs = [StratumSpec(label, sizes[label], weights.get(label, "1")) for label in GRADE_STRATA]
    try:
        quotas = allocate(specs, total)
    except engine.DrawError as error:
        raise invalid_field("size_value", error.message_zh) from None
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
    require(actor, "sampling.run", task)
    task = _locked(task, TaskStatus.DRAFT)
    candidates, _ = _candidates_for(task.scope)
    preview = _preview(
        candidates, size_mode=task.size_mode, size_value=task.size_value, weights=task.weights
    )
    codes = set(candidates.code_list())
    for participant in task.participants.all():
        roster = _roster_for(participant, task.window_end)
        if not roster:
            raise invalid_field(
                "participants",
                gettext("“%(department)s”没有执法证有效期至计划期结束（%(end)s）的在岗执法人员")
                % {"department": participant.department.name, "end": task.window_end.isoformat()},
            )
        if len(roster) < participant.team_size:
            raise invalid_field(
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
    require(actor, "sampling.run", task)
    external_entropy = external_entropy.strip()
    if not external_entropy:
        raise invalid_field(
            "external_entropy", _("请由监督见证人输入外部随机数（如现场掷骰结果或当日公开数据）")
        )
    if not observer.strip():
        raise invalid_field("observer", _("请填写监督见证人姓名"))
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


@transaction.atomic
def draw_task_close(*, actor, task: DrawTask) -> DrawTask:
    """Close once every department has a result for every drawn enterprise; results are then public."""
    require(actor, "sampling.run", task)
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

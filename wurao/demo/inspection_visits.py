"""The visits on which the history's inspections were carried out. Pure NumPy, no Django.

Every inspection of the history took place on an on-site visit (入企登记): one visit per
inspection, except a joint random visit, where the departments sharing a joint reference
met at the enterprise on one day and so share one visit. Penalties and coercive measures
are decided later, at the department, and have no visit. The visits carry what the
registry keeps: the head of department's approval (行政检查审批) a few days before, the
check-in and check-out on the day, and for a small share the enterprise's rating.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wurao.demo.history import ORIGIN_CODES, Actions

# The history's origins as visit origins ("other" was planned work).
VISIT_ORIGINS = {
    "random_draw": "random_draw",
    "plan": "plan",
    "complaint": "complaint",
    "referral": "referral",
    "higher_order": "higher_order",
    "campaign": "campaign",
    "other": "plan",
}
RATING_TAGS = ("attitude", "conduct", "efficiency", "disruption")
# Demo assumptions: 3% of visits are rated (the enterprise need not rate), departments
# differ in how they are rated, most ratings are good and few carry a comment.
RATING_SHARE = 0.03
COMMENT_SHARE = 0.3
COMMENTS = {
    1: ("检查人员未出示执法证，态度生硬", "同一事项一个月内来了两次，影响生产"),
    2: ("检查时间过长，占用生产时间", "检查要求前后不一致"),
    3: ("总体规范，但事先没有告知检查事项", "检查时间偏长"),
    4: ("出示了执法证和入企码，流程规范", "指出的问题很具体"),
    5: ("检查规范高效，整改指导很有帮助", "提前告知检查事项，没有影响生产"),
}


@dataclass
class InspectionVisits:
    """Visits as rows; `action_visit` maps each action of the history to its visit."""

    action_visit: np.ndarray  # per action: index of its visit, -1 for penalties and coercive
    first_action: np.ndarray  # per visit: its lead department's action (the first in order)
    origin: list[str]  # per visit: a VisitOrigin value
    joint_ref: list[str]  # per visit: the joint reference, "" when one department came
    departments: np.ndarray  # (k, 2): visit, organisation
    items: np.ndarray  # (k, 2): visit, index into District.items
    officers: np.ndarray  # (k, 2): visit, index into District.inspectors
    approval_no: np.ndarray  # per visit: its number among its lead department's approvals
    approval_lag: np.ndarray  # per visit: days from the approval to the visit (1–5)
    check_in: np.ndarray  # per visit: minutes after midnight, local time
    check_out: np.ndarray
    scanned: np.ndarray  # per visit: checked in by scanning the enterprise's code
    rated: np.ndarray  # visits rated by the enterprise
    score: np.ndarray  # per rated visit: 1–5
    tags: list[list[str]]
    comment: list[str]
    rating_lag: np.ndarray  # per rated visit: days after the visit

    def __len__(self) -> int:
        return len(self.first_action)

    def counts(self) -> dict[str, int]:
        joint = sum(1 for ref in self.joint_ref if ref)
        return {
            "inspection_visits": len(self),
            "joint_inspection_visits": joint,
            "rated_visits": len(self.rated),
        }


def _pairs(action_visit: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """(action, x, rank) rows as distinct (visit, x) pairs, for the actions that have a visit."""
    visit = action_visit[rows[:, 0]]
    keep = visit >= 0
    key = visit[keep].astype(np.int64) * 1_000_000 + rows[keep, 1]
    key = np.unique(key)
    return np.stack([key // 1_000_000, key % 1_000_000], axis=1)


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """Each row's 0-based position among the rows of its group, in row order."""
    order = np.lexsort((np.arange(len(groups)), groups))
    sorted_groups = groups[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_groups)) + 1]
    sizes = np.diff(np.r_[starts, len(groups)])
    rank = np.empty(len(groups), dtype=np.int64)
    rank[order] = np.arange(len(groups)) - np.repeat(starts, sizes)
    return rank


def inspection_visits_generate(
    rng: np.random.Generator, actions: Actions, n_organisations: int
) -> InspectionVisits:
    a = actions
    inspections = np.flatnonzero(a.kind == 0)
    refs = np.array(a.joint_ref, dtype=object)[inspections].astype(str)
    # A joint visit is labelled by its first action, any other visit by its own action:
    # the labels, sorted, put the visits in the actions' order (by date).
    label = inspections.copy()
    joint = refs != ""
    if joint.any():
        names, inverse = np.unique(refs[joint], return_inverse=True)
        first = np.full(len(names), np.iinfo(np.int64).max)
        np.minimum.at(first, inverse, inspections[joint])
        label[joint] = first[inverse]
    first_action, visit_of = np.unique(label, return_inverse=True)
    action_visit = np.full(len(a), -1, dtype=np.int64)
    action_visit[inspections] = visit_of
    n = len(first_action)

    joint_ref = np.array(a.joint_ref, dtype=object)[first_action].tolist()
    origin_codes = np.array([VISIT_ORIGINS[c] for c in ORIGIN_CODES])
    origin = np.where(
        np.array(joint_ref, dtype=object) != "", "joint", origin_codes[a.origin[first_action]]
    ).tolist()

    departments = np.unique(visit_of.astype(np.int64) * 1_000_000 + a.department[inspections])
    departments = np.stack([departments // 1_000_000, departments % 1_000_000], axis=1)

    lead = a.department[first_action].astype(np.int64)
    year = a.date[first_action].astype("datetime64[Y]").astype(np.int64)
    approval_no = _rank_within(lead * 10_000 + year) + 1

    check_in = rng.integers(8 * 60 + 30, 15 * 60 + 1, size=n)
    check_out = check_in + rng.integers(30, 181, size=n)

    # A fixed share, so that every seed gives the same counts.
    rated = np.sort(rng.choice(n, size=round(n * RATING_SHARE), replace=False))
    mood = rng.uniform(3.4, 4.7, size=n_organisations)  # how each department is rated
    score = np.clip(np.rint(mood[lead[rated]] + rng.normal(0, 0.9, size=len(rated))), 1, 5)
    score = score.astype(np.int64)
    n_tags = rng.choice([0, 1, 2], size=len(rated), p=[0.3, 0.5, 0.2])
    tag_order = np.argsort(rng.random((len(rated), len(RATING_TAGS))), axis=1)
    tags = [sorted(RATING_TAGS[j] for j in tag_order[i, :k]) for i, k in enumerate(n_tags.tolist())]
    with_comment = rng.random(len(rated)) < COMMENT_SHARE
    pick = rng.integers(0, 2, size=len(rated))
    comment = [
        COMMENTS[s][p] if c else ""
        for s, p, c in zip(score.tolist(), pick.tolist(), with_comment.tolist(), strict=True)
    ]

    return InspectionVisits(
        action_visit=action_visit,
        first_action=first_action,
        origin=origin,
        joint_ref=joint_ref,
        departments=departments,
        items=_pairs(action_visit, a.items),
        officers=_pairs(action_visit, a.officers),
        approval_no=approval_no,
        approval_lag=rng.integers(1, 6, size=n),
        check_in=check_in,
        check_out=check_out,
        scanned=rng.random(n) < 0.8,
        rated=rated,
        score=score,
        tags=tags,
        comment=comment,
        rating_lag=rng.integers(1, 11, size=len(rated)),
    )

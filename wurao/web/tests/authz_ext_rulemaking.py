"""The authorisation matrix's records and routes of the rulemaking app (see authz_extensions.py).

Each scope k has: a conflict in the register coordinated by its department (public), a report
its enterprise filed and nobody triaged (its enterprise's and the bureau's), a consultation of
its department open for comments with a comment of its enterprise (public), a draft (its
department's), and its enterprise as a contact point with one feedback (its enterprise's, its
street's and the bureau's)."""

from __future__ import annotations

import datetime

from wurao.rulemaking.services_conflicts import (
    RequirementInput,
    conflict_report,
    conflict_triage,
)
from wurao.rulemaking.services_consultations import (
    comment_submit,
    consultation_save,
    consultation_transition,
)
from wurao.rulemaking.services_contacts import contact_point_designate, feedback_log
from wurao.web.tests.authz_targets import Target, _each_scope
from wurao.web.tests.authz_world import SCOPES, TODAY, mark

VISIBLE: dict = {
    # a report not yet triaged: its reporter (the enterprise) and the bureau
    "conflict_report": dict(department="none", street="none", enterprise="own"),
    # a consultation not yet published: its department
    "consultation_draft": dict(department="own", street="none", enterprise="none"),
    "contact_point": dict(department="none", street="own", enterprise="own"),
}


def _x(s, name):
    # the extras of every extension share one dict per scope: ours are prefixed
    return s.extra[f"rm_{name}"]


conflict = _each_scope("public", lambda w, s: ({"pk": _x(s, "conflict").pk}, _x(s, "conflict")))
report = _each_scope("conflict_report", lambda w, s: ({"pk": _x(s, "report").pk}, _x(s, "report")))


consultation = _each_scope(
    "public", lambda w, s: ({"pk": _x(s, "consultation").pk}, _x(s, "consultation"))
)
draft = _each_scope("consultation_draft", lambda w, s: ({"pk": _x(s, "draft").pk}, _x(s, "draft")))


def consultation_any(world) -> list[Target]:
    return [*consultation(world), *draft(world)]


contact_point = _each_scope(
    "contact_point", lambda w, s: ({"pk": _x(s, "contact_point").pk}, _x(s, "contact_point"))
)

# The public pages and their API name only public records here: an untriaged report or a draft
# asked for by a visitor is a 404 (rulemaking/tests), which the matrix would count as an
# anonymous "hidden", an outcome test_the_matrix_meets_every_outcome_for_every_scoped_identity
# does not expect of the visitor.
TARGETS: dict = {
    "rulemaking:conflict-detail": conflict,
    "rulemaking:conflict-triage": report,
    "rulemaking:conflict-progress": conflict,
    "rulemaking:conflict-statement": conflict,
    "api-conflict-detail": conflict,
    "rulemaking:consultation-detail": consultation,
    "rulemaking:consultation-edit": draft,
    "rulemaking:consultation-transition": consultation_any,
    "rulemaking:comment-new": consultation,
    "rulemaking:comment-answer": _each_scope(
        "public",
        lambda w, s: (
            {"pk": _x(s, "consultation").pk, "comment_pk": _x(s, "comment").pk},
            _x(s, "consultation"),
        ),
    ),
    "rulemaking:meeting-new": consultation,
    "api-consultation-detail": consultation,
    "rulemaking:contact-point-detail": contact_point,
    "rulemaking:feedback-new": contact_point,
    "rulemaking:feedback-follow-up": _each_scope(
        "contact_point",
        lambda w, s: (
            {"pk": _x(s, "contact_point").pk, "feedback_pk": _x(s, "feedback").pk},
            _x(s, "contact_point"),
        ),
    ),
}


def _requirements(s, k) -> list[RequirementInput]:
    return [
        RequirementInput(text=f"{mark(k, 'requirement')}甲级", source="GB 1-2020 第1条"),
        RequirementInput(text="乙级", source="GB 2-2020 第2条", department=s.department),
    ]


BODIES: dict = {
    "rulemaking:conflict-new": lambda w, i, t: {
        "topic": "矩阵冲突",
        "situation": "矩阵情形",
        "source_1": "某规范第1条",
        "text_1": "甲",
        "source_2": "某规范第2条",
        "text_2": "乙",
    },
    "rulemaking:conflict-triage": lambda w, i, t: {
        "decision": "accept",
        "coordinating_department": w[1].department.pk,
    },
    "rulemaking:conflict-progress": lambda w, i, t: {"status": "coordinating", "note": "协调会"},
    "rulemaking:conflict-statement": lambda w, i, t: {"text": "部门意见"},
    "rulemaking:comment-new": lambda w, i, t: {"commenter_kind": "enterprise", "text": "矩阵意见"},
    "rulemaking:comment-answer": lambda w, i, t: {
        f"c{t.kwargs['comment_pk']}-kind": "adopted",
        f"c{t.kwargs['comment_pk']}-answer": "采纳",
    },
    "rulemaking:meeting-new": lambda w, i, t: {
        "kind": "meeting",
        "held_on": TODAY.isoformat(),
        "place": "会议室",
    },
    "rulemaking:feedback-new": lambda w, i, t: {
        "received_on": TODAY.isoformat(),
        "channel": "phone",
        "topic": "矩阵反映",
        "text": "内容",
    },
    "rulemaking:feedback-follow-up": lambda w, i, t: {
        f"f{t.kwargs['feedback_pk']}-follow_up_by": "司法局",
        f"f{t.kwargs['feedback_pk']}-follow_up": "已办",
    },
}


def build(world) -> None:
    bureau = world.users["bureau"]
    for k in SCOPES:
        s = world[k]
        admin, enterprise_user = world.users[f"dept_admin_{k}"], world.users[f"enterprise_{k}"]
        accepted = conflict_report(
            actor=enterprise_user,
            topic=f"{mark(k, 'conflict')}",
            situation="矩阵",
            requirements=_requirements(s, k),
        )
        s.extra["rm_conflict"] = conflict_triage(
            actor=bureau, conflict=accepted, accept=True, coordinating_department=s.department
        )
        s.extra["rm_report"] = conflict_report(
            actor=enterprise_user,
            topic=mark(k, "conflict-report"),
            situation="矩阵",
            requirements=_requirements(s, k),
        )
        dates = dict(
            starts_on=TODAY - datetime.timedelta(days=5),
            ends_on=TODAY + datetime.timedelta(days=25),
        )
        published = consultation_save(
            actor=admin, department=s.department, title=mark(k, "consultation"), text="稿", **dates
        )
        s.extra["rm_consultation"] = consultation_transition(
            actor=admin, consultation=published, action="publish"
        )
        s.extra["rm_comment"] = comment_submit(
            actor=enterprise_user, consultation=s.extra["rm_consultation"], text="意见", today=TODAY
        )
        s.extra["rm_draft"] = consultation_save(
            actor=admin, department=s.department, title=mark(k, "draft"), text="稿", **dates
        )
        point = contact_point_designate(
            actor=bureau,
            enterprise=s.enterprise,
            term_from=TODAY - datetime.timedelta(days=30),
            term_to=TODAY + datetime.timedelta(days=700),
        )
        s.extra["rm_contact_point"] = point
        s.extra["rm_feedback"] = feedback_log(
            actor=bureau,
            contact_point=point,
            received_on=TODAY,
            channel="visit",
            topic=mark(k, "feedback"),
            text="矩阵反映",
        )


def shown(world, k: int) -> dict:
    return {
        mark(k, "conflict-report"): Target({}, "conflict_report", k),
        mark(k, "draft"): Target({}, "consultation_draft", k),
        mark(k, "feedback"): Target({}, "contact_point", k),
    }

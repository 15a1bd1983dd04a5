"""The authorisation matrix's records and routes of the selfcheck app (see authz_extensions.py).

Each scope k's enterprise has a self-inspection completed (of its department's item only, with
a photo of a problem) and one in progress; its street runs a campaign in one of its parks,
inviting an enterprise of that park. A completed one is its enterprise's, its department's
(the entries of its items), its street's (completion only) and the bureau's; one in progress
is not yet the department's."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from wurao.registry.tests.factories import EnterpriseFactory
from wurao.selfcheck import services
from wurao.selfcheck.choices import EntryResult
from wurao.web.tests.authz_targets import Target, _each_scope
from wurao.web.tests.authz_world import SCOPES, TODAY, mark

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60

VISIBLE: dict = {
    # completed: the enterprise, the department of its items, its street, the bureau
    "selfcheck": dict(department="own", street="own", enterprise="own"),
    # an entry's answers: the enterprise and the department of its item (not the street)
    "selfcheck_answer": dict(department="own", street="none", enterprise="own"),
    # in progress: the enterprise and its street; no department yet
    "selfcheck_running": dict(department="none", street="own", enterprise="own"),
    "selfcheck_running_answer": dict(department="none", street="none", enterprise="own"),
    "selfcheck_campaign": dict(department="none", street="own", enterprise="none"),
}


def _x(s, name):
    return s.extra[name]


completed = _each_scope("selfcheck", lambda w, s: ({"pk": _x(s, "sc_done").pk}, _x(s, "sc_done")))
running = _each_scope(
    "selfcheck_running", lambda w, s: ({"pk": _x(s, "sc_running").pk}, _x(s, "sc_running"))
)


def inspection_any(world) -> list[Target]:
    return [*completed(world), *running(world)]


done_entry = _each_scope(
    "selfcheck_answer",
    lambda w, s: (
        {"pk": _x(s, "sc_done").pk, "entry": _x(s, "sc_done_entry").pk},
        _x(s, "sc_done"),
    ),
)
running_entry = _each_scope(
    "selfcheck_running_answer",
    lambda w, s: (
        {"pk": _x(s, "sc_running").pk, "entry": _x(s, "sc_running_entry").pk},
        _x(s, "sc_running"),
    ),
)


def entry_any(world) -> list[Target]:
    return [*done_entry(world), *running_entry(world)]


TARGETS: dict = {
    "selfcheck:inspection-detail": inspection_any,
    "selfcheck:inspection-complete": running,
    "selfcheck:entry-detail": entry_any,
    "selfcheck:entry-record": running_entry,
    "selfcheck:photo": _each_scope(
        "selfcheck_answer", lambda w, s: ({"pk": _x(s, "sc_photo").pk}, _x(s, "sc_done"))
    ),
    "selfcheck:campaign-detail": _each_scope(
        "selfcheck_campaign", lambda w, s: ({"pk": _x(s, "sc_campaign").pk}, _x(s, "sc_campaign"))
    ),
    "api-selfcheck-detail": inspection_any,
    "api-selfcheck-entry-record": running_entry,
}


def _own(world, identity):
    k = int(identity.rsplit("_", 1)[1]) if identity[-1].isdigit() else 1
    return world[k]


BODIES: dict = {
    "selfcheck:entry-record": lambda w, i, t: {"result": EntryResult.COMPLIANT},
    "api-selfcheck-entry-record": lambda w, i, t: {"result": EntryResult.COMPLIANT},
    "selfcheck:campaign-new": lambda w, i, t: {
        "park": _own(w, i).parks[1].pk,
        "title": "矩阵园区自查",
        "starts_on": TODAY.isoformat(),
        "ends_on": TODAY.isoformat(),
    },
}


def build(world) -> None:
    for k in SCOPES:
        s = world[k]
        user = world.users[f"enterprise_{k}"]
        done = services.inspection_start(
            actor=user, enterprise=s.enterprise, department_ids=[s.department.pk], on=TODAY
        )
        entry = done.entries.get()
        services.entry_record(
            actor=user,
            entry=entry,
            result=EntryResult.PROBLEM,
            note=mark(k, "selfcheck-problem"),
            photos=[SimpleUploadedFile("a.jpg", JPEG)],
        )
        s.extra["sc_done"] = services.inspection_complete(actor=user, inspection=done, on=TODAY)
        s.extra["sc_done_entry"] = entry
        s.extra["sc_photo"] = entry.photos.get()
        running = services.inspection_start(
            actor=user, enterprise=s.enterprise, department_ids=[s.department.pk], on=TODAY
        )
        s.extra["sc_running"] = running
        s.extra["sc_running_entry"] = running.entries.get()
        # A park of the street with an enterprise in it, and the street's campaign there.
        EnterpriseFactory(street=s.street, park=s.parks[1], name=mark(k, "selfcheck-park"))
        s.extra["sc_campaign"] = services.campaign_start(
            actor=world.users[f"street_{k}"],
            park=s.parks[1],
            title=mark(k, "selfcheck-campaign"),
            starts_on=TODAY,
            ends_on=TODAY,
        )


def shown(world, k: int) -> dict:
    return {
        mark(k, "selfcheck-problem"): Target({}, "selfcheck_answer", k),
        mark(k, "selfcheck-campaign"): Target({}, "selfcheck_campaign", k),
    }

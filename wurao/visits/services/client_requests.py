"""Idempotent writes: every write from the inspectors' client carries a `client_id` it
generated, and a retry over a bad network gets the first answer back and never writes twice.

One mechanism for every such write, keyed by (user, client_id): the first answer is kept with
the fingerprint of the body that asked for it (`request_digest`), as a ClientRequest in the
write's own transaction (`client_request_once`); a retry with the same action and body gets
it back, the same id on another action or body is a 409 (`Replay`).
A created visit is its own record (Visit.client_id is unique, Visit.client_digest its body's
fingerprint): keeping its answer as well would cost the registration, the hottest write, a
round trip (decision 0002), so a retry of a registration gets the visit back from
visit_register, which renders it again, after the same comparison (`client_request_same_body`).
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from wurao.visits.models import ClientRequest, Visit

CONFLICT = 409
ACTION_LABELS = {
    "register": "登记入企",
    "officers": "指派执法人员",
    "check_in": "签到",
    "check_out": "签退",
    "results": "录入检查结果",
    "cancel": "撤销登记",
}


@dataclass(frozen=True)
class ClientCall:
    """One write as the client sent it: who, under which id, what (`register`,
    `check_in:<code>`...) and the digest of its body (`request_digest`)."""

    user: object
    client_id: UUID
    action: str
    digest: str = ""


@dataclass(frozen=True)
class Answer:
    """What a write answered (an HTTP status and its JSON body), kept for retries."""

    status: int
    body: dict


class Replay(Exception):
    """This (user, client_id) has been answered before: `answer` is what to answer now."""

    def __init__(self, answer: Answer):
        super().__init__(answer.body.get("detail", ""))
        self.answer = answer


def request_digest(body: dict) -> str:
    """The request body without its client_id, as a SHA-256 of canonical JSON."""
    body = {k: v for k, v in body.items() if k != "client_id"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def client_id_reused(action: str) -> Answer:
    """The 409 for an id already used for another action."""
    verb, _, code = action.partition(":")
    done = ACTION_LABELS.get(verb, verb) + (f"（入企码 {code}）" if code else "")
    return Answer(
        CONFLICT, {"detail": f"该 client_id 已用于{done}；每项新的操作请生成新的 client_id"}
    )


def client_id_changed_body(action: str) -> Answer:
    """The 409 for an id sent again with another body: a retry must repeat the first body."""
    verb, _, code = action.partition(":")
    done = ACTION_LABELS.get(verb, verb) + (f"（入企码 {code}）" if code else "")
    return Answer(
        CONFLICT,
        {
            "detail": f"该 client_id 已用于内容不同的{done}：重试须发送与第一次完全相同的内容；"
            "内容有改动即是新的操作，请生成新的 client_id"
        },
    )


def client_request_same_body(call: ClientCall, first_digest: str) -> None:
    """Raises Replay (409) when a retry's body is not the first attempt's. The same id on
    another body is a client's mistake, and answering the first attempt would silently lose
    that write. (Answers kept before fingerprints were, have none: they are replayed.)"""
    if first_digest and first_digest != call.digest:
        raise Replay(client_id_changed_body(call.action))


def _replayed(call: ClientCall, done: str, status: int, body: dict, first_digest: str) -> Answer:
    """The first answer again, for a retry: the same action with the same body."""
    if done != call.action:
        return client_id_reused(done)
    client_request_same_body(call, first_digest)
    return Answer(status, body)


def client_request_check(call: ClientCall, *, registered: bool = True) -> None:
    """Raises Replay when this (user, client_id) has an answer already, or (unless the
    caller has looked: `registered=False`) a visit was registered under the id."""
    row = (
        ClientRequest.objects.filter(user=call.user, client_id=call.client_id)
        .values_list("action", "status_code", "response", "request_digest")
        .first()
    )
    if row is not None:
        raise Replay(_replayed(call, *row))
    if registered and Visit.objects.filter(client_id=call.client_id).exists():
        raise Replay(client_id_reused("register"))


def client_request_keep(call: ClientCall, answer: Answer) -> None:
    """Keep the answer for retries, inside the write's transaction. A concurrent retry (that
    waited on the same lock) may have kept the same answer first: then it stands."""
    ClientRequest.objects.bulk_create(
        [
            ClientRequest(
                user=call.user,
                client_id=call.client_id,
                action=call.action,
                status_code=answer.status,
                response=answer.body,
                request_digest=call.digest,
            )
        ],
        ignore_conflicts=True,
    )


def client_request_once(*, call: ClientCall, write: Callable[[], Answer]) -> Answer:
    """Do `write` (a service call and the rendering of its answer) once per (user,
    client_id) and keep its answer in the same transaction; a retry gets that answer back
    (Replay). A failed write keeps nothing: it wrote nothing either."""
    client_request_check(call)
    try:
        with transaction.atomic():
            answer = write()
            ClientRequest.objects.create(
                user=call.user,
                client_id=call.client_id,
                action=call.action,
                status_code=answer.status,
                response=answer.body,
                request_digest=call.digest,
            )
    except (ValidationError, IntegrityError):
        # A concurrent retry did it first (and this one found the visit already changed).
        client_request_check(call, registered=False)
        raise
    return answer

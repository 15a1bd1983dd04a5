"""Writes on the visit registry, by sub-domain: registering (registration), the idempotent
writes of the inspectors' client (client_requests), work on a registered visit (onsite),
decisions on it (decisions) and the visits the platform planned (planned). Each write is one
atomic function that also records an audit event.

`from wurao.visits import services` and `from wurao.visits.services import ...` keep working
for every caller: the public names are here."""

from wurao.visits.services.client_requests import (
    Answer,
    ClientCall,
    Replay,
    client_request_once,
    request_digest,
)
from wurao.visits.services.decisions import visit_override_decide, visit_rate, visit_rules_publish
from wurao.visits.services.onsite import (
    credit_code_read,
    visit_cancel,
    visit_check_in,
    visit_check_out,
    visit_join,
    visit_result_correct,
    visit_result_record,
    visit_staff,
)
from wurao.visits.services.planned import visit_record_planned, visit_register_joint
from wurao.visits.services.registration import (
    Registration,
    VisitRefused,
    items_named,
    officers_named,
    registration_errors,
    visit_check,
    visit_register,
)

__all__ = [
    "Answer",
    "ClientCall",
    "Registration",
    "Replay",
    "VisitRefused",
    "client_request_once",
    "credit_code_read",
    "items_named",
    "officers_named",
    "registration_errors",
    "request_digest",
    "visit_cancel",
    "visit_check",
    "visit_check_in",
    "visit_check_out",
    "visit_join",
    "visit_override_decide",
    "visit_rate",
    "visit_record_planned",
    "visit_register",
    "visit_register_joint",
    "visit_result_correct",
    "visit_result_record",
    "visit_rules_publish",
    "visit_staff",
]

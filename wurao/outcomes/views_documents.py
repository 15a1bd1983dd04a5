"""Documents (DOCX and PDF) of cases, notices and inspections, and the duty records (尽职记录)
of cases, visits and enforcement actions. Each scoped by its selector (out of scope: 404) and
its rule asked about the record (403 with the rule's reason); each document generated and each
duty record read is written to the audit log."""

import io

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from wurao.accounts.policy import policy, require
from wurao.accounts.scope import scope_for
from wurao.audit.services import audit_read, audit_record
from wurao.common.client_ip import client_ip
from wurao.enforcement.models import EnforcementAction
from wurao.outcomes import duty
from wurao.outcomes.documents import content, selectors
from wurao.outcomes.documents import render as rendering
from wurao.outcomes.models import Case, FindingNotice

FORMATS = ("docx", "pdf")


def _found(getter, request, pk: int):
    try:
        return getter(scope=scope_for(request.user), pk=pk)
    except (Case.DoesNotExist, FindingNotice.DoesNotExist, EnforcementAction.DoesNotExist):
        raise Http404 from None


def _audit_document(request, obj, document: dict, fmt: str) -> None:
    """A document generated is a read of the record worth keeping (等保 2.0), and a step of
    the record's duty record; an enterprise's own documents are not recorded (audit_read)."""
    user = request.user
    if user.enterprise_id and user.enterprise_id == getattr(obj, "enterprise_id", None):
        return
    audit_record(
        actor=user,
        verb=duty.DOCUMENT_VERB,
        obj=obj,
        payload={
            "document": f"{document['title']} {document['number']}（{fmt.upper()}）",
            "path": request.path,
            "ip": client_ip(request),
        },
    )


def _document_response(request, document: dict, *, obj, fmt: str) -> FileResponse:
    if fmt not in FORMATS:
        raise Http404
    if fmt == "docx":
        data = rendering.docx_render(document)
        kind = rendering.DOCX_TYPE
    else:
        html = render_to_string(
            f"outcomes/documents/print_{document['kind']}.html", {"doc": document}, request=request
        )
        data = rendering.pdf_render(html=html, base_url=request.build_absolute_uri("/"))
        kind = "application/pdf"
    _audit_document(request, obj, document, fmt)
    name = f"{document['title']}-{document['number']}.{fmt}".replace("/", "-")
    return FileResponse(
        io.BytesIO(data), as_attachment=fmt == "docx", filename=name, content_type=kind
    )


@policy("outcome_docs.decision")
@require_GET
def case_decision(request, pk: int, fmt: str):
    case = _found(selectors.case_for_documents, request, pk)
    require(request.user, "outcome_docs.decision", case)
    return _document_response(request, content.decision_content(case), obj=case, fmt=fmt)


@policy("outcome_docs.notice")
@require_GET
def notice_document(request, pk: int, fmt: str):
    notice = _found(selectors.notice_for_documents, request, pk)
    require(request.user, "outcome_docs.notice", notice.action)
    document = content.notice_content(notice, portal_url=request.build_absolute_uri("/portal/"))
    return _document_response(request, document, obj=notice, fmt=fmt)


@policy("outcome_docs.record")
@require_GET
def action_record(request, pk: int, fmt: str):
    action = _found(selectors.action_for_record, request, pk)
    require(request.user, "outcome_docs.record", action)
    return _document_response(request, content.record_content(action), obj=action, fmt=fmt)


# ---------------------------------------------------------------- duty records

_DUTY = {
    "case": (duty.duty_case_get, duty.duty_record_case, "outcome_docs:duty-case-pdf"),
    "visit": (duty.duty_visit_get, duty.duty_record_visit, "outcome_docs:duty-visit-pdf"),
    "action": (duty.duty_action_get, duty.duty_record_action, "outcome_docs:duty-action-pdf"),
}


def _duty(request, kind: str, pk: int, *, pdf: bool):
    getter, build, pdf_url = _DUTY[kind]
    user = request.user
    try:
        obj = getter(scope=scope_for(user), inspector_id=getattr(user, "inspector_id", None), pk=pk)
    except obj_missing(kind):
        raise Http404 from None
    require(user, "outcome_docs.duty", obj)
    record = build(obj)
    audit_read(request, duty.DUTY_READ_VERB, obj)
    context = {"record": record, "kind": kind, "obj": obj, "pdf_url": pdf_url}
    if not pdf:
        return render(request, "outcomes/documents/duty.html", context)
    html = render_to_string("outcomes/documents/duty_print.html", context, request=request)
    data = rendering.pdf_render(html=html, base_url=request.build_absolute_uri("/"))
    return FileResponse(
        io.BytesIO(data),
        filename=f"{record.title}-{kind}-{pk}.pdf",
        content_type="application/pdf",
    )


def obj_missing(kind: str):
    return {
        "case": Case.DoesNotExist,
        "visit": duty.Visit.DoesNotExist,
        "action": EnforcementAction.DoesNotExist,
    }[kind]


@policy("outcome_docs.duty")
@require_GET
def duty_case(request, pk: int):
    return _duty(request, "case", pk, pdf=False)


@policy("outcome_docs.duty")
@require_GET
def duty_case_pdf(request, pk: int):
    return _duty(request, "case", pk, pdf=True)


@policy("outcome_docs.duty")
@require_GET
def duty_visit(request, pk: int):
    return _duty(request, "visit", pk, pdf=False)


@policy("outcome_docs.duty")
@require_GET
def duty_visit_pdf(request, pk: int):
    return _duty(request, "visit", pk, pdf=True)


@policy("outcome_docs.duty")
@require_GET
def duty_action(request, pk: int):
    return _duty(request, "action", pk, pdf=False)


@policy("outcome_docs.duty")
@require_GET
def duty_action_pdf(request, pk: int):
    return _duty(request, "action", pk, pdf=True)

"""The visit code check (扫码入企), open to anyone without signing in.

An enterprise (or anyone) enters or scans the code an officer shows and sees who registered
the visit, for what, on whose approval, and whether the code is good today. A code that is
unknown, expired, cancelled or not approved says so plainly: the enterprise may refuse the
visit. An unknown code gets the same page whatever was typed, so the page helps no one guess.
"""

import io

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from wurao.accounts.policy import PUBLIC, policy
from wurao.common.ratelimit import rate_limited
from wurao.visits import selectors
from wurao.visits.choices import CodeState, VisitKind
from wurao.visits.models import visit_code_normalise

# What the banner looks like: green when the officers may come in, amber for not yet,
# grey for over, red whenever the enterprise may refuse.
STATE_TONES = {
    CodeState.VALID: "ok",
    CodeState.IN_PROGRESS: "ok",
    CodeState.NOT_YET: "wait",
    CodeState.COMPLETED: "done",
    CodeState.EXPIRED: "refuse",
    CodeState.CANCELLED: "refuse",
    CodeState.PENDING: "refuse",
    CodeState.INCOMPLETE: "refuse",
    CodeState.UNKNOWN: "refuse",
}


def state_sentence(check: selectors.CodeCheck) -> str:
    """What the person holding the phone should do, in one sentence."""
    visit = check.visit
    if check.state == CodeState.VALID:
        return _("本次入企已登记并经审批，今天有效。请核对执法人员的执法证后配合检查。")
    if check.state == CodeState.IN_PROGRESS:
        return _("入企码有效，检查正在进行中。请核对在场执法人员与下列人员一致。")
    if check.state == CodeState.NOT_YET:
        return _("该入企码登记的入企日期是 %(day)s，今天不是登记的日期，企业有权拒绝检查。") % {
            "day": visit.date.isoformat()
        }
    if check.state == CodeState.COMPLETED:
        return _("本次入企已经结束，该入企码不能再次使用；以此码再次入企的，企业有权拒绝检查。")
    if check.state == CodeState.EXPIRED:
        return _("该入企码已过期（登记的入企日期为 %(day)s），企业有权拒绝检查。") % {
            "day": visit.date.isoformat()
        }
    if check.state == CodeState.CANCELLED:
        return _("该入企码已撤销或未获批准，企业有权拒绝检查。")
    if check.state == CodeState.INCOMPLETE:
        return _("该入企登记尚未备齐执法人员或行政检查审批，今天还不能入企检查，企业有权拒绝检查。")
    if check.state == CodeState.PENDING:
        return _("该入企登记超出入企规则，尚未经第二审批人批准，企业有权拒绝检查。")
    return _("该入企码无效，企业有权拒绝检查。请核对输入的入企码是否正确。")


def officer_rows(visit) -> list[dict]:
    """Officers with their badge and whether the certificate covers the visit's day."""
    return [
        {
            "name": o.name,
            "badge_no": o.badge_no,
            "department": o.department.name,
            "valid_until": o.certificate_valid_until,
            "expired": bool(o.certificate_valid_until and o.certificate_valid_until < visit.date),
        }
        for o in visit.officers.all()
    ]


@policy(PUBLIC)
@rate_limited("code_check")
@require_GET
def code_form(request):
    """Enter a code (or paste what a scanner read): any spelling leads to the code's page."""
    raw = request.GET.get("code", "")
    error = ""
    if "code" in request.GET:
        code = visit_code_normalise(raw)
        if code:
            return redirect("visits_public:code-check", code=code)
        error = _("请输入入企码（8 位字母数字，如 ABCD-EFGH）或扫描执法人员出示的二维码")
    return render(request, "visits/public_form.html", {"raw": raw, "error": error})


@policy(PUBLIC)
@rate_limited("code_check")
@require_GET
@cache_control(private=True, no_cache=True)
def code_check(request, code: str):
    normalised = visit_code_normalise(code)
    if not normalised:
        return redirect("visits_public:code-form")
    if normalised != code:
        return redirect("visits_public:code-check", code=normalised)
    check = selectors.visit_code_check(raw=code)
    visit = check.visit
    context = {
        "code": code,
        "code_display": f"{code[:4]}-{code[4:]}" if len(code) == 8 else code,
        "check": check,
        "tone": STATE_TONES[check.state],
        "sentence": state_sentence(check),
        "visit": visit,
    }
    if visit is not None:
        context.update(
            is_inspection=visit.kind == VisitKind.INSPECTION,
            departments=list(visit.departments.all()),
            officers=officer_rows(visit),
            items=list(visit.items.all()),
        )
    # The same page for any unknown code; the status tells a client it was not found.
    status = 404 if visit is None else 200
    return render(request, "visits/public_check.html", context, status=status)


@policy(PUBLIC)
@rate_limited("public")
@require_GET
@cache_control(max_age=3600)
def code_qr(request, code: str):
    """The code's page address as a QR code, for printing on the notice the officer shows.
    Drawn for any well-formed code, known or not: it says nothing about the registry."""
    code = visit_code_normalise(code)
    if not code:
        raise Http404
    url = request.build_absolute_uri(reverse("visits_public:code-check", kwargs={"code": code}))
    buffer = io.BytesIO()
    segno.make_qr(url, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")

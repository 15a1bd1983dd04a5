"""The public side (no login needed): file a complaint or a whistleblowing report, then follow
it by receipt and secret. A frightened person on a phone: few fields, plain words, and the
receipt and secret shown once, large, with a reminder to write them down.

A verified case is remembered in the session (its id only), so the secret is typed once and
never travels in a form again."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from wurao.accounts.policy import PUBLIC, allows, policy
from wurao.common.ratelimit import rate_limited
from wurao.complaints import selectors, services, services_whistle
from wurao.complaints.forms import ComplaintForm, RateForm, TrackForm, WhistleForm
from wurao.complaints.models import Complaint, WhistleReport

TRACKED = "complaints.tracked"
TRACKED_WHISTLE = "complaints.tracked_whistle"


def _enterprise_of(user):
    return user.enterprise if allows(user, "complaints.mine") else None


@policy(PUBLIC)
@rate_limited("public")
@never_cache
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    enterprise = _enterprise_of(request.user)
    form = ComplaintForm(request.POST or None, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = services.complaint_file(
                category=data["category"],
                description=data["description"],
                visit=data["visit_code"],
                department=data["department"],
                officer=data["badge_no"],
                anonymous=data["anonymous"],
                name=data["name"],
                phone=data["phone"],
                contact=data["contact"],
                enterprise=enterprise,
                disclose_consent=data.get("disclose_consent", False),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session[TRACKED] = filed.pk
            # Shown once, on this response only: the secret is stored as a hash.
            return render(request, "complaints/filed.html", {"filed": filed, "kind": "complaint"})
    return render(request, "complaints/public_new.html", {"form": form, "enterprise": enterprise})


@policy(PUBLIC)
@rate_limited("public")
@never_cache
@require_http_methods(["GET", "POST"])
def complaint_track(request):
    """Receipt and secret → the case (remembered in the session); wrong ones say so, alike."""
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        complaint = selectors.complaint_track(
            receipt=form.cleaned_data["receipt"], secret=form.cleaned_data["secret"]
        )
        if complaint is not None:
            request.session[TRACKED] = complaint.pk
            return redirect("complaints:track-case")
        form.add_error(None, _("回执号或查询密码不正确，请核对后重试"))
    return render(request, "complaints/track.html", {"form": form, "kind": "complaint"})


def _tracked(request) -> Complaint | None:
    pk = request.session.get(TRACKED)
    return Complaint.objects.filter(pk=pk).first() if pk else None


@policy(PUBLIC)
@never_cache
def complaint_track_case(request):
    complaint = _tracked(request)
    if complaint is None:
        return redirect("complaints:track")
    return render(
        request,
        "complaints/track_case.html",
        {
            "complaint": complaint,
            "rate_form": RateForm(),
            "overdue": selectors.stage_overdue(complaint),
        },
    )


@policy(PUBLIC)
@rate_limited("public")
@require_POST
def complaint_track_rate(request):
    complaint = _tracked(request)
    if complaint is None:
        return redirect("complaints:track")
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_rate(
                complaint=complaint,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("complaints:track-case")
    return render(
        request,
        "complaints/track_case.html",
        {"complaint": complaint, "rate_form": form, "overdue": False},
        status=400,
    )


@policy(PUBLIC)
@require_POST
def track_forget(request):
    """Leave the case on a shared phone: the session forgets it."""
    request.session.pop(TRACKED, None)
    request.session.pop(TRACKED_WHISTLE, None)
    return redirect("complaints:track")


# ---------------------------------------------------------------- whistleblowing


@policy(PUBLIC)
@rate_limited("public")
@never_cache
@require_http_methods(["GET", "POST"])
def whistle_new(request):
    form = WhistleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        filed = services_whistle.whistle_file(
            enterprise=data["enterprise"],
            risk_kind=data["risk_kind"],
            risk=data["risk"],
            evidence=data["evidence"],
            name=data["name"],
            contact=data["contact"],
        )
        request.session[TRACKED_WHISTLE] = filed.pk
        return render(request, "complaints/filed.html", {"filed": filed, "kind": "whistle"})
    return render(request, "complaints/whistle_new.html", {"form": form})


@policy(PUBLIC)
@rate_limited("public")
@never_cache
@require_http_methods(["GET", "POST"])
def whistle_track(request):
    form = TrackForm(request.POST or None)
    report = None
    if request.method == "GET" and (pk := request.session.get(TRACKED_WHISTLE)):
        report = WhistleReport.objects.filter(pk=pk).first()
    if request.method == "POST" and form.is_valid():
        report = selectors.whistle_track(
            receipt=form.cleaned_data["receipt"], secret=form.cleaned_data["secret"]
        )
        if report is not None:
            request.session[TRACKED_WHISTLE] = report.pk
            return redirect("complaints:whistle-track")
        form.add_error(None, _("回执号或查询密码不正确，请核对后重试"))
    return render(
        request, "complaints/track.html", {"form": form, "kind": "whistle", "report": report}
    )

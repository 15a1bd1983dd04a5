"""An enterprise's own complaints filed in its name: status, deadlines, the answer, rating."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from wurao.accounts.policy import policy
from wurao.accounts.scope import scope_for
from wurao.complaints import selectors, services
from wurao.complaints.forms import RateForm
from wurao.complaints.models import Complaint


@policy("complaints.mine")
def mine_list(request):
    complaints = selectors.complaint_mine(scope=scope_for(request.user)).select_related(
        "department", "officer"
    )
    return render(request, "complaints/mine_list.html", {"complaints": complaints})


@policy("complaints.mine")
@require_http_methods(["GET", "POST"])
def mine_detail(request, pk: int):
    try:
        complaint = selectors.complaint_mine(scope=scope_for(request.user)).get(pk=pk)
    except Complaint.DoesNotExist:
        raise Http404 from None
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_rate(
                complaint=complaint,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("complaints:mine-detail", pk=complaint.pk)
    return render(
        request,
        "complaints/track_case.html",
        {
            "complaint": complaint,
            "rate_form": form,
            "rate_url": request.path,
            "overdue": selectors.stage_overdue(complaint),
            "mine": True,
        },
        status=400 if form.errors else 200,
    )

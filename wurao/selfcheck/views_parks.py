"""The street's and the bureau's side of 自查自纠: each park's self-inspection rate, and the
park campaigns a street runs in its own parks."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from wurao.accounts.policy import allows, policy
from wurao.accounts.scope import scope_for
from wurao.registry.models import Park
from wurao.selfcheck import selectors, services
from wurao.selfcheck.forms import CampaignForm
from wurao.selfcheck.models import ParkCampaign


@policy("selfcheck.parks")
def park_rates(request):
    scope = scope_for(request.user)
    today = timezone.localdate()
    rows = selectors.park_rates(scope=scope, as_of=today)
    enterprises = sum(r["enterprises"] for r in rows)
    completed = sum(r["completed"] for r in rows)
    return render(
        request,
        "selfcheck/park_rates.html",
        {
            "rows": rows,
            "as_of": today,
            "window_days": selectors.RATE_WINDOW_DAYS,
            "enterprises": enterprises,
            "completed": completed,
            "rate": completed / enterprises if enterprises else None,
            "campaigns": selectors.campaign_list(scope=scope)[:20],
            "may_run": allows(request.user, "selfcheck.campaign_run"),
        },
    )


@policy("selfcheck.campaign_run")
def campaign_new(request):
    scope = scope_for(request.user)
    parks = list(selectors.park_list(scope=scope))
    today = timezone.localdate()
    form = CampaignForm(
        request.POST if request.method == "POST" else None,
        parks=parks,
        initial={
            "title": gettext("%(year)s年园区企业自查") % {"year": today.year},
            "starts_on": today,
            "ends_on": today + timezone.timedelta(days=30),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # The park a body names is checked like a URL id: only the street's own.
            park = selectors.park_get(scope=scope, pk=int(data["park"]))
            campaign = services.campaign_start(
                actor=request.user,
                park=park,
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except Park.DoesNotExist:
            form.add_error("park", gettext("只能选择本街道的园区"))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext("已邀请园区内 %(n)s 家企业开展自查。") % {"n": campaign.invited.count()},
            )
            return redirect("selfcheck:campaign-detail", pk=campaign.pk)
    return render(request, "selfcheck/campaign_new.html", {"form": form})


@policy("selfcheck.parks")
def campaign_detail(request, pk: int):
    scope = scope_for(request.user)
    try:
        campaign = selectors.campaign_get(scope=scope, pk=pk)
    except ParkCampaign.DoesNotExist:
        raise Http404 from None
    rows = selectors.campaign_progress(campaign=campaign)
    completed = sum(1 for r in rows if r["inspection"] and r["inspection"].completed_on)
    return render(
        request,
        "selfcheck/campaign_detail.html",
        {
            "campaign": campaign,
            "rows": rows,
            "completed": completed,
            "rate": completed / len(rows) if rows else None,
        },
    )

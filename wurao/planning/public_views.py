"""Public pages of planning, open to anyone without signing in.

Special campaigns (专项检查) are listed once published, with who approved them and the
document number: 国办发〔2024〕54号 requires special campaigns to be approved and made public.
Joint park days (联合整园执法日) show their commitment and candidate parks from the moment they
are arranged; the server seed only after the draw, with the observer's entropy, so anyone can
re-run the draw (docs/random-draw-v1.md §2–3, the park day's code as the task id).
"""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wurao.accounts.policy import PUBLIC, policy
from wurao.common.pagination import page_range, paginate
from wurao.common.ratelimit import rate_limited
from wurao.planning import selectors
from wurao.planning.choices import ObserverRole, ParkDayStatus
from wurao.planning.models import ParkDay
from wurao.registry import selectors as registry_selectors
from wurao.sampling.engine import SPEC


def observer_rows(park_day: ParkDay) -> list[dict]:
    labels = dict(ObserverRole.choices)
    return [
        {"name": o.get("name", ""), "role_label": labels.get(o.get("role"), "")}
        for o in park_day.observers
    ]


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def campaign_list(request):
    page = paginate(request, selectors.campaign_list(published_only=True))
    return render(
        request,
        "planning/public_campaigns.html",
        {"page_obj": page, "page_range": page_range(page)},
    )


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def park_day_list(request):
    page = paginate(request, selectors.park_day_list())
    return render(
        request,
        "planning/public_parkday_list.html",
        {"page_obj": page, "page_range": page_range(page)},
    )


def _public_park_day(code: str) -> ParkDay:
    try:
        return selectors.park_day_public_get(code=code)
    except ParkDay.DoesNotExist:
        raise Http404 from None


def draw_inputs(park_day: ParkDay) -> dict:
    """Everything needed to re-run the draw; the seed stays out until the park is drawn."""
    drawn = park_day.status == ParkDayStatus.DRAWN
    names = dict(
        registry_selectors.park_list()
        .filter(code__in=park_day.candidates)
        .values_list("code", "name")
    )
    return {
        "spec": SPEC,
        "task_id": park_day.code,
        "street": park_day.street.name,
        "date": park_day.date.isoformat(),
        "status": park_day.status,
        "candidates": list(park_day.candidates),
        "candidate_names": {code: names.get(code, "") for code in park_day.candidates},
        "commitment": park_day.commitment,
        "server_seed": park_day.server_seed if drawn else None,
        "external_entropy": park_day.external_entropy if drawn else None,
        "observer_of_draw": park_day.observer_of_draw if drawn else None,
        "drawn_park": park_day.park.code if drawn and park_day.park else None,
        "rule": "seed = SHA-256(spec 0x00 task_id 0x00 server_seed 0x00 external_entropy); "
        "key_i = i-th big-endian uint64 of AES-256-CTR(seed, counter 0), candidates in byte "
        "order; the smallest key wins",
    }


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def park_day_detail(request, code: str):
    park_day = _public_park_day(code)
    inputs = draw_inputs(park_day)
    context = {
        "park_day": park_day,
        "drawn": park_day.status == ParkDayStatus.DRAWN,
        "parks": [
            {"code": c, "name": inputs["candidate_names"][c], "won": c == inputs["drawn_park"]}
            for c in inputs["candidates"]
        ],
        "departments": list(park_day.departments.all()),
        "observers": observer_rows(park_day),
        "spec": SPEC,
    }
    return render(request, "planning/public_parkday_detail.html", context)


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def park_day_inputs(request, code: str):
    park_day = _public_park_day(code)
    response = HttpResponse(
        json.dumps(draw_inputs(park_day), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{park_day.code}.json"'
    return response

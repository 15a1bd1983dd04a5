"""The audit chain's daily heads, published (no sign-in): anyone may keep a copy and later ask
that the platform's chain still holds every head they kept (docs/audit.md)."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from wurao.audit import selectors
from wurao.audit.signing import MESSAGE_VERSION, public_key_fingerprint, public_key_pem
from wurao.common.pagination import page_range, paginate
from wurao.common.ratelimit import rate_limited


def _public(view):
    """The policy rule "public" (wurao.accounts.policy.PUBLIC: anyone, signed in or not), named
    as @policy names it; audit sits below accounts and may not import it."""
    view.policy = "public"
    return view


@_public
@rate_limited("public")  # [hardening] deploy: as every public page
@require_GET
def anchor_list(request):
    page = paginate(request, selectors.audit_anchor_daily_list())
    keys = list(dict.fromkeys(a.public_key for a in page.object_list))
    return render(
        request,
        "audit/public_anchors.html",
        {
            "page_obj": page,
            "page_range": page_range(page),
            "public_keys": [
                {"hex": k, "fingerprint": public_key_fingerprint(k), "pem": public_key_pem(k)}
                for k in keys
            ],
            "message_version": MESSAGE_VERSION,
        },
    )


@_public
@rate_limited("public")  # [hardening] deploy: as every public page
@require_GET
def anchor_export(request):
    data = selectors.audit_anchors_export()
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n",
        content_type="application/json; charset=utf-8",
    )
    filename = f"wurao-audit-anchors-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

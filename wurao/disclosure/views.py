from django.shortcuts import render
from django.views.decorators.http import require_GET

from wurao.accounts.policy import PUBLIC, policy
from wurao.common.ratelimit import rate_limited


@policy(PUBLIC)
@rate_limited("public")
@require_GET
def index(request):
    return render(request, "disclosure/index.html", {})

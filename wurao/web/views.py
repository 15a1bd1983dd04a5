from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from wurao.accounts.policy import PUBLIC, SIGNED_IN, allows, policy
from wurao.accounts.scope import scope_for
from wurao.common.periods import latest_year_until
from wurao.enforcement import selectors as enforcement_selectors
from wurao.registry import selectors as registry_selectors


@policy(SIGNED_IN)
def home(request):
    # Each role lands where its work is: the bureau on its dashboard, an enterprise on its
    # home (企业服务: its visits, grade, bookings, complaints in one page).
    scope = scope_for(request.user)
    # The bureau lands on its dashboard; a department or street, who may open a scoped
    # dashboard too, keeps its own home with its records.
    if scope.sees_all and allows(request.user, "oversight.supervise"):
        return HttpResponseRedirect("/oversight/")
    if scope.enterprise_id:
        return HttpResponseRedirect("/portal/")
    actions = enforcement_selectors.action_list(scope=scope)
    # The latest year with records up to today, so a district that imported past years sees
    # them and an action dated ahead does not open the page on a year with nothing yet.
    today = timezone.localdate()
    year = latest_year_until(actions, until=today) or today.year
    context = {
        "year": year,
        "actions_in_year": actions.filter(date__year=year).count(),
        "recent_actions": actions.filter(date__lte=today)[:8],
        # A department reads the whole shared registry; counting it on every landing would be waste.
        "enterprise_count": registry_selectors.enterprise_list(scope=scope).count()
        if scope.street_id
        else None,
        "inspector_count": registry_selectors.inspector_list(scope=scope)
        .filter(active=True)
        .count(),
        "scope": scope,
    }
    return render(request, "web/home.html", context)


@policy(PUBLIC)
@require_POST
def set_language_view(request):
    language = request.POST.get("language", settings.LANGUAGE_CODE)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    translation.activate(language)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from wurao.accounts.choices import Role


@login_required
def home(request):
    # Each role lands where its work is.
    role = request.user.role
    if request.user.is_superuser or role == Role.JUSTICE:
        return HttpResponseRedirect("/oversight/")
    if role == Role.ENTERPRISE and request.user.enterprise_id:
        return HttpResponseRedirect(f"/registry/enterprises/{request.user.enterprise_id}/")
    return render(request, "web/home.html")


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

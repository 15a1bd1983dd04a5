from urllib.parse import urlencode

from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from wurao.accounts.two_factor import confirmed_device, two_factor_required


class TwoFactorMiddleware:
    """Until a person who must sign in with a second factor has given it, every page sends
    them to give it (or, the first time, to set up their authenticator app): only signing
    out, those two pages and the language switch stay open. Installed after django-otp's
    OTPMiddleware, which tells whether this session's sign-in was verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    OPEN = (
        "login",
        "logout",
        "two-factor-setup",
        "two-factor-verify",
        "set-language",
        "admin:logout",
    )

    def __call__(self, request):
        user = request.user
        if (
            two_factor_required(user)
            and not user.is_verified()
            and request.path not in {reverse(name) for name in self.OPEN}
        ):
            return self._second_factor_first(request, user)
        return self.get_response(request)

    def _second_factor_first(self, request, user):
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("请先在网页上完成两步验证（输入验证器中的验证码）。")}, status=403
            )
        page = "two-factor-verify" if confirmed_device(user) else "two-factor-setup"
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(page)}?{query}")

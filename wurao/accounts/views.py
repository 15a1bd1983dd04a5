"""Signing in and out: the password, then (for the government side) the second factor.

The pages of signing in are open to anyone (policy PUBLIC), like the login page itself; the
second-factor pages ask for a session whose password was accepted, and send anyone else to
the login page.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django_otp import login as otp_login

from wurao.accounts import services_login, two_factor
from wurao.accounts.forms import TwoFactorCodeForm
from wurao.accounts.policy import PUBLIC
from wurao.common.client_ip import client_ip
from wurao.common.qr import qr_svg


def _next(request) -> str:
    """Where to go once signed in: the `next` asked for if it is on this site, else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


class LoginView(auth_views.LoginView):
    """The password step. A locked account or address is answered by the lockout page
    (login_guard.lockout_response, through axes' middleware); a person who must give a second
    factor goes on to give it (or to set up their authenticator the first time)."""

    policy = PUBLIC

    def form_valid(self, form):
        response = super().form_valid(form)  # signs in: a new session key
        user = form.get_user()
        needs_code = two_factor.two_factor_required(user)
        services_login.sign_in_record(
            user=user, address=client_ip(self.request), via="page", two_factor=needs_code
        )
        if needs_code:
            page = "two-factor-verify" if two_factor.confirmed_device(user) else "two-factor-setup"
            return HttpResponseRedirect(_with_next(page, self.get_success_url()))
        return response


class LogoutView(auth_views.LogoutView):
    policy = PUBLIC  # signing out asks nothing (Django's view accepts only POST)

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services_login.sign_out_record(user=request.user, address=client_ip(request))
        return super().post(request, *args, **kwargs)


class AdminLoginRedirect(View):
    """The back office signs in on the platform's one login page (lockout, second factor,
    audit), not on Django admin's own."""

    policy = PUBLIC

    def get(self, request):
        return HttpResponseRedirect(_with_next("login", request.GET.get("next") or "/admin/"))

    post = get


class _SecondFactorView(View):
    policy = PUBLIC
    template_name = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not two_factor.two_factor_required(request.user) or request.user.is_verified():
            return HttpResponseRedirect(_next(request))
        return super().dispatch(request, *args, **kwargs)

    def _signed_in(self, request, device):
        otp_login(request, device)
        # A new session key once the sign-in is complete, as after the password.
        request.session.cycle_key()
        return HttpResponseRedirect(_next(request))

    def _render(self, request, form, **context):
        context = {"form": form, "next": _next(request), **context}
        return render(request, self.template_name, context)


class TwoFactorSetupView(_SecondFactorView):
    """First sign-in: scan the QR code (or type the key) into an authenticator app and
    confirm with the code it shows. The key waits in the session until then."""

    template_name = "accounts/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and two_factor.confirmed_device(request.user):
            return HttpResponseRedirect(_with_next("two-factor-verify", _next(request)))
        return super().dispatch(request, *args, **kwargs)

    def _key(self, request) -> str:
        key = request.session.get(two_factor.SETUP_SESSION_KEY)
        if not key:
            key = request.session[two_factor.SETUP_SESSION_KEY] = two_factor.new_secret()
        return key

    def get(self, request):
        return self._page(request, TwoFactorCodeForm())

    def post(self, request):
        form = TwoFactorCodeForm(request.POST)
        if form.is_valid():
            try:
                device = services_login.two_factor_enrol(
                    user=request.user,
                    key=self._key(request),
                    token=form.cleaned_data["token"],
                    address=client_ip(request),
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                request.session.pop(two_factor.SETUP_SESSION_KEY, None)
                return self._signed_in(request, device)
        return self._page(request, form)

    def _page(self, request, form):
        key = self._key(request)
        uri = two_factor.provisioning_uri(request.user, key)
        return self._render(
            request, form, qr=qr_svg(uri, scale=4, sized=True), secret=two_factor.secret_text(key)
        )


class TwoFactorVerifyView(_SecondFactorView):
    template_name = "accounts/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not two_factor.confirmed_device(request.user):
            return HttpResponseRedirect(_with_next("two-factor-setup", _next(request)))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(request, TwoFactorCodeForm())

    def post(self, request):
        form = TwoFactorCodeForm(request.POST)
        if form.is_valid():
            check = services_login.two_factor_verify(
                user=request.user, token=form.cleaned_data["token"], address=client_ip(request)
            )
            if check.device is not None:
                return self._signed_in(request, check.device)
            if check.retry_at is not None:
                seconds = max(int((check.retry_at - timezone.now()).total_seconds()) + 1, 1)
                form.add_error(
                    "token",
                    _("错误次数过多，请在 %(seconds)s 秒后再输入验证码。") % {"seconds": seconds},
                )
            else:
                form.add_error(
                    "token",
                    _("验证码不正确或已使用过：请输入验证器应用中当前显示的 6 位数字。"),
                )
        return self._render(request, form)

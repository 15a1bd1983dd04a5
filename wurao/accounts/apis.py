"""Accounts API: API tokens, and who the caller is.

A script signs in once with POST /api/auth/token/ and then sends
`Authorization: Token <token>`; the browser's session works as well.
"""

import math
from collections.abc import Mapping

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, BaseThrottle
from rest_framework.views import APIView

from wurao.accounts.login_guard import locked_until, lockout_message, seconds_until
from wurao.accounts.policy import PUBLIC, SIGNED_IN
from wurao.accounts.services import user_token_issue
from wurao.accounts.services_login import two_factor_verify
from wurao.accounts.two_factor import confirmed_device, two_factor_required
from wurao.common.client_ip import client_ip

TAGS = ["auth 认证"]


class TokenObtainRateThrottle(AnonRateThrottle):
    """At most 10 tries a minute from one client address, right or wrong: password hashing
    (Argon2) is made to be slow. Counted in the shared cache (every worker together), by the
    address of client_ip, so a new X-Forwarded-For per try counts as the same client."""

    rate = "10/min"

    def get_ident(self, request) -> str:
        return client_ip(request)


class SignInLockThrottle(BaseThrottle):
    """A locked account or address is refused before its password is checked: the same lock,
    counted in the database, as the login page's (wurao.accounts.login_guard)."""

    def allow_request(self, request, view) -> bool:
        username = request.data.get("username") if isinstance(request.data, Mapping) else None
        # axes reads and marks Django's request, which its middleware then sees.
        self.until = locked_until(request._request, str(username) if username else None)
        request.sign_in_locked_until = self.until
        return self.until is None

    def wait(self) -> int:
        return seconds_until(self.until)


class TokenObtainApi(APIView):
    policy = PUBLIC  # signing in is how one gets a token
    authentication_classes = ()
    throttle_classes = (SignInLockThrottle, TokenObtainRateThrottle)

    @extend_schema_serializer(component_name="TokenRequest")
    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(
            max_length=150, error_messages={"required": "请填写用户名", "blank": "请填写用户名"}
        )
        password = serializers.CharField(
            max_length=128,
            trim_whitespace=False,
            style={"input_type": "password"},
            error_messages={"required": "请填写密码", "blank": "请填写密码"},
        )
        otp = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=8,
            help_text="两步验证码：司法局、部门、执法人员、街道账号须填写验证器中当前的 6 位数字",
        )

    @extend_schema_serializer(component_name="Token")
    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField(help_text="在请求头中发送：Authorization: Token <token>")
        expires_at = serializers.DateTimeField(help_text="令牌的失效时间，之后须重新获取")

    @extend_schema(
        tags=TAGS,
        summary="用用户名、密码（及两步验证码）换取 API 令牌",
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(
                description="用户名或密码错误，或账号已停用；须两步验证的账号未填或填错验证码"
            ),
            429: OpenApiResponse(
                description="登录失败次数过多，账号或地址已被锁定；或尝试过于频繁，请稍后再试"
            ),
        },
        auth=[],
    )
    def post(self, request):
        credentials = self.InputSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        data = credentials.validated_data
        # Django's request, as the login page's: axes counts a failure on it and locks.
        user = authenticate(
            request=request._request, username=data["username"], password=data["password"]
        )
        if user is None:
            # One message for an unknown user, a wrong password and a disabled account: no user enumeration.
            raise serializers.ValidationError(
                {"non_field_errors": ["用户名或密码错误，或账号已停用"]}
            )
        address = client_ip(request)
        if two_factor_required(user):
            self._second_factor(user, data.get("otp", ""), address)
        # One token per user while it lasts (WURAO_TOKEN_TTL_HOURS), then a new one.
        key, expires_at = user_token_issue(user=user, address=address)
        return Response(self.OutputSerializer({"token": key, "expires_at": expires_at}).data)

    def _second_factor(self, user, otp: str, address: str) -> None:
        if confirmed_device(user) is None:
            raise serializers.ValidationError(
                {"otp": [_("该账号须使用两步验证：请先在网页上登录一次并设置验证器，再获取令牌。")]}
            )
        if not otp.strip():
            raise serializers.ValidationError(
                {"otp": [_("该账号须使用两步验证：请填写验证器中当前的 6 位验证码（otp）。")]}
            )
        check = two_factor_verify(user=user, token=otp, address=address)
        if check.retry_at is not None:
            raise serializers.ValidationError({"otp": [_("验证码错误次数过多，请稍后再试。")]})
        if check.device is None:
            raise serializers.ValidationError(
                {"otp": [_("验证码不正确或已使用过：请填写验证器中当前的 6 位数字。")]}
            )

    def throttled(self, request, wait):
        until = getattr(request, "sign_in_locked_until", None)
        if until is not None:
            error = exceptions.Throttled(detail=lockout_message(until))
        else:
            error = exceptions.Throttled(
                detail=_("获取令牌的请求过于频繁，请在 %(seconds)s 秒后再试。")
                % {"seconds": _seconds(wait)}
            )
        error.wait = _seconds(wait)  # DRF answers it in Retry-After
        raise error


def _seconds(wait: float | None) -> int:
    return max(math.ceil(wait), 1) if wait else 60


class MeApi(APIView):
    policy = SIGNED_IN

    @extend_schema_serializer(component_name="CurrentUser")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        display_name = serializers.CharField(source="get_full_name")
        role = serializers.CharField()
        role_display = serializers.CharField(source="get_role_display")
        department = serializers.IntegerField(source="department_id", allow_null=True)
        street = serializers.IntegerField(source="street_id", allow_null=True)
        enterprise = serializers.IntegerField(source="enterprise_id", allow_null=True)

    @extend_schema(
        tags=TAGS, summary="当前用户及其角色、所属部门/街道/企业", responses=OutputSerializer
    )
    def get(self, request):
        return Response(self.OutputSerializer(request.user).data)

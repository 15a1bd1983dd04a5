"""Accounts API: API tokens, and who the caller is.

A script signs in once with POST /api/auth/token/ and then sends
`Authorization: Token <token>`; the browser's session works as well.
"""

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from wurao.accounts.policy import PUBLIC, SIGNED_IN
from wurao.accounts.services import user_token_obtain

TAGS = ["auth 认证"]


class TokenObtainThrottle(AnonRateThrottle):
    # Slows password guessing from one address; the rate needs no settings entry.
    rate = "10/min"


class TokenObtainApi(APIView):
    policy = PUBLIC  # signing in is how one gets a token
    authentication_classes = ()
    throttle_classes = (TokenObtainThrottle,)

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

    @extend_schema_serializer(component_name="Token")
    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField(help_text="在请求头中发送：Authorization: Token <token>")

    @extend_schema(
        tags=TAGS,
        summary="用用户名和密码换取 API 令牌",
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(description="用户名或密码错误，或账号已停用"),
            429: OpenApiResponse(description="尝试过于频繁，请稍后再试"),
        },
        auth=[],
    )
    def post(self, request):
        credentials = self.InputSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = authenticate(request=request, **credentials.validated_data)
        if user is None:
            # One message for an unknown user, a wrong password and a disabled account: no user enumeration.
            raise serializers.ValidationError(
                {"non_field_errors": ["用户名或密码错误，或账号已停用"]}
            )
        # One token per user, reused until an administrator deletes it (admin: 令牌).
        return Response(self.OutputSerializer({"token": user_token_obtain(user=user)}).data)


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

from rest_framework import authentication, exceptions


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, loading the user's department with the token: an
    inspector's every write names it, and a mobile client sends many requests. (Scopes need
    only the street's and enterprise's ids, which the user row holds.)"""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user__department").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed("令牌无效") from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("账号已停用")
        return token.user, token

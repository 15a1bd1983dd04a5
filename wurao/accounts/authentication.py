from functools import cache

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from wurao.accounts.models import User
from wurao.accounts.services import token_expires_at
from wurao.common import rawsql

# The user's department, reached through the model (accounts sits below the registry).
Department = User._meta.get_field("department").related_model


@cache
def _statement(token, vendor: str) -> str:
    """The token, its user and the user's department (null columns when it has none)."""
    return f"""
        SELECT {rawsql.columns(token, "t")}, {rawsql.columns(User, "u")},
               {rawsql.columns(Department, "d")}
        FROM {token._meta.db_table} t
        JOIN {User._meta.db_table} u ON u.id = t.{token._meta.get_field("user").column}
        LEFT JOIN {Department._meta.db_table} d
          ON d.id = u.{User._meta.get_field("department").column}
        WHERE t.{token._meta.pk.column} = %s
        """


class TokenRefused(exceptions.APIException):
    """A token that is not, or no longer, good: 401 with WWW-Authenticate, so a client knows
    to sign in again. (DRF answers its own AuthenticationFailed with 403 here, because the
    session, listed first, names no authentication scheme; no token at all stays 403.)"""

    status_code = 401
    default_code = "authentication_failed"
    auth_header = "Token"  # DRF's exception handler sends it as WWW-Authenticate


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, reading the token, its user and the user's department in
    one statement: an inspector's every write names the department, and a mobile client sends
    many requests (the ORM took longer to build this statement than the database to run it).
    Scopes need only the street's and enterprise's ids, which the user row holds. A token
    older than WURAO_TOKEN_TTL_HOURS is refused (401): the client signs in again for a new one."""

    def authenticate_credentials(self, key):
        token_model = self.get_model()
        with connection.cursor() as cursor:
            cursor.execute(_statement(token_model, connection.vendor), [key])
            row = cursor.fetchone()
        if row is None:
            raise TokenRefused(_("令牌无效"))
        user_at = rawsql.width(token_model)
        department_at = user_at + rawsql.width(User)
        token = rawsql.from_row(token_model, row[:user_at])
        user = rawsql.from_row(User, row[user_at:department_at])
        if user.department_id is not None:
            user.department = rawsql.from_row(Department, row[department_at:])
        token.user = user
        if token_expires_at(token.created) <= timezone.now():
            raise TokenRefused(_("令牌已过期：请重新用用户名和密码（及验证码）获取令牌。"))
        if not user.is_active:
            raise TokenRefused(_("账号已停用"))
        return user, token

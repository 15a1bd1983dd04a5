"""POST /api/auth/token/ and GET /api/auth/me/: token sign-in for scripts, session sign-in for the browser.

The auth URLs are mounted here through a test URLconf until config/urls.py includes them.
"""

import pytest
from django.core.cache import cache
from django.urls import include, path
from rest_framework.test import APIClient, APIRequestFactory

from config.urls import api_patterns
from wurao.accounts.authentication import TokenAuthentication
from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.registry.tests.factories import EnterpriseFactory

urlpatterns = [
    path("api/", include([*api_patterns, path("auth/", include("wurao.accounts.apis_urls"))])),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

PASSWORD = "pass-12345"  # the factories' password


@pytest.fixture(autouse=True)
def fresh_throttle():
    # The sign-in throttle counts attempts in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


def token_for(username: str, password: str = PASSWORD):
    return APIClient().post(
        "/api/auth/token/", {"username": username, "password": password}, format="json"
    )


def test_a_token_opens_the_api_within_the_user_s_scope(enterprise_user, enterprise):
    # given another enterprise besides the user's own
    EnterpriseFactory()

    # when the enterprise user trades its password for a token and lists enterprises with it
    issued = token_for("ent_user")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued.json()['token']}")
    listed = client.get("/api/enterprises/")

    # then the token works and the scope is the user's: it sees only itself
    assert issued.status_code == 200
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [enterprise.pk]


def test_signing_in_again_returns_the_same_token(justice_user):
    assert token_for("sfj").json()["token"] == token_for("sfj").json()["token"]


@pytest.mark.parametrize(
    ("username", "password"), [("sfj", "wrong-password"), ("nobody", PASSWORD)]
)
def test_a_wrong_password_or_unknown_user_gets_one_chinese_message(
    justice_user, username, password
):
    response = token_for(username, password)

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["用户名或密码错误，或账号已停用"]}


def test_a_disabled_account_gets_no_token(db):
    UserFactory(username="left", role=Role.JUSTICE, is_active=False)

    response = token_for("left")

    assert response.status_code == 400
    assert "token" not in response.json()


def test_missing_credentials_are_named_in_chinese(db):
    response = APIClient().post("/api/auth/token/", {"username": "sfj"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"password": ["请填写密码"]}


def test_password_guessing_is_stopped_by_the_lockout(justice_user):
    # when one address tries eleven wrong passwords in a minute
    statuses = [token_for("sfj", f"guess-{n}").status_code for n in range(11)]

    # then the fifth locks the account (AXES_FAILURE_LIMIT) and the rest are turned away
    assert statuses == [400] * 4 + [429] * 7


def test_signing_in_is_slowed_down_even_with_the_right_password(justice_user):
    # when one address asks for a token eleven times in a minute, each time rightly
    statuses = [token_for("sfj").status_code for _ in range(11)]

    # then the eleventh is turned away before the password is checked (hashing is slow)
    assert statuses == [200] * 10 + [429]


def test_a_bad_token_is_refused(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert client.get("/api/enterprises/").status_code in (401, 403)


def test_anonymous_callers_are_refused(db):
    client = APIClient()

    assert client.get("/api/auth/me/").status_code in (401, 403)
    assert client.get("/api/enterprises/").status_code in (401, 403)


def test_a_browser_session_works_too(dept_admin, department):
    # given a department administrator signed in through the login page's session
    client = APIClient()
    assert client.login(username="yj_admin", password=PASSWORD)

    # when it asks who it is
    response = client.get("/api/auth/me/")

    # then the API knows its role and department
    assert response.status_code == 200
    assert response.json() == {
        "id": dept_admin.pk,
        "username": "yj_admin",
        "display_name": "",
        "role": "dept_admin",
        "role_display": "部门管理员",
        "department": department.pk,
        "street": None,
        "enterprise": None,
    }


def test_a_token_of_a_deactivated_account_is_refused(dept_admin):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for('yj_admin').json()['token']}")
    dept_admin.is_active = False
    dept_admin.save(update_fields=["is_active"])

    response = client.get("/api/auth/me/")

    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "账号已停用"


def test_a_token_reads_its_user_and_department_in_one_statement(
    dept_admin, department, django_assert_num_queries
):
    key = token_for("yj_admin").json()["token"]
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {key}")

    with django_assert_num_queries(1):
        user, token = TokenAuthentication().authenticate(request)
        assert (user.pk, user.role, user.department.name) == (
            dept_admin.pk,
            Role.DEPT_ADMIN,
            department.name,
        )
        assert token.key == key and token.user is user
    # Values read the ORM's way on both databases: an aware join date, a real boolean.
    assert user.date_joined == dept_admin.date_joined and user.is_active is True


def test_a_token_of_a_user_without_a_department_needs_no_second_statement(
    justice_user, django_assert_num_queries
):
    key = token_for("sfj").json()["token"]
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {key}")

    with django_assert_num_queries(1):
        user, _ = TokenAuthentication().authenticate(request)
        assert user.department is None and user.get_username() == "sfj"

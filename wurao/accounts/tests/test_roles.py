"""No account gets a role it was not given, and every change of role is on the record.

A new account (Django's createuser, the back office's add form left as it is) has no role:
it sees nothing and may do nothing. The back office's add form asks for the role and its
anchor and checks them (User.clean); a change of role, anchor or status is audited with the
values before and after.
"""

import pytest

from wurao.accounts.choices import Role
from wurao.accounts.models import User
from wurao.accounts.policy import SIGNED_IN, allows
from wurao.accounts.scope import scope_for
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, StreetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    return client


def _change_form(user: User, **changes) -> dict:
    """The back office's change form as its page sends it, with `changes` made."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "role": user.role,
        "department": user.department_id or "",
        "street": user.street_id or "",
        "enterprise": user.enterprise_id or "",
        "inspector": user.inspector_id or "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_an_account_created_without_a_role_sees_and_may_do_nothing(client, enterprise):
    # given an account created the plain way, naming no role
    user = User.objects.create_user(username="new_clerk", password="pass-12345")

    # then it has no role, no scope and passes no rule, not even "signed in"
    assert user.role == Role.NONE
    assert scope_for(user).sees_nothing
    assert not allows(user, SIGNED_IN)

    # and signed in, it reaches neither the pages nor the API
    client.force_login(user)
    assert client.get("/").status_code == 403
    assert client.get(f"/registry/enterprises/{enterprise.pk}/").status_code == 403
    assert client.get("/api/enterprises/").status_code == 403


def test_a_superuser_without_a_role_still_counts_as_the_bureau(db):
    user = User.objects.create_superuser(username="root", password="pass-12345")

    assert user.role == Role.NONE
    assert scope_for(user).sees_all and allows(user, SIGNED_IN)


def test_the_admin_s_add_form_asks_for_the_role_and_its_anchor(admin_client):
    # when the administrator opens the form for a new account
    page = admin_client.get("/admin/accounts/user/add/").content.decode()

    # then it asks for the role, preset to none, and each anchor
    for field in ("role", "department", "street", "enterprise", "inspector"):
        assert f'name="{field}"' in page
    assert '<option value="none" selected>' in page


def test_the_admin_s_add_form_refuses_a_role_without_its_anchor(admin_client):
    # when the administrator adds a department administrator and names no department
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {"username": "yj2", "usable_password": "false", "role": Role.DEPT_ADMIN},
    )

    # then the form comes back saying which field is missing, and no account is made
    assert response.status_code == 200
    assert "部门管理员必须指定所属部门" in response.content.decode()
    assert not User.objects.filter(username="yj2").exists()


def test_an_account_added_in_the_admin_has_the_role_it_was_given_on_the_record(admin_client):
    department = DepartmentFactory()

    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "yj2",
            "usable_password": "true",
            "password1": "a-long-passphrase-9",
            "password2": "a-long-passphrase-9",
            "role": Role.DEPT_ADMIN,
            "department": department.pk,
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="yj2")
    assert (user.role, user.department_id) == (Role.DEPT_ADMIN, department.pk)
    event = AuditEvent.objects.get(verb="user.admin_create")
    assert event.actor_label == "root"
    assert event.payload["access"]["role"] == "dept_admin"
    assert event.payload["access"]["department"] == department.pk


def test_a_role_change_is_audited_with_the_values_before_and_after(admin_client):
    # given a department administrator
    department, street = DepartmentFactory(), StreetFactory()
    user = UserFactory(username="moved", role=Role.DEPT_ADMIN, department=department)

    # when the administrator makes it a street coordinator
    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        _change_form(user, role=Role.STREET, department="", street=street.pk),
    )

    # then the account changed and the log shows old → new for role and anchors
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.role, user.department_id, user.street_id) == (Role.STREET, None, street.pk)
    event = AuditEvent.objects.get(verb="user.role_change")
    assert event.actor_label == "root" and event.object_id == str(user.pk)
    assert event.payload["changes"] == {
        "role": ["dept_admin", "street"],
        "department": [department.pk, None],
        "street": [None, street.pk],
    }


def test_making_an_account_a_superuser_is_a_role_change(admin_client):
    user = UserFactory(username="clerk", role=Role.JUSTICE)

    admin_client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        _change_form(user, is_staff="on", is_superuser="on"),
    )

    event = AuditEvent.objects.get(verb="user.role_change")
    assert event.payload["changes"] == {"is_staff": [False, True], "is_superuser": [False, True]}


def test_an_edit_that_leaves_the_role_alone_is_audited_as_an_edit(admin_client):
    user = UserFactory(username="clerk", role=Role.JUSTICE)

    admin_client.post(f"/admin/accounts/user/{user.pk}/change/", _change_form(user, last_name="王"))

    event = AuditEvent.objects.get(verb="user.admin_change")
    assert "last_name" in event.payload["fields"] and event.payload["changes"] == {}


def test_an_anchor_the_role_does_not_use_is_refused(admin_client):
    # given a street coordinator
    street, department = StreetFactory(), DepartmentFactory()
    user = UserFactory(username="fc", role=Role.STREET, street=street)

    # when the administrator also gives it a department
    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/change/", _change_form(user, department=department.pk)
    )

    # then the form says to clear it, and nothing changed
    assert response.status_code == 200
    assert "该角色不属于某个部门，请清空所属部门" in response.content.decode()
    user.refresh_from_db()
    assert user.department_id is None
    assert not AuditEvent.objects.filter(verb__startswith="user.").exists()


def test_an_enterprise_user_needs_its_enterprise(admin_client):
    user = UserFactory(username="ent", role=Role.JUSTICE)

    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/change/", _change_form(user, role=Role.ENTERPRISE)
    )
    assert "企业用户必须指定所属企业" in response.content.decode()

    enterprise = EnterpriseFactory()
    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        _change_form(user, role=Role.ENTERPRISE, enterprise=enterprise.pk),
    )
    assert response.status_code == 302
    assert scope_for(User.objects.get(pk=user.pk)).enterprise_id == enterprise.pk


def test_a_password_set_in_the_admin_is_audited(admin_client):
    user = UserFactory(username="clerk", role=Role.JUSTICE)

    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": "another-passphrase-7", "password2": "another-passphrase-7"},
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(verb="user.password_set")
    assert event.actor_label == "root" and event.object_id == str(user.pk)
    assert "another-passphrase-7" not in str(event.payload)

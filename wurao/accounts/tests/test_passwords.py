"""Passwords are stored with Argon2 (PASSWORD_HASHERS); older hashes are upgraded at sign-in.

The tests' own settings hash with MD5 for speed: these tests put production's list back."""

import pytest
from django.contrib.auth.hashers import make_password

from config import settings as production
from wurao.accounts.choices import Role
from wurao.accounts.models import User
from wurao.accounts.services import user_create

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-9"


@pytest.fixture(autouse=True)
def production_hashers(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def test_a_new_password_is_stored_with_argon2():
    user = user_create(actor="test", username="new", password=PASSWORD, role=Role.JUSTICE)

    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


def test_an_older_hash_is_upgraded_at_the_next_sign_in(client):
    # given an account whose password was hashed before Argon2 (PBKDF2)
    user = User.objects.create(username="old", role=Role.JUSTICE)
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))

    # when it signs in
    response = client.post("/login/", {"username": "old", "password": PASSWORD})

    # then it is in, and its password is now stored with Argon2
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")

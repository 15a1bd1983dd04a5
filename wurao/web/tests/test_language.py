"""Switching the interface between Chinese (the default) and English through /lang/.

Needs the compiled catalogue wurao/locale/en/LC_MESSAGES/django.mo (scripts/setup runs compilemessages).
"""

import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _restore_language():
    # set_language_view activates the chosen language in this thread; don't let it leak into other tests.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def switch(client, language, next_url):
    response = client.post("/lang/", {"language": language, "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_pages_are_chinese_by_default(client, justice_user, enterprise):
    client.force_login(justice_user)

    dashboard = page(client, "/oversight/")
    enterprises = page(client, "/registry/enterprises/")

    assert '<html lang="zh-hans">' in dashboard
    assert "年涉企行政执法监督" in dashboard and "表1　涉企行政执法行为构成" in dashboard
    assert "Enforcement oversight" not in dashboard
    assert "全区商事主体，各部门共享（两库）" in enterprises and "统一社会信用代码" in enterprises
    assert "Enterprise registry" not in enterprises


def test_english_then_back_to_chinese(client, justice_user, enterprise):
    client.force_login(justice_user)

    switch(client, "en", "/oversight/")
    dashboard = page(client, "/oversight/")
    enterprises = page(client, "/registry/enterprises/")

    assert '<html lang="en">' in dashboard
    assert "Enterprise-related enforcement oversight" in dashboard
    assert "Table 1. Enterprise-related administrative enforcement actions by category" in dashboard
    assert "Of which double-random inspections" in dashboard
    assert "Inspection item catalogue" in dashboard  # the navigation
    assert "表1　涉企行政执法行为构成" not in dashboard
    assert '<h1 class="h4 mb-1">Enterprise registry</h1>' in enterprises
    assert "Unified social credit code" in enterprises and "Industrial park" in enterprises
    assert "全区商事主体" not in enterprises and "统一社会信用代码" not in enterprises

    switch(client, "zh-hans", "/registry/enterprises/")
    enterprises = page(client, "/registry/enterprises/")
    dashboard = page(client, "/oversight/")

    assert '<html lang="zh-hans">' in enterprises
    assert '<h1 class="h4 mb-1">企业库</h1>' in enterprises and "统一社会信用代码" in enterprises
    assert (
        "Enterprise registry" not in enterprises and "Unified social credit code" not in enterprises
    )
    assert (
        "表1　涉企行政执法行为构成" in dashboard
        and "Enterprise-related enforcement oversight" not in dashboard
    )


def test_an_unknown_language_falls_back_to_chinese(client, justice_user):
    client.force_login(justice_user)

    client.post("/lang/", {"language": "fr", "next": "/oversight/"})

    assert "年涉企行政执法监督" in page(client, "/oversight/")


def test_an_english_browser_still_gets_chinese_until_the_user_chooses(client, justice_user):
    # Given a browser that asks for English first
    client.force_login(justice_user)

    # When it opens the dashboard without having chosen a language
    response = client.get("/oversight/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    # Then the page is in Chinese, the platform's language
    assert "行政检查" in response.content.decode()

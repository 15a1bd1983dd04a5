"""A visitor without an account, in a real browser: from the sitemap to the inspector lookup,
checking the badge an officer at the door shows."""

import datetime

import pytest

from wurao.registry.tests.factories import DepartmentFactory, InspectorFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_visitor_follows_the_sitemap_to_the_inspector_lookup_and_checks_a_badge(
    page, live_server
):
    # given an officer of 区应急管理局 in post, certificate valid
    department = DepartmentFactory(code="YJ", name="区应急管理局")
    InspectorFactory(
        department=department,
        badge_no="44030900123",
        name="李明",
        certificate_valid_until=datetime.date.today() + datetime.timedelta(days=365),
    )

    # when a visitor opens the sitemap and follows it to the inspector lookup
    page.goto(f"{live_server.url}/public/")
    assert page.locator("h1").inner_text() == "公示目录"
    page.locator("#public-pages").get_by_role("link", name="执法人员公示与查询").click()
    page.wait_for_url("**/public/inspectors/")

    # and looks up the badge
    page.get_by_label("执法证号").fill("44030900123")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/public/inspectors/?badge=44030900123")

    # then they read who it is, of which department, and that the certificate is valid
    result = page.locator("#lookup-result").inner_text()
    assert "李明" in result and "区应急管理局" in result and "执法证在有效期内" in result

    # and a badge nobody holds is said to be unknown
    page.get_by_label("执法证号").fill("00000000")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/public/inspectors/?badge=00000000")
    assert "查无此执法证号" in page.locator("#lookup-result").inner_text()

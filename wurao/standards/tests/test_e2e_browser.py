"""On a phone (390 px): search the library, open a result, land on the article's anchor."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_on_a_phone_searches_and_opens_the_article(page, live_server, fire_code):
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(60_000)  # a loaded CI machine
    page.goto(f"{live_server.url}/standards/", wait_until="domcontentloaded")

    page.fill("#id_q", "防火门")
    page.locator("form.filter-bar button[type=submit]").click()
    page.wait_for_selector(".search-hit mark")
    assert page.locator(".search-hit").count() == 1
    page.locator(".search-hit a.hit-link").click()
    page.wait_for_selector("#c6-2-7")

    assert page.url.endswith("#c6-2-7")
    article = page.locator("#c6-2-7")
    assert "乙级防火门" in article.inner_text() and article.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

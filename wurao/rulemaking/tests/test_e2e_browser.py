"""On a phone (390 px): an enterprise opens a known conflict and reads both requirements, then
comments on an open draft and sees its comment under its enterprise's name."""

import datetime

import pytest

from conftest import login
from wurao.rulemaking.tests.factories import ConflictFactory, ConsultationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_enterprise_on_a_phone_reads_a_conflict_and_comments_on_a_draft(
    browser, live_server, enterprise_user
):
    # Given a resolved conflict in the register and a draft open for comments today
    conflict = ConflictFactory(
        topic="消防水泵房防火门等级",
        status="resolved",
        governing="b",
        resolution="专项技术规范优先适用",
        requirements=("开向建筑内的门应采用乙级防火门", "开向疏散走道的门应采用甲级防火门"),
    )
    today = datetime.date.today()
    draft = ConsultationFactory(
        title="锂电池企业安全指引修订稿",
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=20),
    )
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone.set_default_timeout(15_000)
    page = phone.new_page()
    try:
        login(page, live_server, enterprise_user.username)
        # When it opens the register and the conflict
        page.goto(f"{live_server.url}/conflicts/")
        page.get_by_role("link", name="消防水泵房防火门等级").click()
        # Then both texts show, stacked, with the one that governs marked
        first, second = page.locator("#requirement-1"), page.locator("#requirement-2")
        assert "乙级防火门" in first.inner_text() and "甲级防火门" in second.inner_text()
        assert first.bounding_box()["y"] < second.bounding_box()["y"]
        assert second.locator(".governs-badge").is_visible()
        assert "专项技术规范优先适用" in page.locator("#resolution").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # When it comments on the open draft
        page.goto(f"{live_server.url}/consultations/{draft.pk}/")
        page.fill("#id_paragraph", "第八条")
        page.fill("#id_text", "建议设置少量储存的门槛")
        page.click("#comment-submit")
        # Then the comment shows under the enterprise's name, awaiting the answer
        comment = page.locator("#comments .comment").first
        assert enterprise_user.enterprise.name in comment.locator(".commenter").inner_text()
        assert "建议设置少量储存的门槛" in comment.inner_text()
        assert enterprise_user.username not in page.locator("#comments").inner_html()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert conflict.pk
    finally:
        phone.close()

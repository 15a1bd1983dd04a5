"""Every page a role reaches reads in English once English is chosen: the only Chinese left is
what the users put in the database (names, addresses, remarks) and text marked as Chinese on
purpose (lang="zh-hans"). untranslated.py says how user data is told apart.

Needs the compiled catalogue wurao/locale/en/LC_MESSAGES/django.mo (scripts/setup runs
compilemessages).
"""

import re

import pytest

from wurao.web.tests.crawl import DEMO_ROLES, crawl
from wurao.web.tests.untranslated import UserData, database_texts, untranslated

pytestmark = pytest.mark.django_db

# The Django admin is the developers' tool: Django translates its frame, but the models' and
# fields' names are Chinese only, as the district's records are.
NOT_CHECKED = ("/admin/",)
# Proper names an English page still writes in Chinese: the platform's own name (无扰 wurao)
# and the numbers of government documents cited as they are issued (国办发〔2024〕54号).
PROPER_NAMES = re.compile(r"无扰|[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号")


def english_leftovers(html: str, user_data: UserData) -> list[str]:
    return untranslated(html, user_data, allowed=PROPER_NAMES)


def test_the_check_tells_page_words_from_user_data_and_marked_chinese():
    # Given a page with a user's data (one value cut short), a Chinese header marked as such,
    # and untranslated words
    user_data = UserData({"深圳市示例科技有限公司", "福城街道"})
    html = (
        '<html lang="en"><title>Enterprise · 无扰 wurao</title><body>'
        "<h1>深圳市示例科技有限公司</h1><p>Street: 福城街道</p><td>深圳市示例科技…</td>"
        '<td lang="zh-hans">统一社会信用代码</td>'
        '<input type="submit" value="Save"><input placeholder="搜索企业">'
        "<p>Grade 未评级 (福城街道)</p></body></html>"
    )

    # When the page is checked
    leftovers = english_leftovers(html, user_data)

    # Then only the page's own words are reported, with the user data shown as …
    assert leftovers == ["搜索企业", "Grade 未评级 (…)"]


def test_every_page_each_role_reaches_reads_in_english(demo_district):
    # Given the demo district, and each role having chosen English
    # When every role follows every link from the menus
    pages = crawl(roles=DEMO_ROLES, hostile=False, per_pattern=2, language="en")
    checked = [
        page
        for page in pages
        if page.status == 200 and page.is_html and not page.url.startswith(NOT_CHECKED)
    ]

    # Then no page has Chinese of its own once the database's text is taken out
    user_data = UserData(database_texts())
    found: dict[str, list[str]] = {}
    reported: set[str] = set()  # a fragment is listed once, at the first page showing it
    for page in checked:
        fresh = [f for f in english_leftovers(page.text, user_data) if f not in reported]
        if fresh:
            found[f"{page.role} {page.url}"] = fresh
            reported.update(fresh)
    documents = [page for page in checked if "<html" in page.text]
    assert len(documents) > 100
    assert [p.url for p in documents if '<html lang="en">' not in p.text] == []
    assert not found, (
        f"{len(reported)} untranslated fragments on {len(found)} pages:\n"
        + "\n".join(
            f"{where}\n    " + "\n    ".join(fragments) for where, fragments in found.items()
        )
    )

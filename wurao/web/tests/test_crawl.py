"""No page answers 5xx to any role on any link it can reach or any query it can send.

Every demo account and an anonymous visitor walk the demo district from "/" (crawl.py says
how, and how it is bounded); list and filter pages also get hostile query values.
"""

import pytest

from wurao.web.tests.crawl import DEMO_ROLES, crawl, describe, plain_urls, server_errors

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def crawled(demo_district, django_db_blocker):
    """One crawl of the demo district by every role, read by each test below: from "/" and
    from every page without arguments, so a page no menu links (a bookmark) is asked too."""
    with django_db_blocker.unblock():
        return crawl(roles=DEMO_ROLES, start=("/", *plain_urls()))


def test_no_page_any_role_reaches_answers_a_server_error(crawled):
    # Given the demo district; When every role follows every link from the menus and sends
    # odd values to every filter (crawled)
    failures = server_errors(crawled)

    # Then nothing answered 5xx
    assert not failures, f"{len(failures)} of {len(crawled)} fetches answered 5xx:\n" + describe(
        failures
    )


def test_no_page_answers_a_server_error_in_english_either(demo_district, django_db_blocker):
    # A translation whose placeholders differ from the Chinese fails only when rendered in
    # English: every role walks the menus once more with the language switched.
    with django_db_blocker.unblock():
        pages = crawl(roles=DEMO_ROLES, language="en", per_pattern=1, hostile=False)

    failures = server_errors(pages)
    assert not failures, (
        f"{len(failures)} of {len(pages)} English pages answered 5xx:\n" + describe(failures)
    )
    assert any(page.is_html and '<html lang="en">' in page.text for page in pages)


def test_the_crawl_reaches_each_roles_own_pages(crawled):
    # A crawl that found nothing would pass the test above: each role met its own work.
    reached = {(page.role, page.view_name) for page in crawled if page.status == 200}

    assert {
        ("sfj", "oversight:dashboard"),
        ("sfj", "oversight:burden"),
        ("sfj", "oversight:records"),
        ("sfj", "oversight:rules"),
        ("sfj", "oversight:simulator"),
        ("yjj_admin", "oversight:departments"),
        ("fucheng", "oversight:grades"),
        ("sfj", "admin:index"),
        ("sfj", "sampling:task-detail"),
        ("yjj_admin", "sampling:task-detail"),
        ("yjj_inspector", "visits:list"),
        ("fucheng", "planning_coordination:schedule"),
        ("qiye", "dossier:enterprise-detail"),
        ("anonymous", "sampling_public:task-detail"),
        ("anonymous", "disclosure:items"),
        ("anonymous", "disclosure:figures"),
        ("yjj_admin", "planning_coordination:assignments"),
    } <= reached


def test_the_crawl_sent_hostile_values_to_the_filters(crawled):
    hostile = [page for page in crawled if page.source == "hostile"]

    assert any("street=99999999999999999999" in page.url for page in hostile)
    assert any(page.url.endswith("/99999999999999999999/") for page in hostile)

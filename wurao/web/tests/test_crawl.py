"""No page answers 5xx to any role on any link it can reach or any query it can send.

Every demo account and an anonymous visitor walk the demo district from "/" (crawl.py says
how, and how it is bounded); list and filter pages also get hostile query values.
"""

import pytest

from wurao.web.tests.crawl import DEMO_ROLES, crawl, describe, server_errors

pytestmark = pytest.mark.django_db


def test_no_page_any_role_reaches_answers_a_server_error(demo_district):
    # Given the demo district and its accounts (demo_district)
    # When every role follows every link from the menus and sends odd values to every filter
    pages = crawl(roles=DEMO_ROLES)

    # Then nothing answered 5xx
    failures = server_errors(pages)
    assert not failures, f"{len(failures)} of {len(pages)} fetches answered 5xx:\n" + describe(
        failures
    )


def test_the_crawl_reaches_each_roles_pages(demo_district):
    # Given the demo district; When the crawl walks it without the hostile values
    pages = crawl(roles=DEMO_ROLES, hostile=False, per_pattern=1)

    # Then each role met its own work (so a crawl that found nothing cannot pass)
    reached = {(page.role, page.view_name) for page in pages if page.status == 200}
    assert {
        ("sfj", "oversight:dashboard"),
        ("sfj", "admin:index"),
        ("sfj", "sampling:task-detail"),
        ("yjj_admin", "sampling:task-detail"),
        ("yjj_inspector", "visits:list"),
        ("fucheng", "planning_coordination:schedule"),
        ("qiye", "registry:enterprise-detail"),
        ("anonymous", "sampling_public:task-detail"),
    } <= reached

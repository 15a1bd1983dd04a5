"""Every disclosure page, its JSON and its CSV share the public pages' rate limit per address
(wurao.common.ratelimit): one address cannot scrape the platform, another is not slowed."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, reverse

from wurao.disclosure import urls
from wurao.registry.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture(autouse=True)
def low_limit(settings):
    settings.WURAO_RATELIMITS = {**settings.WURAO_RATELIMITS, "public": f"{LIMIT}/m"}
    cache.clear()
    with time_machine.travel(
        datetime.datetime(2026, 12, 7, 1, 0, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield
    cache.clear()


def _every_disclosure_url() -> list[str]:
    department = DepartmentFactory(code="YJ")
    found = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {"code": department.code} if "code" in pattern.pattern.converters else {}
        found.append(reverse(f"disclosure:{pattern.name}", kwargs=kwargs))
    return found


@pytest.mark.parametrize("suffix", ["", "?format=json", "?format=csv"])
def test_every_disclosure_page_answers_429_past_the_public_limit(suffix):
    for n, url in enumerate(_every_disclosure_url()):
        # given an address that has read it as often as the limit allows
        client = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
        assert [client.get(url + suffix).status_code for _ in range(LIMIT)] == [200] * LIMIT, url

        # when it asks once more, it is told to wait; another address is not
        refused = client.get(url + suffix)
        assert refused.status_code == 429, url
        assert "请求过于频繁" in refused.content.decode()
        assert Client(REMOTE_ADDR="203.0.113.9").get(url + suffix).status_code == 200
        cache.clear()

"""Rate limits on what anyone may ask without signing in: the visit code check (/v/ and its
API, one count) and the public disclosure pages, per client address as the documented
deployment sees it (wurao.common.client_ip), counted in the cache every worker shares."""

import datetime
import multiprocessing
import os
import uuid

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client, override_settings

import config.settings as production
from wurao.common.cache import FileCache

pytestmark = pytest.mark.django_db

CODE_CHECK = production.WURAO_RATELIMITS["code_check"]  # as deployed: 60/m unless set
PUBLIC = production.WURAO_RATELIMITS["public"]
PAGE = "/v/ABCDEFGH/"  # a well-formed code nobody registered: the page answers 404
API = "/api/public/visits/ABCDEFGH/"


def _limit(rate: str) -> int:
    return int(rate.split("/")[0])


@pytest.fixture(autouse=True)
def production_rates(settings):
    """The rates production runs with (the test settings raise them for the other tests),
    a fresh count, and a clock that stands still inside one counting window."""
    settings.WURAO_RATELIMITS = {"code_check": CODE_CHECK, "public": PUBLIC}
    cache.clear()
    with time_machine.travel(
        datetime.datetime(2026, 12, 7, 1, 0, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield
    cache.clear()


def _use_up(client: Client, path: str, count: int, **headers) -> list[int]:
    return [client.get(path, **headers).status_code for _ in range(count)]


def test_the_code_check_answers_429_past_its_limit_on_the_page_and_the_api_together():
    # given an address that has checked codes as often as the limit allows, half by the page
    # and half by the API
    client = Client(REMOTE_ADDR="198.51.100.7")
    allowed = _limit(CODE_CHECK)
    statuses = _use_up(client, PAGE, allowed // 2) + _use_up(client, API, allowed - allowed // 2)
    assert 429 not in statuses

    # when it checks once more, by either
    page = client.get(PAGE)
    api = client.get(API)

    # then it is told, in Chinese, to come back later, and when
    assert page.status_code == api.status_code == 429
    assert "请求过于频繁" in page.content.decode()
    assert "请求过于频繁" in api.json()["detail"]
    assert 1 <= int(page["Retry-After"]) <= 60
    assert 1 <= int(api["Retry-After"]) <= 60


def test_another_address_is_not_slowed_by_one_that_reached_the_limit():
    # given one address past the limit
    _use_up(Client(REMOTE_ADDR="198.51.100.7"), PAGE, _limit(CODE_CHECK) + 1)

    # when another address checks a code
    other = Client(REMOTE_ADDR="203.0.113.9").get(PAGE)

    # then it gets the page (an unknown code's page is a 404)
    assert other.status_code == 404
    assert "该入企码无效" in other.content.decode()


@override_settings(WURAO_TRUSTED_PROXIES=0)
def test_a_forged_forwarded_for_does_not_escape_the_limit_without_a_proxy():
    # given an address past the limit, talking to the server directly
    client = Client(REMOTE_ADDR="198.51.100.7")
    _use_up(client, PAGE, _limit(CODE_CHECK) + 1)

    # when it claims to be someone else in X-Forwarded-For, a new name every time
    statuses = {client.get(PAGE, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(5)}

    # then the header changes nothing
    assert statuses == {429}


@override_settings(WURAO_TRUSTED_PROXIES=1)
def test_behind_the_proxy_each_client_counts_alone_and_a_forged_entry_changes_nothing():
    # given the documented reverse proxy (it connects from 10.0.0.2 and appends the address
    # it received the request from), and one client past the limit
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    _use_up(proxy, PAGE, _limit(CODE_CHECK) + 1, HTTP_X_FORWARDED_FOR="198.51.100.7")

    # when that client puts a made-up address in front, and another client comes through
    forged = proxy.get(PAGE, HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7")
    other = proxy.get(PAGE, HTTP_X_FORWARDED_FOR="203.0.113.9")

    # then the first is still limited and the second is not
    assert forged.status_code == 429
    assert other.status_code == 404


def test_the_public_pages_answer_429_past_their_limit():
    # given an address that has read the public pages as often as the limit allows
    client = Client(REMOTE_ADDR="198.51.100.7")
    pages = ["/public/draws/", "/public/planning/", "/public/planning/park-days/", "/public/audit/"]
    statuses = [client.get(pages[n % 4]).status_code for n in range(_limit(PUBLIC))]
    assert set(statuses) == {200}

    # when it asks for one more
    response = client.get("/public/draws/")

    # then it waits
    assert response.status_code == 429
    assert "请求过于频繁" in response.content.decode()
    assert int(response["Retry-After"]) >= 1


@pytest.mark.skipif(
    not os.environ.get("WURAO_TEST_REDIS_URL"), reason="production's Redis cache (scripts/test)"
)
def test_the_limit_holds_on_the_redis_cache_production_uses():
    # given the cache production is documented with (CACHE_URL=redis://...)
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["WURAO_TEST_REDIS_URL"],
        "KEY_PREFIX": f"test-ratelimit-{uuid.uuid4().hex}",
    }
    with override_settings(CACHES={"default": redis_cache}):
        client = Client(REMOTE_ADDR="198.51.100.7")

        # when an address checks codes past the limit
        statuses = _use_up(client, API, _limit(CODE_CHECK) + 1)

    # then the last is refused
    assert statuses[:-1] == [200] * _limit(CODE_CHECK)
    assert statuses[-1] == 429


def test_the_code_check_still_answers_when_the_cache_is_away(caplog):
    # given a cache nobody answers at (Redis stopped)
    away = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
    with override_settings(CACHES={"default": away}):
        # when an enterprise checks a code
        response = Client(REMOTE_ADDR="198.51.100.7").get(PAGE)

    # then it gets its answer, uncounted, and the log says why
    assert response.status_code == 404
    assert "该入企码无效" in response.content.decode()
    assert "not counted" in caplog.text


def _count(folder: str, key: str, times: int) -> None:
    store = FileCache(folder, {})
    for _ in range(times):
        store.incr(key)


def test_worker_processes_sharing_the_file_cache_lose_no_count(tmp_path):
    # given the default cache (files, shared by the worker processes of one machine) and a
    # counter in it
    store = FileCache(str(tmp_path), {})
    store.add("hits", 0, timeout=300)

    # when four processes count 150 requests each at the same time
    fork = multiprocessing.get_context("fork")
    workers = [fork.Process(target=_count, args=(str(tmp_path), "hits", 150)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    # then every request was counted (Django's file cache, which reads and writes without a
    # lock, loses some)
    assert [worker.exitcode for worker in workers] == [0] * 4
    assert store.get("hits") == 600

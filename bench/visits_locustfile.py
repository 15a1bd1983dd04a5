"""Locust users for bench.visits: registrations (POST /api/visits/) at a constant rate.

Run by `python -m bench.visits`, which sets:
BENCH_VISITS_FIXTURES  the accounts (tokens, officers, items) and enterprises, as JSON;
BENCH_VISITS_USER_RPS  requests a second per user (users × this = the total rate);
BENCH_VISITS_WARMUP    seconds after the start whose requests are discarded;
BENCH_VISITS_OUT       where to write every measured request (status, ms) at the end.

201 (created) and 409 (refused by the rules) are successes for locust; anything else is a
failure and its first bodies are kept.
"""

import json
import os
import random
import time

import gevent
from locust import FastHttpUser, events, task

from bench.visits_db import ENDPOINT
from bench.visits_run import registration

FIXTURES = json.loads(open(os.environ["BENCH_VISITS_FIXTURES"]).read())  # noqa: SIM115
WARMUP = float(os.environ.get("BENCH_VISITS_WARMUP", "10"))
OUT = os.environ.get("BENCH_VISITS_OUT", "")
USER_RPS = float(os.environ.get("BENCH_VISITS_USER_RPS", "1"))

records: list[tuple[int, float]] = []
error_samples: list[str] = []
refusal_rules: dict[str, int] = {}
window = {"start": time.time(), "measuring": False}


@events.test_start.add_listener
def _start(environment, **kwargs):
    def measure() -> None:
        records.clear()
        error_samples.clear()
        refusal_rules.clear()
        environment.stats.reset_all()
        window["start"] = time.time()
        window["measuring"] = True
        if OUT:
            open(f"{OUT}.measuring", "w").close()  # tells bench.visits to sample CPU time

    gevent.spawn_later(WARMUP, measure)


@events.test_stop.add_listener
def _stop(environment, **kwargs):
    if not OUT:
        return
    stop = time.time()
    entry = environment.stats.get(ENDPOINT, "POST")
    with open(OUT, "w") as f:
        json.dump(
            {
                "start": window["start"],
                "stop": stop,
                "records": records,
                "locust_p95_ms": entry.get_response_time_percentile(0.95)
                if entry.num_requests
                else None,
                "error_samples": error_samples,
                "refusal_rules": refusal_rules,
            },
            f,
            ensure_ascii=False,
        )


def poisson_arrivals(rate: float):
    """Each user sends at random times, `rate` a second on average (a Poisson process), on a
    schedule of its own: officers' phones are independent of each other. A user whose answer
    came late sends its next request at once, catching up at most one second. (locust's constant_throughput paces each user from the start of its
    previous request instead; a slow start then leaves the users in step, arriving in bursts
    of all of them at once for the rest of the run, and the same server measured p95 38 ms
    in one run and 128 ms in the next.)"""

    def wait_time(user) -> float:
        now = time.monotonic()
        user.next_send = max(getattr(user, "next_send", now), now - 1) + random.expovariate(rate)
        return max(0.0, user.next_send - now)

    return wait_time


class Registrar(FastHttpUser):
    wait_time = poisson_arrivals(USER_RPS)

    @task
    def register(self) -> None:
        account, body = registration(FIXTURES, random)
        with self.client.post(
            ENDPOINT,
            json=body,
            # gunicorn sync workers close every connection: say so, or the client waits on a
            # kept-alive socket the server has already given up.
            headers={"Authorization": f"Token {account['token']}", "Connection": "close"},
            name=ENDPOINT,
            catch_response=True,
        ) as response:
            status = response.status_code or 0
            if window["measuring"]:
                records.append((status, response.request_meta["response_time"]))
            if status in (200, 201):
                response.success()
            elif status == 409:
                response.success()
                if window["measuring"]:
                    try:
                        for v in response.json().get("violations", []):
                            rule = v.get("rule", "?") if isinstance(v, dict) else str(v)
                            refusal_rules[rule] = refusal_rules.get(rule, 0) + 1
                    except Exception:  # noqa: BLE001 — a body we cannot read is still a refusal
                        pass
            else:
                text = (response.text or "")[:300]
                if len(error_samples) < 10:
                    error_samples.append(
                        f"{status} {account['username']} {json.dumps(body, ensure_ascii=False)} -> {text}"
                    )
                response.failure(f"{status}: {text[:120]}")

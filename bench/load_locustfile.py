"""Locust users for bench.load: the platform's everyday mix at a constant total rate.

Run by `python -m bench.load`, which sets the same variables as bench.visits
(BENCH_VISITS_FIXTURES, _USER_RPS, _WARMUP, _OUT; see bench/visits_locustfile.py). Each
request picks one kind of work by its weight (LOAD_MIX in bench/load_mix.py) and records
(status, ms, kind). 2xx and the rules' 409 refusals of a registration are successes; any
other answer is an error.
"""

import json
import os
import random
import time

import gevent
from locust import FastHttpUser, events, task

from bench.load_mix import LOAD_MIX, request_for
from bench.visits_locustfile import poisson_arrivals

FIXTURES = json.loads(open(os.environ["BENCH_VISITS_FIXTURES"]).read())  # noqa: SIM115
WARMUP = float(os.environ.get("BENCH_VISITS_WARMUP", "10"))
OUT = os.environ.get("BENCH_VISITS_OUT", "")
USER_RPS = float(os.environ.get("BENCH_VISITS_USER_RPS", "1"))

records: list[tuple[int, float, str]] = []
error_samples: list[str] = []
window = {"start": time.time(), "measuring": False}
KINDS = [kind for kind, _ in LOAD_MIX]
WEIGHTS = [weight for _, weight in LOAD_MIX]


@events.test_start.add_listener
def _start(environment, **kwargs):
    def measure() -> None:
        records.clear()
        error_samples.clear()
        window["start"] = time.time()
        window["measuring"] = True
        if OUT:
            open(f"{OUT}.measuring", "w").close()  # tells the bench to sample CPU time

    gevent.spawn_later(WARMUP, measure)


@events.test_stop.add_listener
def _stop(environment, **kwargs):
    if OUT:
        with open(OUT, "w") as f:
            json.dump(
                {
                    "start": window["start"],
                    "stop": time.time(),
                    "records": records,
                    "error_samples": error_samples,
                },
                f,
                ensure_ascii=False,
            )


class Everyday(FastHttpUser):
    wait_time = poisson_arrivals(USER_RPS)

    @task
    def one(self) -> None:
        kind = random.choices(KINDS, WEIGHTS)[0]
        method, path, headers, body = request_for(kind, FIXTURES, random)
        # gunicorn sync workers close every connection: say so (see bench/visits_locustfile.py).
        headers = headers | {"Connection": "close"}
        with self.client.request(
            method, path, json=body, headers=headers, name=kind, catch_response=True
        ) as response:
            status = response.status_code or 0
            if window["measuring"]:
                records.append((status, response.request_meta["response_time"], kind))
            if 200 <= status < 300 or (kind == "register" and status == 409):
                response.success()
            else:
                if len(error_samples) < 10:
                    error_samples.append(
                        f"{status} {method} {path} -> {(response.text or '')[:300]}"
                    )
                response.failure(str(status))

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
from locust import FastHttpUser, constant_throughput, events, task

from bench.visits import ENDPOINT, registration

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


class Registrar(FastHttpUser):
    wait_time = constant_throughput(USER_RPS)

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

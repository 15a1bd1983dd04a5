"""Time the justice bureau's visit alerts over a year of a large registry.

    .venv/bin/python -m bench.alerts --json [--database-url URL] [--year 2026] [--repeat 3]

Reads the database `python -m bench.visits --keep-db` leaves (about 1,000,000 visits, most
of them in the last two years); it writes nothing. Computes every alert over the busiest
year (or --year) as the alerts page does (`visit_alerts_list`, all kinds, the whole
district), --repeat times, and prints ONE JSON object: year, visits_in_year, alerts (by
kind), and the wall and CPU seconds of each run (the first one with a cold cache).
"""

import argparse
import datetime
import json
import os
import sys
import time
from collections import Counter

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wurao_bench_visits"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--year", type=int, help="the busiest year when not given")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from wurao.accounts.scope import Scope
    from wurao.visits.models import Visit
    from wurao.visits.selectors import COUNTED_STATUSES, visit_alerts_list

    counted = Visit.objects.filter(status__in=COUNTED_STATUSES)
    years = dict(counted.annotate(y=ExtractYear("date")).values_list("y").annotate(n=Count("id")))
    if not years:
        print("no visits: run python -m bench.visits --keep-db first", file=sys.stderr)
        return 1
    year = args.year or max(years, key=years.get)
    runs, found = [], []
    for _ in range(args.repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        found = visit_alerts_list(
            scope=Scope(sees_all=True),
            date_from=datetime.date(year, 1, 1),
            date_to=datetime.date(year, 12, 31),
        )
        runs.append(
            {
                "wall_s": round(time.perf_counter() - wall, 2),
                "cpu_s": round(time.process_time() - cpu, 2),
            }
        )
    result = {
        "year": year,
        "visits_in_year": years.get(year, 0),
        "alerts": dict(Counter(str(view.alert.kind) for view in found)),
        "runs": runs,
        "best_wall_s": min(r["wall_s"] for r in runs),
    }
    if not args.json:
        print(f"{result['visits_in_year']:,} visits counted in {year}: {len(found):,} alerts")
        for n, run in enumerate(runs, 1):
            print(f"  run {n}: {run['wall_s']} s wall, {run['cpu_s']} s CPU in this process")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

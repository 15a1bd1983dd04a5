"""Time the demo district build and check it reproduces the study's figures.

    .venv/bin/python -m bench.demo_build --json [--scale 1] [--seed 2022]

Uses DATABASE_URL when set (e.g. a scratch PostgreSQL database, which must be
empty); otherwise a fresh SQLite file in a temporary directory. Migrates, builds
the demo, compares oversight_summary for 2020 with the plan, and prints ONE
JSON object: scale, seconds (the build only), entities, enterprises, actions,
figures_match, peak_rss_mb, db.
"""

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def _setup_django(database_url: str | None) -> str | None:
    """Point Django at the given database, or at a fresh SQLite file; return that file's
    directory (to delete afterwards) or None."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    directory = None
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        directory = tempfile.mkdtemp(prefix="wurao-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(directory) / 'demo.sqlite3'}"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    return directory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object (the default output too)"
    )
    args = parser.parse_args(argv)

    scratch = _setup_django(os.environ.get("DATABASE_URL"))
    from django.core.management import call_command
    from django.db import connection

    from wurao.accounts.scope import Scope
    from wurao.demo.allocation import plan_counts
    from wurao.demo.data import DEPARTMENTS, STUDY_YEAR, TOP3
    from wurao.demo.services import demo_build
    from wurao.oversight.selectors import oversight_summary

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    result = demo_build(actor="bench", scale=args.scale, seed=args.seed)
    seconds = time.perf_counter() - started

    summary = oversight_summary(scope=Scope(sees_all=True), year=STUDY_YEAR)
    expected = plan_counts(args.scale).figures()
    top3_names = {o.name for o in DEPARTMENTS if o.code in TOP3}
    top3 = sum(n for name, n in summary["by_department"].items() if name in top3_names)
    got = {
        "by_kind": summary["by_kind"],
        "total": summary["total"],
        "top3": top3,
        "district_inspections": summary["district_inspections"],
        "random_draw_inspections": summary["random_draw_inspections"],
        "joint_random_visits": summary["joint_random_visits"],
    }
    print(
        json.dumps(
            {
                "scale": args.scale,
                "seconds": round(seconds, 2),
                "entities": result.counts["entities"],
                "enterprises": result.counts["enterprises"],
                "actions": result.counts["actions_2020"],
                "figures_match": got == expected,
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "db": connection.vendor,
            },
            ensure_ascii=False,
        )
    )
    if scratch:
        connection.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The benchmark's accounts (an inspector and an administrator per department, with API
tokens), the fixtures the load reads, and the database's size figures."""

from __future__ import annotations

import argparse
import datetime
import time
import uuid
from typing import Any

from bench.visits_db import BENCH_PREFIX, visits_load


def bench_accounts(*, departments: int, today: datetime.date) -> list[dict[str, Any]]:
    """An inspector and a department administrator, with API tokens, in each of the
    `departments` enforcement departments with the most officers (valid certificates) and
    at least two active items; created once, found again on reuse."""
    from django.db.models import Count, Q

    from wurao.accounts.choices import Role
    from wurao.accounts.models import User
    from wurao.accounts.services import user_create, user_token_obtain
    from wurao.catalogue.models import InspectionItem
    from wurao.registry.models import Department, Inspector

    valid_from = today + datetime.timedelta(days=120)
    valid = Q(inspectors__active=True) & (
        Q(inspectors__certificate_valid_until__isnull=True)
        | Q(inspectors__certificate_valid_until__gte=valid_from)
    )
    chosen = (
        Department.objects.filter(is_enforcement=True)
        .annotate(officers=Count("inspectors", filter=valid, distinct=True))
        .filter(officers__gte=4)
        .order_by("-officers", "pk")
    )
    accounts = []
    for department in chosen:
        items = list(
            InspectionItem.objects.filter(department=department, active=True)
            .order_by("code")
            .values_list("code", flat=True)
        )
        if len(items) < 2:
            continue
        officers = list(
            Inspector.objects.filter(department=department, active=True)
            .filter(
                Q(certificate_valid_until__isnull=True) | Q(certificate_valid_until__gte=valid_from)
            )
            .order_by("pk")
        )
        linked = set(
            User.objects.filter(inspector__in=officers).values_list("inspector_id", flat=True)
        )
        for role in (Role.INSPECTOR, Role.DEPT_ADMIN):
            username = f"{BENCH_PREFIX}{role}_{department.code}".lower()
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    actor="bench",
                    username=username,
                    password=uuid.uuid4().hex,
                    role=role,
                    display_name=f"基准{department.name}",
                    department=department,
                    inspector=next(o for o in officers if o.pk not in linked)
                    if role == Role.INSPECTOR
                    else None,
                )
            accounts.append(
                {
                    "username": username,
                    "role": str(role),
                    "department": department.code,
                    "token": user_token_obtain(user=user),
                    "own_badge": user.inspector.badge_no if user.inspector_id else None,
                    "badges": [o.badge_no for o in officers],
                    "items": items,
                }
            )
        if len(accounts) >= 2 * departments:
            break
    return accounts


def fixtures(*, seed: int, today: datetime.date, departments: int) -> dict[str, Any]:
    """What the load generator needs: accounts with tokens, and enterprises to visit."""
    from django.db import connection

    accounts = bench_accounts(departments=departments, today=today)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT credit_code FROM registry_enterprise WHERE status = 'active' "
            "ORDER BY md5(credit_code || %s) LIMIT 20000",
            [str(seed)],
        )
        uniform = [r[0] for r in cursor.fetchall()]
        # In proportion to the stored visits: a random sample of visits, their enterprises.
        cursor.execute(
            "SELECT e.credit_code FROM visits_visit v TABLESAMPLE SYSTEM (5) REPEATABLE (%s) "
            "JOIN registry_enterprise e ON e.id = v.enterprise_id "
            "WHERE e.status = 'active' LIMIT 20000",
            [seed],
        )
        visited = [r[0] for r in cursor.fetchall()]
    return {
        "accounts": accounts,
        "uniform": uniform,
        "visited": visited,
        "today": today.isoformat(),
    }


def database_prepare(args: argparse.Namespace, today: datetime.date) -> dict[str, Any]:
    """Load the database (unless reused); return the load's figures."""
    from django.core.management import call_command
    from django.db import connection

    from wurao.demo.services import demo_build

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - started
    t = time.perf_counter()
    built = demo_build(actor="bench", scale=args.scale, seed=args.seed)
    demo_s = time.perf_counter() - t
    t = time.perf_counter()
    visits = visits_load(total=args.visits, seed=args.seed, today=today)
    visits_s = time.perf_counter() - t
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyze_s = time.perf_counter() - t
    return {
        "load_s": round(time.perf_counter() - started, 1),
        "load_parts_s": {
            "migrate": round(migrate_s, 1),
            "demo_build": round(demo_s, 1),
            "visits": round(visits_s, 1),
            "analyze": round(analyze_s, 1),
        },
        "entities": built.counts["entities"],
        "visits_load": visits,
    }


def database_figures() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM visits_visit")
        stored = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM registry_enterprise")
        entities = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
        cursor.execute("SELECT pg_total_relation_size('visits_visit')")
        visit_size = cursor.fetchone()[0]
    return {
        "stored_visits": stored,
        "entities": entities,
        "db_size_mb": round(size / 2**20),
        "visits_table_mb": round(visit_size / 2**20),
    }


# --- 2. the server ---------------------------------------------------------------------

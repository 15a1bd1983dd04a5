"""A large import's write does not hold up other writers on PostgreSQL: it locks only the rows
it writes, and the audit chain only from its last event to its commit. (SQLite has one writer:
there the others are told to retry, wurao/common/tests/test_database_busy.py.)"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from wurao.imports.services import import_run
from wurao.imports.tests.files import ENTERPRISE_HEADER, csv_bytes
from wurao.registry.models import Enterprise
from wurao.registry.services import enterprise_upsert_many
from wurao.registry.tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 20_000


def _import_writing() -> bool:
    """Another session of this database is inside a transaction that has written (has an id)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
        )
        return cursor.fetchone()[0] > 0


def test_another_write_commits_while_a_large_import_is_writing(justice_user, places):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer; see test_database_busy")
    rows = [
        [valid_credit_code(n), f"深圳市测试{n}有限公司", "企业", "福城街道"] for n in range(ROWS)
    ]
    data = csv_bytes([ENTERPRISE_HEADER[:4], *rows])
    failures = []

    def import_in_background():
        try:
            import_run(
                actor=justice_user,
                target="enterprises",
                source=data,
                filename="企业.csv",
                commit=True,
            )
        except Exception as exc:  # reported by the assertion below
            failures.append(exc)
        finally:
            connections.close_all()

    # Given an import of 20,000 enterprises, once it has begun writing
    importer = threading.Thread(target=import_in_background)
    importer.start()
    deadline = time.monotonic() + 120
    while not _import_writing():
        assert importer.is_alive() and time.monotonic() < deadline, "the import never wrote"
        time.sleep(0.01)

    # When another writer adds an enterprise to the same table and an event to the audit chain,
    # refusing to wait more than a second for any lock
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
        enterprise_upsert_many(
            actor="sfj",
            rows=[
                {
                    "credit_code": valid_credit_code(ROWS + 1),
                    "name": "深圳市另一家有限公司",
                    "street_id": places["fucheng"].pk,
                }
            ],
            fields=frozenset({"name", "street_id"}),
        )
    still_importing = _import_writing()
    importer.join(timeout=300)

    # Then it committed at once, while the import was still writing, and both are whole.
    assert still_importing
    assert failures == []
    assert Enterprise.objects.count() == ROWS + 1

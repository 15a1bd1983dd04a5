"""Change tokens (wurao/registry/versions.py): every committed write to a tracked table,
whatever makes it, gives the table a new token, so that a cached read is never served
stale. Most tests here commit (transaction=True): the tokens change at commit."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction

from wurao.registry.models import Enterprise, Street, TableVersion
from wurao.registry.tests.factories import EnterpriseFactory, RiskTagFactory, StreetFactory
from wurao.registry.versions import cached_call, cached_read, tables_token

ENTERPRISES = Enterprise._meta.db_table


def token() -> str | None:
    return tables_token([ENTERPRISES])


class Spy:
    """A compute() that counts how often it was called."""

    def __init__(self, queryset):
        self.queryset = queryset
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.queryset.count()


@pytest.mark.django_db(transaction=True)
def test_every_kind_of_committed_write_gives_the_table_a_new_token():
    # given an enterprise, and the token of its table
    street = StreetFactory()
    enterprise = EnterpriseFactory(street=street)
    seen = {token()}

    def changed() -> bool:
        now = token()
        fresh = now is not None and now not in seen
        seen.add(now)
        return fresh

    # when it is written by the ORM, in bulk, in plain SQL and through a risk-tag link,
    # then each write leaves a token not seen before
    enterprise.name = "深圳市改名科技有限公司"
    enterprise.save()
    assert changed()
    Enterprise.objects.filter(pk=enterprise.pk).update(employees=12)
    assert changed()
    Enterprise.objects.bulk_create([EnterpriseFactory.build(street=street)])
    assert changed()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ENTERPRISES} WHERE id = %s", [enterprise.pk])
    assert changed()
    links = [Enterprise.risk_tags.through._meta.db_table]
    before = tables_token(links)
    Enterprise.objects.first().risk_tags.add(RiskTagFactory())
    assert tables_token(links) not in (before, None)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_leaves_the_token_and_the_next_write_brings_a_new_one():
    # given the token before a write that is rolled back
    street = StreetFactory()
    before = token()
    with pytest.raises(RuntimeError), transaction.atomic():
        EnterpriseFactory(street=street)
        inside = token()
        raise RuntimeError

    # then the token is the one before, and the next write's token is another
    assert token() == before
    EnterpriseFactory(street=street)
    assert token() not in (before, inside, None)


@pytest.mark.django_db(transaction=True)
def test_a_cached_read_is_computed_again_after_a_write():
    # given a read cached while the street holds one enterprise
    street = StreetFactory()
    EnterpriseFactory(street=street)
    counted = Enterprise.objects.filter(street=street)
    spy = Spy(counted)
    assert cached_read(namespace="test", statement=counted, compute=spy) == 1

    # when it is read again, then it comes from the cache
    assert cached_read(namespace="test", statement=counted, compute=spy) == 1
    assert spy.calls == 1

    # when an enterprise is added, then the next read counts it
    EnterpriseFactory(street=street)
    assert cached_read(namespace="test", statement=counted, compute=spy) == 2
    assert spy.calls == 2


@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_writing_transaction_sees_its_writes_and_not_after_a_rollback():
    # given a read cached with one enterprise in the street
    street = StreetFactory()
    EnterpriseFactory(street=street)
    counted = Enterprise.objects.filter(street=street)
    assert cached_read(namespace="test", statement=counted, compute=Spy(counted)) == 1

    # when a transaction adds one and reads, twice, then rolls back
    inside = []
    with pytest.raises(RuntimeError), transaction.atomic():
        EnterpriseFactory(street=street)
        for _ in range(2):
            inside.append(cached_read(namespace="test", statement=counted, compute=Spy(counted)))
        raise RuntimeError

    # then inside it counted its own enterprise, and afterwards the read is as before
    assert inside == [2, 2]
    assert cached_read(namespace="test", statement=counted, compute=Spy(counted)) == 1


@pytest.mark.django_db
def test_a_read_of_a_table_without_a_token_is_never_cached():
    # given a table without triggers (sessions) read through cached_read
    spy = Spy(Session.objects.all())

    # when it is read twice, then it is computed twice
    cached_read(namespace="test", statement=Session.objects.all(), compute=spy)
    cached_read(namespace="test", statement=Session.objects.all(), compute=spy)
    assert spy.calls == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tokens_first", [True, False])
def test_a_flush_never_brings_back_what_was_cached_before_it(tokens_first):
    # given a count of streets cached while there is one
    StreetFactory()
    streets = Street.objects.all()
    assert cached_read(namespace="test", statement=streets, compute=Spy(streets)) == 1

    # when the tokens and the streets are deleted, in either order, as a flush does
    deletes = [TableVersion.objects.all().delete, Street.objects.all().delete]
    for delete in deletes if tokens_first else reversed(deletes):
        delete()

    # then the count is read anew (under a new token, or none: then it is not cached)
    assert cached_read(namespace="test", statement=streets, compute=Spy(streets)) == 0


@pytest.mark.django_db(transaction=True)
def test_a_cached_call_learns_its_tables_then_keeps_its_answer_until_one_changes():
    # given a read of two statements over tracked tables (written once, so that both have a
    # token after an earlier test's flush), and one over an untracked table
    EnterpriseFactory()
    tracked = Spy(Street.objects.all())
    untracked = Spy(Session.objects.all())

    def both() -> tuple[int, int]:
        return tracked(), Enterprise.objects.count()

    # when each is called four times
    for _ in range(4):
        cached_call(namespace="test", key="tracked", compute=both)
        cached_call(namespace="test", key="untracked", compute=untracked)

    # then the tracked one ran twice (learning its tables, then keeping its answer), the
    # untracked one every time
    assert tracked.calls == 2
    assert untracked.calls == 4

    # when an enterprise is added, then the next call runs again and answers anew
    EnterpriseFactory(street=Street.objects.first())
    assert cached_call(namespace="test", key="tracked", compute=both) == (1, 2)
    assert tracked.calls == 3

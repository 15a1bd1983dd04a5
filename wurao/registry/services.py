"""Writes to the registry (两库): enterprises and inspectors in bulk, as imports need them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from wurao.audit.services import audit_record
from wurao.registry.models import Enterprise, Inspector

# SQLite's default limit of bound parameters is 999; stay under it for key look-ups.
LOOKUP_CHUNK = 900
WRITE_BATCH = 1000
AUDIT_KEYS_CAP = 1000

ENTERPRISE_FIELDS = frozenset(
    {
        "name", "kind", "address", "street_id", "community_id", "park_id", "industry_section", "industry_code",
        "above_scale", "four_above", "size_class", "risk_tags", "established", "status", "employees",
    }
)  # fmt: skip
INSPECTOR_FIELDS = frozenset(
    {"name", "department_id", "expertise", "certificate_valid_until", "active"}
)


@dataclass
class UpsertResult:
    """What an upsert did (or, in a dry run, would do), by record key."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    def audit_payload(self) -> dict[str, Any]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "changed": len(self.created) + len(self.updated),
            "created_keys": self.created[:AUDIT_KEYS_CAP],
            "created_keys_more": max(len(self.created) - AUDIT_KEYS_CAP, 0),
            "updated_keys": self.updated[:AUDIT_KEYS_CAP],
            "updated_keys_more": max(len(self.updated) - AUDIT_KEYS_CAP, 0),
        }


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _normalised(value: Any) -> Any:
    # Tag sets arrive as frozensets, JSON lists compare as lists.
    return set(value) if isinstance(value, frozenset | set) else value


@transaction.atomic
def bulk_upsert(
    *,
    actor: Any,
    model: type[models.Model],
    key: str,
    rows: Sequence[Mapping[str, Any]],
    fields: frozenset[str],
    verb: str,
    source: Mapping[str, Any] | None = None,
    dry_run: bool = False,
) -> UpsertResult:
    """Create or update records by a unique key, touching only rows whose values differ.

    `rows` carry the key and exactly `fields` (attnames; many-to-many fields as sets of
    ids). Fields not listed are left as they are on existing records and take their
    defaults on new ones. One audit event records the whole run, unless `dry_run`.
    Shared by the catalogue's item import.
    """
    m2m = sorted(f for f in fields if isinstance(model._meta.get_field(f), models.ManyToManyField))
    scalar = sorted(fields - set(m2m))
    keys = [row[key] for row in rows]
    if len(set(keys)) != len(keys):
        raise ValueError(
            f"{model.__name__} rows repeat a {key}; duplicates must be rejected before the upsert"
        )

    existing: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(keys, LOOKUP_CHUNK):
        for record in model._default_manager.filter(**{f"{key}__in": chunk}).values(
            "pk", key, *scalar
        ):
            existing[record[key]] = record
    links = {name: _links_load(model, name, [r["pk"] for r in existing.values()]) for name in m2m}

    result = UpsertResult()
    to_create: list[models.Model] = []
    updates_by_fields: dict[tuple[str, ...], list[models.Model]] = defaultdict(list)
    # Many-to-many field -> record key -> the ids it should link to.
    link_changes: dict[str, dict[str, set[int]]] = {name: {} for name in m2m}
    for row in rows:
        row_key = row[key]
        current = existing.get(row_key)
        if current is None:
            to_create.append(model(**{key: row_key}, **{f: row[f] for f in scalar}))
            for name in m2m:
                if row[name]:
                    link_changes[name][row_key] = set(row[name])
            result.created.append(row_key)
            continue
        changed = tuple(f for f in scalar if _normalised(current[f]) != _normalised(row[f]))
        changed_links = [n for n in m2m if links[n].get(current["pk"], set()) != set(row[n])]
        if changed:
            updates_by_fields[changed].append(
                model(pk=current["pk"], **{f: row[f] for f in changed})
            )
        for name in changed_links:
            link_changes[name][row_key] = set(row[name])
        if changed or changed_links:
            result.updated.append(row_key)
        else:
            result.unchanged += 1
    if dry_run:
        return result

    model._default_manager.bulk_create(to_create, batch_size=WRITE_BATCH)
    for changed, objs in updates_by_fields.items():
        model._default_manager.bulk_update(objs, list(changed), batch_size=WRITE_BATCH)
    if any(link_changes.values()):
        pks = {k: r["pk"] for k, r in existing.items()}
        created_keys = [k for k in result.created if any(k in c for c in link_changes.values())]
        for chunk in _chunks(created_keys, LOOKUP_CHUNK):
            pks.update(
                model._default_manager.filter(**{f"{key}__in": chunk}).values_list(key, "pk")
            )
        for name, wanted in link_changes.items():
            _links_set(model, name, {pks[k]: ids for k, ids in wanted.items()}, links[name])
    audit_record(
        actor=actor,
        verb=verb,
        object_type=model._meta.label_lower,
        payload={
            "rows": len(rows),
            "fields": sorted(fields),
            **result.audit_payload(),
            "source": dict(source or {}),
        },
    )
    return result


def _through(model: type[models.Model], name: str) -> tuple[type[models.Model], str, str]:
    relation = model._meta.get_field(name)
    through = relation.remote_field.through
    return through, f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id"


def _links_load(model: type[models.Model], name: str, pks: list[int]) -> dict[int, set[int]]:
    through, source, target = _through(model, name)
    links: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(pks, LOOKUP_CHUNK):
        for owner, other in through.objects.filter(**{f"{source}__in": chunk}).values_list(
            source, target
        ):
            links[owner].add(other)
    return links


def _links_set(
    model: type[models.Model], name: str, wanted: dict[int, set[int]], current: dict[int, set[int]]
) -> None:
    """Make each owner's links exactly `wanted`, through the through table in bulk."""
    through, source, target = _through(model, name)
    to_add = [
        through(**{source: owner, target: other})
        for owner, ids in wanted.items()
        for other in ids - current.get(owner, set())
    ]
    stale = [
        (owner, current[owner] - ids)
        for owner, ids in wanted.items()
        if current.get(owner, set()) - ids
    ]
    # Few owners per query: each brings its own ids as parameters.
    for chunk in _chunks(stale, 50):
        doomed = models.Q()
        for owner, ids in chunk:
            doomed |= models.Q(**{source: owner, f"{target}__in": sorted(ids)})
        through.objects.filter(doomed).delete()
    through.objects.bulk_create(to_add, batch_size=WRITE_BATCH)


def _check_fields(fields: frozenset[str], allowed: frozenset[str], what: str) -> None:
    if unknown := fields - allowed:
        raise ValueError(f"{what} import cannot write {sorted(unknown)}")


@transaction.atomic
def enterprise_upsert_many(
    *,
    actor: Any,
    rows: Sequence[Mapping[str, Any]],
    fields: frozenset[str],
    source: Mapping[str, Any] | None = None,
    dry_run: bool = False,
) -> UpsertResult:
    """Create or update enterprises by unified social credit code (already validated and unique)."""
    _check_fields(fields, ENTERPRISE_FIELDS, "Enterprise")
    return bulk_upsert(
        actor=actor,
        model=Enterprise,
        key="credit_code",
        rows=rows,
        fields=fields,
        verb="enterprise.import",
        source=source,
        dry_run=dry_run,
    )


@transaction.atomic
def inspector_upsert_many(
    *,
    actor: Any,
    rows: Sequence[Mapping[str, Any]],
    fields: frozenset[str],
    source: Mapping[str, Any] | None = None,
    dry_run: bool = False,
) -> UpsertResult:
    """Create or update inspectors by badge number."""
    _check_fields(fields, INSPECTOR_FIELDS, "Inspector")
    return bulk_upsert(
        actor=actor,
        model=Inspector,
        key="badge_no",
        rows=rows,
        fields=fields,
        verb="inspector.import",
        source=source,
        dry_run=dry_run,
    )

import json
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from wurao.accounts.scope import Scope
from wurao.catalogue import selectors as catalogue_selectors
from wurao.catalogue.models import InspectionItem
from wurao.common import rawsql
from wurao.credit.models import EnterpriseGrade
from wurao.enforcement import selectors as enforcement_selectors
from wurao.registry import selectors as registry_selectors
from wurao.registry.models import Department, Enterprise, Inspector
from wurao.visits import alerts as visit_alerts
from wurao.visits import rules as visit_rules
from wurao.visits.choices import CodeState, VisitKind, VisitStatus
from wurao.visits.models import (
    ClientRequest,
    Visit,
    VisitRating,
    VisitRefusal,
    VisitRuleVersion,
    visit_code_normalise,
)

# Visits that happened or will happen: what caps, quiet periods and statistics count.
COUNTED_STATUSES = (VisitStatus.REGISTERED, VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED)


def rules_version_current(*, as_of: date | None = None) -> VisitRuleVersion | None:
    as_of = as_of or timezone.localdate()
    return VisitRuleVersion.objects.filter(effective_from__lte=as_of).order_by("-version").first()


_rules_cache: dict[date, tuple[float, visit_rules.VisitRules]] = {}


def rules_current(*, as_of: date | None = None) -> visit_rules.VisitRules:
    """The rules in force on a date; the built-in defaults until the bureau publishes any.

    Every registration reads them, and they change a few times a year: each process keeps
    them for VISIT_RULES_CACHE_SECONDS (publishing clears this process's copy at once)."""
    as_of = as_of or timezone.localdate()
    ttl = settings.VISIT_RULES_CACHE_SECONDS
    hit = _rules_cache.get(as_of)
    if hit and time.monotonic() - hit[0] < ttl:
        return hit[1]
    row = rules_version_current(as_of=as_of)
    if row is None:
        rules = visit_rules.default_rules()
    else:
        rules = visit_rules.rules_from_json(
            row.rules, version=row.version, effective_from=row.effective_from
        )
    if ttl > 0:
        _rules_cache[as_of] = (time.monotonic(), rules)
    return rules


def rules_cache_clear() -> None:
    _rules_cache.clear()


def rules_versions() -> QuerySet[VisitRuleVersion]:
    return VisitRuleVersion.objects.select_related("created_by").order_by("-version")


def enterprise_grade(*, enterprise_id: int) -> tuple[str, dict | None]:
    """The enterprise's grade ("U" when not graded) and what the grade means in the credit
    table that graded it ([grading]): the department cap and quiet period come from there."""
    row = (
        EnterpriseGrade.objects.filter(enterprise_id=enterprise_id)
        .values_list("grade", "table_version__table__effects")
        .first()
    )
    if row is None:
        return "U", None
    grade, effects = row
    # What the grade means is what the table that gave it says (the grade records it).
    return grade, (effects or {}).get(grade)


@dataclass(frozen=True)
class Locked:
    """What a registration learns while it holds the enterprise's row lock."""

    existing_visit_id: int | None  # the visit registered earlier under the same client id
    grade: str
    grade_effect: dict | None


# The two statements every registration runs while it holds the enterprise's lock are
# written out in SQL: building them with the ORM cost 2.3 ms of CPU a registration (the
# lock's three subqueries 1.4 ms), more than the rest of its reads together; as SQL they
# cost 0.4 ms. Both run on SQLite and PostgreSQL; the tests of the rules run them on both.


def _grade_effect_sql() -> str:
    """What the credit table that graded the enterprise says its grade means, as JSON text,
    from `g` (credit_enterprisegrade) joined to `t` (credit_pointstableversion)."""
    if connection.vendor == "postgresql":
        return """t."table" -> 'effects' ->> g.grade"""
    return """json_extract(t."table", '$.effects.' || g.grade)"""


@dataclass(frozen=True)
class RegistrationLookup:
    """What a registration names, found by its codes: whether this user already sent this
    client id (the ClientRequest's id), the enterprise (locked, with its grade and any visit
    registered under the client id), and the officers and items by code (a code not found is
    missing from the dict)."""

    earlier_request_id: int | None
    enterprise: Enterprise | None
    locked: Locked | None  # what enterprise_lock reads (None for an unknown enterprise)
    officers: dict[str, Inspector]
    items: dict[str, InspectionItem]


_DEPARTMENT_COLUMNS = ("id", "code", "name", "level", "is_enforcement")


def registration_lookup(
    *, user_id: int, client_id, credit_code: str, badges: list[str], item_codes: list[str]
) -> RegistrationLookup:
    """Everything a registration from the API reads before it judges, in one statement (see
    the note above): four look-ups, one row each for what was found, as JSON; the enterprise
    locked as `enterprise_lock` locks it, with what that reads. Call inside the transaction
    that registers. Officers and items come with their department; any department's, and
    withdrawn items too, so that the checks can say what is wrong with them. Fields not read
    here load on access."""
    if connection.vendor == "postgresql":
        obj, codes = "json_build_object", "= ANY(%s::text[])"
        as_text = "::text"  # JSON as text from both databases
        lock = "FOR UPDATE"
        badge_param, item_param = list(badges), list(item_codes)
    else:  # SQLite: the transaction holds the whole database (BEGIN IMMEDIATE)
        obj, codes = "json_object", "IN (SELECT value FROM json_each(%s))"
        as_text = ""
        lock = ""
        badge_param, item_param = json.dumps(badges), json.dumps(item_codes)
    department = ", ".join(f"'d_{c}', d.{c}" for c in _DEPARTMENT_COLUMNS)
    client = ClientRequest._meta.get_field("client_id").get_db_prep_value(client_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH e AS (
                SELECT id, credit_code, name FROM registry_enterprise WHERE credit_code = %s
                {lock}
            )
            SELECT 'c', {obj}('id', r.id){as_text} FROM visits_clientrequest r
            WHERE r.user_id = %s AND r.client_id = %s
            UNION ALL
            SELECT 'e', {obj}('id', e.id, 'credit_code', e.credit_code, 'name', e.name,
                'visit', (SELECT v.id FROM visits_visit v WHERE v.client_id = %s),
                'grade', g.grade, 'effect', {_grade_effect_sql()}){as_text}
            FROM e
            LEFT JOIN credit_enterprisegrade g ON g.enterprise_id = e.id
            LEFT JOIN credit_pointstableversion t ON t.id = g.table_version_id
            UNION ALL
            SELECT 'o', {obj}('id', o.id, 'badge_no', o.badge_no, 'name', o.name,
                'certificate_valid_until', o.certificate_valid_until, 'active', o.active,
                {department}){as_text}
            FROM registry_inspector o JOIN registry_department d ON d.id = o.department_id
            WHERE o.badge_no {codes}
            UNION ALL
            SELECT 'i', {obj}('id', i.id, 'code', i.code, 'name', i.name, 'law', i.law,
                'article', i.article, 'active', i.active, {department}){as_text}
            FROM catalogue_inspectionitem i JOIN registry_department d ON d.id = i.department_id
            WHERE i.code {codes}
            """,
            [credit_code, user_id, client, client, badge_param, item_param],
        )
        rows = [(kind, json.loads(text)) for kind, text in cursor.fetchall()]
    departments: dict[int, Department] = {}

    def with_department(model, row: dict, **values):
        d = row["d_id"]
        if d not in departments:
            columns = {c: row[f"d_{c}"] for c in _DEPARTMENT_COLUMNS}
            columns["is_enforcement"] = bool(columns["is_enforcement"])  # SQLite: 0 or 1
            departments[d] = rawsql.loaded(Department, columns)
        instance = rawsql.loaded(
            model, values | {"department_id": d, "active": bool(row["active"])}
        )
        instance.department = departments[d]
        return instance

    earlier, enterprise, locked, officers, items = None, None, None, {}, {}
    for kind, row in rows:
        if kind == "c":
            earlier = row["id"]
        elif kind == "e":
            effect = row.pop("effect")  # JSON text, or (SQLite) already nested
            locked = Locked(
                row.pop("visit"),
                row.pop("grade") or "U",
                json.loads(effect) if isinstance(effect, str) else effect,
            )
            enterprise = rawsql.loaded(Enterprise, row)
        elif kind == "o":
            valid_until = row["certificate_valid_until"]
            officers[row["badge_no"]] = with_department(
                Inspector,
                row,
                id=row["id"],
                badge_no=row["badge_no"],
                name=row["name"],
                certificate_valid_until=valid_until and date.fromisoformat(valid_until),
            )
        else:
            columns = ("id", "code", "name", "law", "article")
            items[row["code"]] = with_department(
                InspectionItem, row, **{c: row[c] for c in columns}
            )
    return RegistrationLookup(earlier, enterprise, locked, officers, items)


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)  # SQLite: text


def enterprise_lock(*, enterprise_id: int, client_id=None) -> Locked:
    """Lock the enterprise's row until the transaction ends (registrations for one enterprise
    are judged one at a time) and read, in the same statement, its grade with what the table
    that gave it says the grade means, and the visit an earlier attempt with this client id
    registered. Call inside a transaction."""
    # SQLite needs no row lock: a transaction holds the whole database (BEGIN IMMEDIATE).
    lock = "FOR UPDATE OF e" if connection.vendor == "postgresql" else ""
    client = Visit._meta.get_field("client_id").get_db_prep_value(client_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT (SELECT v.id FROM visits_visit v WHERE v.client_id = %s), g.grade,
                   {_grade_effect_sql()}
            FROM registry_enterprise e
            LEFT JOIN credit_enterprisegrade g ON g.enterprise_id = e.id
            LEFT JOIN credit_pointstableversion t ON t.id = g.table_version_id
            WHERE e.id = %s
            {lock}
            """,
            [client, enterprise_id],
        )
        existing, grade, effect_json = cursor.fetchone()
    # The effect comes as JSON text from both databases (->> and json_extract).
    return Locked(existing, grade or "U", json.loads(effect_json) if effect_json else None)


def enterprise_limits(
    *, enterprise_id: int, rules: visit_rules.VisitRules
) -> tuple[str, visit_rules.GradeLimits]:
    grade, effect = enterprise_grade(enterprise_id=enterprise_id)
    return grade, rules.grade_limits(grade, effect)


def matter_key(item) -> str:
    """What an item checks, whichever department's list names it: its legal basis. Two
    levels citing the same article check the same thing."""
    return _matter(item.law, item.article, item.name)


def _matter(law: str, article: str, name: str) -> str:
    return f"{law}{article}" if article else f"{law}·{name}"


def enterprise_history(
    *, enterprise_id: int, around: date, exclude_pk: int | None = None
) -> list[visit_rules.PastVisit]:
    """The enterprise's counted visits that a rule may look at for a visit on `around`: the
    calendar year, the quiet period before it and the duplicate window on either side."""
    start = min(date(around.year, 1, 1), date.fromordinal(around.toordinal() - 366))
    end = date.fromordinal(around.toordinal() + 366)
    # One statement of plain rows (a visit's row once per department × item; an enterprise
    # has a few visits a year), in SQL (see enterprise_lock).
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT v.id, v.code, v.date, v.kind, v.origin, v.status, vd.department_id,
                   i.law, i.article, i.name, d.level
            FROM visits_visit v
            LEFT JOIN visits_visit_departments vd ON vd.visit_id = v.id
            LEFT JOIN visits_visit_items vi ON vi.visit_id = v.id
            LEFT JOIN catalogue_inspectionitem i ON i.id = vi.inspectionitem_id
            LEFT JOIN registry_department d ON d.id = i.department_id
            WHERE v.enterprise_id = %s AND v.date >= %s AND v.date <= %s
              AND v.status IN (%s, %s, %s) AND v.id <> %s
            """,
            [
                enterprise_id,
                connection.ops.adapt_datefield_value(start),
                connection.ops.adapt_datefield_value(end),
                *map(str, COUNTED_STATUSES),
                exclude_pk or 0,
            ],
        )
        rows = cursor.fetchall()
    visits: dict[int, tuple] = {}
    departments: dict[int, set[int]] = {}
    matters: dict[int, set[tuple[str, str]]] = {}
    for pk, code, day, kind, origin, status, department, law, article, name, level in rows:
        if pk not in visits:
            visits[pk] = (code, _day(day), kind, origin, status)
            departments[pk], matters[pk] = set(), set()
        if department is not None:
            departments[pk].add(department)
        if law is not None:
            matters[pk].add((_matter(law, article, name), level))
    today = timezone.localdate()
    past = []
    for pk, (code, day, kind, origin, status) in visits.items():
        past.append(
            visit_rules.PastVisit(
                code=code,
                date=day,
                departments=frozenset(departments[pk]),
                matters=frozenset(matters[pk]),
                inspection=kind == VisitKind.INSPECTION,
                joint=len(departments[pk]) > 1 or origin == "joint",
                # Not started and not past its day: another department may still join it.
                open=status == VisitStatus.REGISTERED and day >= today,
            )
        )
    return past


def visit_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[Visit]:
    """Visits a user may see: a department those it took part in, a street those in its
    area, an enterprise those to itself, the justice bureau all."""
    qs = Visit.objects.select_related("enterprise", "department")
    if scope.sees_nothing:
        return qs.none()
    if scope.department_id:
        qs = qs.filter(departments=scope.department_id)
    elif scope.street_id:
        qs = qs.filter(enterprise__street_id=scope.street_id)
    elif scope.enterprise_id:
        qs = qs.filter(enterprise_id=scope.enterprise_id)
    filters = filters or {}
    for key in ("kind", "origin", "status", "enterprise", "after_the_fact"):
        value = filters.get(key)
        if value not in (None, ""):
            qs = qs.filter(**{key: value})
    if department := filters.get("department"):
        qs = qs.filter(departments=department)
    if year := filters.get("year"):
        qs = qs.filter(date__year=year)
    if start := filters.get("date_from"):
        qs = qs.filter(date__gte=start)
    if end := filters.get("date_to"):
        qs = qs.filter(date__lte=end)
    if filters.get("overridden"):
        qs = qs.exclude(override_reason="")
    return qs


def non_enforcement_list(*, scope: Scope, filters: dict | None = None) -> QuerySet[Visit]:
    """Non-enforcement visits that took place (工会, 妇联, 党建, 社区...): the study counts
    them as burden on the enterprise too."""
    filters = {**(filters or {}), "kind": VisitKind.NON_ENFORCEMENT}
    return visit_list(scope=scope, filters=filters).filter(status__in=COUNTED_STATUSES)


def visit_get(*, scope: Scope, code: str) -> Visit:
    """One visit by its code, as far as the user may see it (Visit.DoesNotExist otherwise)."""
    return visit_list(scope=scope).get(code=visit_code_normalise(code))


def override_queue(*, scope: Scope) -> QuerySet[Visit]:
    return visit_list(scope=scope, filters={"status": VisitStatus.PENDING_OVERRIDE}).order_by(
        "registered_at"
    )


def visit_unready(visit: Visit) -> list[str]:
    """What an inspection still lacks before the officers may check in: the approval, and at
    least `min_officers` officers from every department on it. A joint visit the street
    confirmed from the plans starts with neither; each department names its officers later.
    Reads the visit's departments and officers (prefetch them for a list)."""
    if visit.kind != VisitKind.INSPECTION:
        return []
    missing = []
    if not visit.approver:
        missing.append(f"尚无行政检查审批：由牵头单位{visit.department.name}填写")
    least = rules_current(as_of=visit.date).min_officers
    sent = Counter(o.department_id for o in visit.officers.all())
    missing += [
        f"{d.name}尚未指派执法人员（至少 {least} 人）"
        for d in visit.departments.all()
        if sent[d.pk] < least
    ]
    return missing


@dataclass(frozen=True)
class CodeCheck:
    """What anyone who enters or scans a code is told (public, no login)."""

    state: CodeState
    visit: Visit | None

    @property
    def may_enter(self) -> bool:
        return self.state in (CodeState.VALID, CodeState.IN_PROGRESS)


def visit_code_check(*, raw: str, today: date | None = None) -> CodeCheck:
    code = visit_code_normalise(raw)
    visit = (
        Visit.objects.select_related("enterprise", "department")
        .prefetch_related("officers", "items", "departments")
        .filter(code=code)
        .first()
        if code
        else None
    )
    if visit is None:
        return CodeCheck(CodeState.UNKNOWN, None)
    today = today or timezone.localdate()
    status = visit.status
    if status == VisitStatus.CANCELLED:
        state = CodeState.CANCELLED
    elif status in (VisitStatus.PENDING_OVERRIDE, VisitStatus.REJECTED):
        state = CodeState.PENDING if status == VisitStatus.PENDING_OVERRIDE else CodeState.CANCELLED
    elif status == VisitStatus.IN_PROGRESS:
        state = CodeState.IN_PROGRESS
    elif status == VisitStatus.COMPLETED:
        state = CodeState.COMPLETED
    elif visit.date > today:
        state = CodeState.NOT_YET
    elif visit.date < today:
        state = CodeState.EXPIRED
    elif visit_unready(visit):
        state = CodeState.INCOMPLETE
    else:
        state = CodeState.VALID
    return CodeCheck(state, visit)


@dataclass(frozen=True)
class CapUse:
    department: str
    used: int
    cap: int | None


@dataclass(frozen=True)
class EnterpriseCounts:
    """An enterprise's year against its caps: what the portal shows."""

    year: int
    grade: str
    limits: visit_rules.GradeLimits
    inspections: int
    non_enforcement: int
    by_department: list[CapUse]
    exempt_inspections: int


def enterprise_counts(*, enterprise_id: int, year: int) -> EnterpriseCounts:
    rules = rules_current()
    grade, limits = enterprise_limits(enterprise_id=enterprise_id, rules=rules)
    visits = Visit.objects.filter(
        enterprise_id=enterprise_id, date__year=year, status__in=COUNTED_STATUSES
    )
    inspections = visits.filter(kind=VisitKind.INSPECTION)
    by_department = (
        inspections.values("departments__name")
        .annotate(n=Count("id"))
        .order_by("-n", "departments__name")
    )
    return EnterpriseCounts(
        year=year,
        grade=grade,
        limits=limits,
        inspections=inspections.count(),
        non_enforcement=visits.filter(kind=VisitKind.NON_ENFORCEMENT).count(),
        by_department=[
            CapUse(row["departments__name"], row["n"], limits.department_cap)
            for row in by_department
        ],
        exempt_inspections=inspections.filter(origin__in=sorted(rules.exempt_origins)).count(),
    )


@dataclass(frozen=True)
class RatingSummary:
    department: str
    count: int
    average: float | None
    tags: dict[str, int]
    hidden: bool  # fewer ratings than the minimum: a department sees nothing


def rating_summary(*, scope: Scope, filters: dict | None = None) -> list[RatingSummary]:
    """Ratings per department. A department sees only its own aggregate, and only over at
    least `rating_min_count` ratings (k-anonymity); the justice bureau sees every department."""
    minimum = rules_current().rating_min_count
    ratings = VisitRating.objects.all()
    if filters and (year := filters.get("year")):
        ratings = ratings.filter(visit__date__year=year)
    if not scope.sees_all:
        if not scope.department_id:
            return []
        ratings = ratings.filter(visit__departments=scope.department_id)
    rows = (
        ratings.values("visit__departments", "visit__departments__name")
        .annotate(n=Count("id", distinct=True), avg=Avg("score"))
        .order_by("visit__departments__name")
    )
    if scope.department_id:
        rows = rows.filter(visit__departments=scope.department_id)
    summaries = []
    for row in rows:
        hidden = row["n"] < minimum and not scope.sees_all
        tags: dict[str, int] = {}
        if not hidden:
            for tag_list in ratings.filter(
                visit__departments=row["visit__departments"]
            ).values_list("tags", flat=True):
                for tag in tag_list:
                    tags[tag] = tags.get(tag, 0) + 1
        summaries.append(
            RatingSummary(
                department=row["visit__departments__name"],
                count=row["n"],
                average=None if hidden else round(row["avg"], 2),
                tags=tags,
                hidden=hidden,
            )
        )
    return summaries


def ratings_list(*, scope: Scope) -> QuerySet[VisitRating]:
    """Individual ratings: the justice bureau only."""
    if not scope.sees_all:
        return VisitRating.objects.none()
    return VisitRating.objects.select_related("visit", "visit__enterprise", "visit__department")


def override_list(*, scope: Scope, year: int | None = None) -> QuerySet[Visit]:
    """Registrations that broke a rule with a reason and a second approver: shown on the
    oversight page."""
    qs = visit_list(scope=scope, filters={"overridden": True, "year": year})
    return qs.select_related("override_approved_by", "registered_by")


def visits_pending_rating(*, enterprise_id: int) -> QuerySet[Visit]:
    """Finished visits the enterprise has not rated and may still rate (VISIT_RATING_DAYS)."""
    since = timezone.localdate() - timedelta(days=settings.VISIT_RATING_DAYS)
    return Visit.objects.filter(
        enterprise_id=enterprise_id,
        status=VisitStatus.COMPLETED,
        rating__isnull=True,
        date__gte=since,
    )


@dataclass(frozen=True)
class AlertView:
    """An alert with the names a person needs: what the justice bureau's list shows."""

    alert: visit_alerts.Alert
    enterprise_name: str
    credit_code: str
    item_name: str = ""

    @property
    def label(self) -> str:
        return gettext(visit_alerts.ALERT_LABELS[self.alert.kind])


def visit_alerts_list(
    *, scope: Scope, date_from: date, date_to: date, kind: str = ""
) -> list[AlertView]:
    """Every alert on the visits the viewer may see in the period, by the rules in force."""
    rules = rules_current(as_of=date_to)
    visits = visit_list(scope=scope, filters={"date_from": date_from, "date_to": date_to}).filter(
        status__in=COUNTED_STATUSES
    )
    columns = list(
        visits.order_by().values_list("id", "enterprise_id", "date", "kind", "after_the_fact")
    )
    if not columns:
        return []
    ids, enterprises, days, kinds, late = zip(*columns, strict=True)
    pairs = list(
        Visit.items.through.objects.filter(visit__in=visits.order_by().values("id")).values_list(
            "visit_id", "inspectionitem_id"
        )
    )
    rows = visit_alerts.VisitRows(
        visit=np.array(ids, dtype=np.int64),
        enterprise=np.array(enterprises, dtype=np.int64),
        day=np.array([d.toordinal() for d in days], dtype=np.int64),
        inspection=np.array([k == VisitKind.INSPECTION for k in kinds]),
        after_the_fact=np.array(late, dtype=bool),
        item_visit=np.array([p[0] for p in pairs], dtype=np.int64),
        item=np.array([p[1] for p in pairs], dtype=np.int64),
    )
    found: list[visit_alerts.Alert] = []
    wanted = {kind} if kind else set(visit_alerts.AlertKind)
    if visit_alerts.AlertKind.HIGH_FREQUENCY in wanted:
        found += visit_alerts.high_frequency(
            rows, visits=rules.high_frequency_visits, days=rules.high_frequency_days
        )
    if visit_alerts.AlertKind.REPEAT_ITEM in wanted:
        found += visit_alerts.repeat_items(rows, window_days=rules.duplicate_window_days)
    if visit_alerts.AlertKind.NON_ENFORCEMENT_SHARE in wanted:
        found += visit_alerts.non_enforcement_share(rows, threshold=rules.non_enforcement_share)
    if visit_alerts.AlertKind.AFTER_THE_FACT in wanted:
        found += visit_alerts.after_the_fact(rows)
    names = dict(
        (pk, (name, code))
        for pk, name, code in registry_selectors.enterprise_list(scope=Scope(sees_all=True))
        .filter(pk__in={a.enterprise_id for a in found})
        .values_list("pk", "name", "credit_code")
    )
    items = dict(
        catalogue_selectors.item_list()
        .filter(pk__in={a.item_id for a in found if a.item_id})
        .values_list("pk", "name")
    )
    return [
        AlertView(a, *names[a.enterprise_id], item_name=items.get(a.item_id, "")) for a in found
    ]


def refusal_list(*, scope: Scope, year: int | None = None) -> QuerySet[VisitRefusal]:
    """Registrations the rules refused: the justice bureau sees all, a department its own."""
    qs = VisitRefusal.objects.select_related("enterprise", "department", "registered_by")
    if not scope.sees_all:
        if not scope.department_id:
            return qs.none()
        qs = qs.filter(department_id=scope.department_id)
    if year:
        qs = qs.filter(date__year=year)
    return qs


# ---------------------------------------------------------------- officers' pages


def visit_detail(*, scope: Scope, code: str) -> Visit:
    """One visit with everything its page shows (Visit.DoesNotExist outside the scope)."""
    return (
        visit_list(scope=scope)
        .select_related("registered_by", "override_approved_by")
        .prefetch_related(
            "departments",
            Prefetch(
                "officers", queryset=registry_selectors.inspector_list(scope=Scope(sees_all=True))
            ),
            Prefetch(
                "items", queryset=catalogue_selectors.item_list(filters={"active_only": False})
            ),
            Prefetch(
                "actions",
                queryset=enforcement_selectors.action_list(scope=scope)
                .prefetch_related("items", "officers")
                .order_by("pk"),
            ),
        )
        .get(code=visit_code_normalise(code))
    )


def visit_join_target(*, code: str) -> Visit | None:
    """An inspection not carried out yet that another department may join (进一次门，查多项事);
    its code came with a refusal, and what it says is public anyway (/v/<code>/)."""
    return (
        Visit.objects.filter(
            code=visit_code_normalise(code),
            kind=VisitKind.INSPECTION,
            status=VisitStatus.REGISTERED,
            date__gte=timezone.localdate(),
        )
        .select_related("enterprise", "department")
        .first()
    )


def registration_items(*, department_id: int):
    """What a department's officers may inspect: its own active catalogue (清单之外无事项)."""
    return catalogue_selectors.item_list(filters={"department": department_id}).order_by("code")


def registration_officers(*, department_id: int, valid_on: date | None = None):
    """A department's inspectors on duty, who may be sent on a visit; with `valid_on`, only
    those whose certificate is valid that day (or has no recorded end)."""
    qs = registry_selectors.inspector_list(scope=Scope(department_id=department_id)).filter(
        active=True
    )
    if valid_on:
        qs = qs.filter(
            Q(certificate_valid_until__isnull=True) | Q(certificate_valid_until__gte=valid_on)
        )
    return qs.order_by("badge_no")

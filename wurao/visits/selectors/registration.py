"""What a registration reads: the rules in force, the enterprise's grade and history, and
what a department may put on a visit."""

import time
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from wurao.accounts.scope import Scope
from wurao.catalogue import selectors as catalogue_selectors
from wurao.credit.models import EnterpriseGrade
from wurao.registry import selectors as registry_selectors
from wurao.visits import rules as visit_rules
from wurao.visits import sql
from wurao.visits.choices import VisitKind, VisitStatus
from wurao.visits.models import Visit, VisitRuleVersion, visit_code_normalise

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


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)  # SQLite: text


def enterprise_history(
    *, enterprise_id: int, around: date, exclude_pk: int | None = None
) -> list[visit_rules.PastVisit]:
    """The enterprise's counted visits that a rule may look at for a visit on `around`: the
    calendar year, the quiet period before it and the duplicate window on either side."""
    start = min(date(around.year, 1, 1), date.fromordinal(around.toordinal() - 366))
    end = date.fromordinal(around.toordinal() + 366)
    # One statement of plain rows, in SQL (see wurao/visits/sql.py).
    rows = sql.history_rows(
        enterprise_id=enterprise_id,
        start=start,
        end=end,
        statuses=COUNTED_STATUSES,
        exclude_pk=exclude_pk,
    )
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

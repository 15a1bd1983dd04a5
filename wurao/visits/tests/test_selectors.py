"""What each person may see of the visits: lists scoped by role, the code check, an
enterprise's counts against its caps, and rating aggregates (k-anonymity)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.scope import Scope, scope_for
from wurao.accounts.tests.factories import UserFactory
from wurao.registry.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    StreetFactory,
)
from wurao.visits import selectors, services
from wurao.visits.choices import CodeState, VisitKind, VisitOrigin
from wurao.visits.choices import VisitStatus as S
from wurao.visits.models import Visit, VisitRating
from wurao.visits.rules import DEFAULT_RULES_JSON
from wurao.visits.tests.factories import NonEnforcementVisitFactory, VisitFactory

pytestmark = pytest.mark.django_db

ALL = Scope(sees_all=True)
DAY = datetime.date(2026, 5, 12)


def _codes(visits) -> set[str]:
    return {v.code for v in visits}


# --- visit_list scoping -----------------------------------------------------------------------


@pytest.fixture
def scene(department, enterprise, street):
    """Our department's own visit, a joint visit it joined, another department's visit to the
    same enterprise, and a visit to an enterprise in another street."""
    other = DepartmentFactory(name="区市场监管局")
    elsewhere = EnterpriseFactory(street=StreetFactory(name="观澜街道"))
    return {
        "ours": VisitFactory(enterprise=enterprise, department=department),
        "joined": VisitFactory(
            enterprise=enterprise, department=other, departments=[other, department]
        ),
        "theirs": VisitFactory(enterprise=enterprise, department=other),
        "elsewhere": VisitFactory(enterprise=elsewhere, department=other),
        "union": NonEnforcementVisitFactory(enterprise=enterprise),
    }


def test_a_department_sees_the_visits_it_took_part_in_including_joint_ones(scene, dept_admin):
    inspector = UserFactory(role=Role.INSPECTOR, department=dept_admin.department)

    for user in (dept_admin, inspector):
        seen = selectors.visit_list(scope=scope_for(user))
        assert sorted(v.code for v in seen) == sorted([scene["ours"].code, scene["joined"].code])


def test_a_street_sees_the_visits_in_its_area(scene, street_user):
    seen = selectors.visit_list(scope=scope_for(street_user))

    assert _codes(seen) == _codes(scene[k] for k in ("ours", "joined", "theirs", "union"))


def test_an_enterprise_sees_only_its_own_visits(scene, enterprise_user):
    seen = selectors.visit_list(scope=scope_for(enterprise_user))

    assert "elsewhere" not in {k for k, v in scene.items() if v.code in _codes(seen)}
    assert len(seen) == 4


def test_the_justice_bureau_sees_every_visit(scene, justice_user):
    assert _codes(selectors.visit_list(scope=scope_for(justice_user))) == _codes(scene.values())


def test_a_visitor_who_is_not_signed_in_sees_no_visit(scene):
    assert not selectors.visit_list(scope=scope_for(AnonymousUser())).exists()


def test_a_joint_visit_is_listed_once_for_a_department_filtering_by_department(scene, department):
    seen = selectors.visit_list(scope=ALL, filters={"department": department.pk})

    assert sorted(v.code for v in seen) == sorted([scene["ours"].code, scene["joined"].code])


def test_visit_list_filters_by_kind_year_and_origin(enterprise, department):
    VisitFactory(enterprise=enterprise, department=department, date=datetime.date(2025, 3, 1))
    complaint = VisitFactory(
        enterprise=enterprise, department=department, origin=VisitOrigin.COMPLAINT, date=DAY
    )
    union = NonEnforcementVisitFactory(enterprise=enterprise, date=DAY)

    assert list(selectors.visit_list(scope=ALL, filters={"kind": VisitKind.NON_ENFORCEMENT})) == [
        union
    ]
    assert _codes(selectors.visit_list(scope=ALL, filters={"year": 2026})) == {
        complaint.code,
        union.code,
    }
    assert list(selectors.visit_list(scope=ALL, filters={"origin": "complaint"})) == [complaint]


def test_visit_get_reads_a_code_as_typed_but_only_within_the_scope(scene, dept_admin):
    ours = scene["ours"]
    typed = f" {ours.code[:4].lower()}-{ours.code[4:].lower()} "

    assert selectors.visit_get(scope=scope_for(dept_admin), code=typed) == ours
    with pytest.raises(Visit.DoesNotExist):
        selectors.visit_get(scope=scope_for(dept_admin), code=scene["theirs"].code)


def test_the_override_queue_holds_only_pending_registrations_of_the_viewer(
    department, enterprise, dept_admin
):
    mine = VisitFactory(enterprise=enterprise, department=department, status=S.PENDING_OVERRIDE)
    VisitFactory(enterprise=enterprise, department=department, status=S.REGISTERED)
    VisitFactory(enterprise=enterprise, status=S.PENDING_OVERRIDE)

    assert list(selectors.override_queue(scope=scope_for(dept_admin))) == [mine]
    assert selectors.override_queue(scope=ALL).count() == 2


def test_the_non_enforcement_list_leaves_out_inspections_and_cancelled_visits(enterprise):
    held = NonEnforcementVisitFactory(enterprise=enterprise)
    NonEnforcementVisitFactory(enterprise=enterprise, status=S.CANCELLED)
    VisitFactory(enterprise=enterprise)

    assert list(selectors.non_enforcement_list(scope=ALL)) == [held]


# --- the code check ---------------------------------------------------------------------------

TODAY = datetime.date(2026, 5, 12)


@pytest.mark.parametrize(
    ("status", "day", "state", "may_enter"),
    [
        (S.REGISTERED, TODAY, CodeState.VALID, True),
        (S.REGISTERED, TODAY + datetime.timedelta(days=1), CodeState.NOT_YET, False),
        (S.REGISTERED, TODAY - datetime.timedelta(days=1), CodeState.EXPIRED, False),
        (S.IN_PROGRESS, TODAY, CodeState.IN_PROGRESS, True),
        (S.COMPLETED, TODAY, CodeState.COMPLETED, False),
        (S.CANCELLED, TODAY, CodeState.CANCELLED, False),
        (S.REJECTED, TODAY, CodeState.CANCELLED, False),
        (S.PENDING_OVERRIDE, TODAY, CodeState.PENDING, False),
    ],
)
def test_the_code_check_tells_what_the_visit_is(enterprise, status, day, state, may_enter):
    visit = VisitFactory(enterprise=enterprise, status=status, date=day)

    check = selectors.visit_code_check(raw=visit.code, today=TODAY)

    assert (check.state, check.may_enter) == (state, may_enter)
    assert check.visit == visit


@pytest.mark.parametrize("raw", ["", "   ", "23456789", "----", "AB"])
def test_an_unknown_code_says_so(enterprise, raw):
    VisitFactory(enterprise=enterprise)

    check = selectors.visit_code_check(raw=raw)

    assert check.state == CodeState.UNKNOWN and check.visit is None and not check.may_enter


def test_a_code_is_found_however_it_is_typed_or_scanned(enterprise):
    visit = VisitFactory(enterprise=enterprise, date=timezone.localdate(), status=S.REGISTERED)
    code = visit.code

    for raw in (
        code.lower(),
        f"{code[:4]} - {code[4:]}",
        f"https://wurao.example/v/{code}/",
        f"https://wurao.example/v/{code}",
    ):
        assert selectors.visit_code_check(raw=raw).state == CodeState.VALID, raw


def test_the_code_check_uses_today_when_not_told(enterprise):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    visit = VisitFactory(enterprise=enterprise, date=tomorrow, status=S.REGISTERED)

    assert selectors.visit_code_check(raw=visit.code).state == CodeState.NOT_YET


# --- enterprise counts ------------------------------------------------------------------------


def test_enterprise_counts_show_the_year_against_the_caps(enterprise, department):
    # given this year: two visits by our department (one a complaint), one joint visit with
    # another department, a union visit, and visits that do not count
    other = DepartmentFactory(name="区市场监管局")
    VisitFactory(enterprise=enterprise, department=department, date=datetime.date(2026, 2, 1))
    VisitFactory(
        enterprise=enterprise,
        department=department,
        date=datetime.date(2026, 3, 1),
        origin=VisitOrigin.COMPLAINT,
    )
    VisitFactory(
        enterprise=enterprise,
        department=other,
        departments=[other, department],
        date=datetime.date(2026, 4, 1),
    )
    NonEnforcementVisitFactory(enterprise=enterprise, date=datetime.date(2026, 4, 2))
    VisitFactory(enterprise=enterprise, department=department, date=datetime.date(2025, 4, 1))
    for status in (S.CANCELLED, S.REJECTED, S.PENDING_OVERRIDE):
        VisitFactory(
            enterprise=enterprise,
            department=department,
            date=datetime.date(2026, 5, 1),
            status=status,
        )

    counts = selectors.enterprise_counts(enterprise_id=enterprise.pk, year=2026)

    assert (counts.year, counts.grade) == (2026, "U")
    assert (counts.inspections, counts.non_enforcement, counts.exempt_inspections) == (3, 1, 1)
    assert [(c.department, c.used, c.cap) for c in counts.by_department] == [
        (department.name, 3, 2),
        (other.name, 1, 2),
    ]
    assert counts.limits.total_cap == 6


# --- rating summaries (k-anonymity) -----------------------------------------------------------


def _rated(department, scores, *, tags=("attitude",), departments=None):
    for score in scores:
        visit = VisitFactory(department=department, departments=departments or [department])
        VisitRating.objects.create(visit=visit, score=score, tags=list(tags), rated_on=DAY)


def test_a_department_sees_nothing_of_fewer_ratings_than_the_minimum(department, dept_admin):
    _rated(department, [1, 2, 5, 5])

    [summary] = selectors.rating_summary(scope=scope_for(dept_admin))

    assert summary.hidden and summary.average is None and summary.tags == {}
    assert summary.department == department.name


def test_a_department_sees_its_aggregate_over_enough_ratings(department, dept_admin):
    _rated(department, [1, 2, 4, 5, 5], tags=("attitude", "efficiency"))

    [summary] = selectors.rating_summary(scope=scope_for(dept_admin))

    assert not summary.hidden
    assert (summary.count, summary.average) == (5, 3.4)
    assert summary.tags == {"attitude": 5, "efficiency": 5}


def test_a_department_sees_only_its_own_aggregate(department, dept_admin):
    other = DepartmentFactory(name="区市场监管局")
    _rated(department, [4] * 5)
    _rated(other, [1] * 7)

    summaries = selectors.rating_summary(scope=scope_for(dept_admin))

    assert [(s.department, s.count) for s in summaries] == [(department.name, 5)]


def test_the_justice_bureau_sees_every_department_even_below_the_minimum(department, justice_user):
    other = DepartmentFactory(name="区市场监管局")
    _rated(department, [4, 5])
    _rated(other, [1] * 6)

    summaries = {s.department: s for s in selectors.rating_summary(scope=scope_for(justice_user))}

    assert summaries[department.name].average == 4.5 and not summaries[department.name].hidden
    assert summaries[other.name].count == 6
    assert selectors.ratings_list(scope=scope_for(justice_user)).count() == 8


def test_a_rating_of_a_joint_visit_counts_for_each_department_on_it(department, dept_admin):
    other = DepartmentFactory(name="区市场监管局")
    _rated(department, [5] * 4)
    _rated(other, [1], departments=[other, department])

    [summary] = selectors.rating_summary(scope=scope_for(dept_admin))

    assert (summary.count, summary.average) == (5, 4.2)


def test_streets_enterprises_and_departments_never_see_single_ratings(
    department, dept_admin, street_user, enterprise_user
):
    _rated(department, [3] * 6)

    assert selectors.rating_summary(scope=scope_for(street_user)) == []
    assert selectors.rating_summary(scope=scope_for(enterprise_user)) == []
    for user in (dept_admin, street_user, enterprise_user):
        assert not selectors.ratings_list(scope=scope_for(user)).exists()


def test_the_minimum_number_of_ratings_is_set_by_the_rules(department, dept_admin, justice_user):
    _rated(department, [3] * 6)
    doc = {**DEFAULT_RULES_JSON, "rating_min_count": 10}
    services.visit_rules_publish(
        actor=justice_user, doc=doc, effective_from=timezone.localdate(), note="k 提高到 10"
    )

    [summary] = selectors.rating_summary(scope=scope_for(dept_admin))

    assert summary.hidden

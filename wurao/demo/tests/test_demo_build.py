"""The demo district in the database reproduces the study's figures at a small scale."""

import datetime

import pytest
from django.contrib.auth import authenticate
from django.db import connection
from django.db.models import F

from wurao.accounts.scope import Scope, scope_for
from wurao.audit.models import AuditEvent
from wurao.audit.selectors import audit_chain_first_broken
from wurao.common.credit_code import credit_code_normalise
from wurao.demo import data
from wurao.demo.allocation import plan_counts
from wurao.demo.draws import DEMO_DRAWS
from wurao.demo.engine import district_generate
from wurao.demo.tests.conftest import DEMO_SCALE, DEMO_SEED
from wurao.enforcement.choices import Origin
from wurao.enforcement.models import EnforcementAction
from wurao.oversight.selectors import (
    busiest_enterprise_id,
    enterprise_visits_by_organisation,
    oversight_summary,
)
from wurao.registry.models import Department, Enterprise, Inspector
from wurao.registry.versions import tables_token
from wurao.sampling.bundle import verify_bundle
from wurao.sampling.choices import ResultCategory, TaskStatus
from wurao.sampling.models import ConflictOfInterest, DrawResult, DrawTask
from wurao.sampling.services import draw_task_bundle
from wurao.visits.choices import VisitKind
from wurao.visits.models import Visit

pytestmark = pytest.mark.django_db

TOP3_NAMES = {"市生态环境局龙华管理局", "市市场监督管理局龙华监管局", "区应急管理局"}


def test_demo_reproduces_the_study_proportions(built_demo):
    # given the demo built at a small scale
    # when the justice bureau reads 2020's figures
    s = oversight_summary(scope=Scope(sees_all=True), year=2020)

    # then Table 1 is the study's, scaled
    plan = plan_counts(DEMO_SCALE)
    assert s["by_kind"] == plan.by_kind
    for kind, figure in {"inspection": 53_382, "penalty": 4_948, "coercive": 717}.items():
        assert abs(s["by_kind"][kind] - figure * DEMO_SCALE) <= 1
    assert s["shares"]["inspection"] == pytest.approx(90.4, abs=0.3)
    # the top three departments (生态环境, 市场监管, 应急管理) take 82%
    assert set(list(s["by_department"])[:3]) == TOP3_NAMES
    top3 = sum(s["by_department"][name] for name in TOP3_NAMES)
    assert abs(100 * top3 / s["total"] - 82) <= 1
    # district units: 14,354 inspections of which 1,151 (8%) by random draw; 131 joint visits
    assert s["district_inspections"] == round(14_354 * DEMO_SCALE)
    assert s["random_draw_inspections"] == round(1_151 * DEMO_SCALE)
    assert abs(100 * s["random_draw_inspections"] / s["district_inspections"] - 8.0) <= 1
    assert s["joint_random_visits"] == round(131 * DEMO_SCALE)


def test_every_credit_code_is_valid_and_unique(built_demo):
    codes = list(Enterprise.objects.values_list("credit_code", flat=True))

    assert len(codes) == plan_counts(DEMO_SCALE).entities
    assert len(set(codes)) == len(codes)
    assert all(credit_code_normalise(code) == code for code in codes)
    assert Enterprise.objects.exclude(division=data.DIVISION).count() == 0


def test_the_database_holds_what_the_seed_generates(built_demo):
    again = district_generate(scale=DEMO_SCALE, seed=DEMO_SEED)

    assert (
        list(Enterprise.objects.order_by("id").values_list("credit_code", flat=True))
        == again.entities.credit_code
    )
    # what the services made (draw tasks, grades, reviews, today's visits, plans, park days)
    # is counted from the database
    made = (
        "draw_", "grades", "objections", "repairs", "reviews_", "visits", "planning_", "park_",
        "credit_recent_",
        # the enterprise's side ([portal]), built through its services
        "standard_", "item_article_", "conflict", "consultation", "contact_", "service_",
        "selfcheck_", "complaints", "whistle_",
        # what the inspections produced ([outcomes]), built through its services
        "outcomes_",
    )  # fmt: skip
    assert built_demo.counts == again.counts() | again.credit.counts() | {"accounts": 5} | {
        key: value for key, value in built_demo.counts.items() if key.startswith(made)
    }
    assert built_demo.counts["draw_tasks"] == len(DEMO_DRAWS)


def test_key_enterprise_in_fucheng_had_75_visits_30_of_them_not_enforcement(built_demo):
    # given the key enterprise of the study's Figure 2
    key = Enterprise.objects.get(name=data.KEY_ENTERPRISE_NAME)
    assert key.street.name == "福城街道" and key.above_scale

    # when its January–October 2019 visits are counted per organisation
    rows = enterprise_visits_by_organisation(
        scope=Scope(sees_all=True),
        enterprise_id=key.pk,
        date_from=datetime.date(2019, 1, 1),
        date_to=datetime.date(2019, 10, 31),
    )

    # then 75 visits, 30 of them by 工会, 妇联, 党建 and the community
    assert sum(r["enforcement"] + r["other"] for r in rows) == 75
    assert sum(r["other"] for r in rows) == 30
    others = {r["organisation"] for r in rows if r["other"]}
    assert {"区总工会", "区妇联", "福城街道党工委"} <= others
    assert any(name.endswith("社区工作站") for name in others)
    assert len([r for r in rows if r["enforcement"]]) >= 5


def test_2019_is_a_full_year_and_the_key_enterprise_its_most_visited(built_demo):
    # given the demo built at a small scale
    # when the justice bureau reads 2019's figures
    s = oversight_summary(scope=Scope(sees_all=True), year=2019)
    before = plan_counts(DEMO_SCALE * data.YEAR_BEFORE_FACTOR)

    # then every department acted through the year (the key enterprise's 45 inspections on top)
    assert s["total"] == before.total + 45
    assert s["by_kind"]["penalty"] == before.by_kind["penalty"]
    assert len(s["by_department"]) == len(data.DEPARTMENTS)
    assert s["joint_random_visits"] == before.joint_random_visits
    dates = EnforcementAction.objects.filter(date__year=2019).values_list("date", flat=True)
    assert {d.month for d in dates} == set(range(1, 13))
    # and the key enterprise, with its 75 visits, is the year's most visited
    key = Enterprise.objects.get(name=data.KEY_ENTERPRISE_NAME)
    year = {"date_from": datetime.date(2019, 1, 1), "date_to": datetime.date(2019, 12, 31)}
    assert busiest_enterprise_id(scope=Scope(sees_all=True), **year) == key.pk


def test_non_enforcement_visits_of_both_years_fall_mostly_on_key_enterprises(built_demo):
    for year in (2019, 2020):
        visits = Visit.objects.filter(kind=VisitKind.NON_ENFORCEMENT, date__year=year)

        assert visits.exists()
        on_key = visits.filter(enterprise__four_above=True).count()
        assert on_key / visits.count() >= 0.8
        purposes = set(visits.values_list("purpose", flat=True))
        assert {"union", "party", "community", "research", "policy"} <= purposes
    # the street offices and the departments' research visits are among the organisations
    organisations = set(
        Visit.objects.filter(kind=VisitKind.NON_ENFORCEMENT).values_list(
            "department__name", flat=True
        )
    )
    assert any(name.endswith("街道办事处") for name in organisations)
    assert any(name.endswith("工作站") for name in organisations)


def test_actions_cite_only_their_own_departments_items_and_officers(built_demo):
    items = EnforcementAction.items.through.objects
    officers = EnforcementAction.officers.through.objects

    assert items.exclude(inspectionitem__department=F("enforcementaction__department")).count() == 0
    assert officers.exclude(inspector__department=F("enforcementaction__department")).count() == 0
    assert EnforcementAction.objects.filter(items__isnull=True).count() == 0
    assert EnforcementAction.objects.filter(officers__isnull=True).count() == 0


def test_every_enforcement_department_has_inspectors_and_at_least_five_items(built_demo):
    departments = Department.objects.filter(is_enforcement=True)

    assert departments.count() >= 12
    for department in departments:
        assert Inspector.objects.filter(department=department).exists()
        assert department.items.count() >= 5
        assert all(item.law and item.article for item in department.items.all())
    levels = dict(Department.objects.filter(name__in=TOP3_NAMES).values_list("name", "level"))
    assert levels == {
        "市生态环境局龙华管理局": "city",
        "市市场监督管理局龙华监管局": "city",
        "区应急管理局": "district",
    }


def test_one_audit_event_records_the_build_and_the_chain_holds(built_demo):
    builds = AuditEvent.objects.filter(verb="demo.build")

    assert builds.count() == 1
    payload = builds.get().payload
    assert payload["scale"] == DEMO_SCALE and payload["seed"] == DEMO_SEED
    assert payload["counts"]["entities"] == plan_counts(DEMO_SCALE).entities
    assert audit_chain_first_broken() is None


@pytest.mark.parametrize(
    ("username", "expect"),
    [
        ("sfj", lambda s, u: s.sees_all and u.is_superuser and u.is_staff),
        ("yjj_admin", lambda s, u: s.department_id == Department.objects.get(code="YJGL").pk),
        ("yjj_inspector", lambda s, u: s.department_id == Department.objects.get(code="YJGL").pk),
        ("fucheng", lambda s, u: s.street_id == u.street.pk and u.street.name == "福城街道"),
        (
            "qiye",
            lambda s, u: (
                u.enterprise.name == data.KEY_ENTERPRISE_NAME and s.enterprise_id == u.enterprise_id
            ),
        ),
    ],
)
def test_demo_accounts_sign_in_with_the_demo_password_and_see_their_own_scope(
    built_demo, username, expect
):
    user = authenticate(username=username, password=data.DEMO_PASSWORD)

    assert user is not None
    assert expect(scope_for(user), user)


# ---------------------------------------------------------------- draw tasks (2026)


def test_demo_has_draw_tasks_in_every_status(built_demo):
    # given the demo district
    # when its draw tasks are counted by status
    by_status = {
        status: DrawTask.objects.filter(status=status).count() for status in TaskStatus.values
    }

    # then there is a draft, a committed task awaiting the draw, a drawn one, one in
    # progress and two closed, one of them a joint task of two departments
    assert by_status == {
        "draft": 1,
        "committed": 1,
        "drawn": 1,
        "in_progress": 1,
        "closed": 2,
    }
    closed = DrawTask.objects.filter(status=TaskStatus.CLOSED)
    assert sorted(t.participants.count() for t in closed) == [1, 2]
    joint = next(t for t in closed if t.is_joint)
    assert {p.department.name for p in joint.participants.all()} == {
        "市市场监督管理局龙华监管局",
        "区卫生健康局",
    }
    single = next(t for t in closed if not t.is_joint)
    assert single.lead_department.name == "区应急管理局"
    assert single.window_start.year == 2026


def test_every_drawn_demo_task_publishes_a_bundle_that_verifies(built_demo):
    drawn = DrawTask.objects.exclude(status__in=[TaskStatus.DRAFT, TaskStatus.COMMITTED])

    assert drawn.count() == 4
    for task in drawn:
        bundle = draw_task_bundle(task=task)
        assert verify_bundle(bundle) == [], task.code
        assert len(bundle["selected"]) == task.total >= 3


def test_closed_tasks_have_every_result_and_the_one_in_progress_some(built_demo):
    for task in DrawTask.objects.filter(status=TaskStatus.CLOSED):
        expected = task.selections.count() * task.participants.count()
        assert DrawResult.objects.filter(selection__task=task).count() == expected
    in_progress = DrawTask.objects.get(status=TaskStatus.IN_PROGRESS)
    recorded = DrawResult.objects.filter(selection__task=in_progress).count()
    assert 0 < recorded < in_progress.selections.count()
    assert not DrawResult.objects.filter(selection__task__status=TaskStatus.DRAWN).exists()


def test_results_enter_the_enterprise_file_as_random_draw_inspections(built_demo):
    results = DrawResult.objects.select_related("action", "selection__task")

    assert results.exists()
    assert all(r.action.origin == Origin.RANDOM_DRAW for r in results)
    assert all(r.selection.task.window_start <= r.inspected_on for r in results)
    # mostly no problem found (the demo's mix), and categories people can read
    categories = [r.category for r in results]
    assert categories.count(ResultCategory.NO_PROBLEM) >= len(categories) / 2
    # a joint visit shares one reference and one day across its departments
    joint = DrawTask.objects.get(status=TaskStatus.CLOSED, participants__department__code="WSJK")
    for selection in joint.selections.all():
        visits = {(r.action.joint_ref, r.inspected_on) for r in selection.results.all()}
        assert len(visits) == 1 and next(iter(visits))[0].startswith(joint.code)


def test_the_demo_tasks_went_through_the_audited_services(built_demo):
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))

    assert {
        "draw_task.create",
        "draw_task.commit",
        "draw_task.draw",
        "draw_result.record",
        "draw_task.close",
        "conflict_of_interest.declare",
    } <= verbs
    # the emergency bureau's tasks are its own administrator's
    task = DrawTask.objects.filter(lead_department__code="YJGL").first()
    assert task.created_by.username == "yjj_admin"
    assert (
        AuditEvent.objects.filter(verb="draw_task.commit", object_id=str(task.pk)).get().actor_label
        == "yjj_admin"
    )


def test_the_declared_conflict_keeps_the_officer_from_the_key_enterprise(built_demo):
    # given the officer who declared a conflict with the key enterprise
    conflict = ConflictOfInterest.objects.select_related("inspector", "enterprise").get()
    assert conflict.enterprise.name == data.KEY_ENTERPRISE_NAME

    # when the emergency bureau's hazardous-chemicals task was committed
    task = DrawTask.objects.get(title=DEMO_DRAWS[0].title)
    participant = task.participants.get()

    # then the officer is on the roster but excluded from that enterprise
    assert conflict.inspector.badge_no in participant.roster
    assert conflict.inspector.badge_no in participant.exclusions[conflict.enterprise.credit_code]


def test_the_change_token_triggers_are_back_after_the_bulk_load(built_demo):
    # given the demo built (its bulk load drops SQLite's per-row insert triggers for speed)
    if connection.vendor != "sqlite":
        pytest.skip("the triggers are suspended on SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}

    # then every tracked table has its insert trigger again, and a later insert renews its token
    assert {"wurao_insert_registry_enterprise", "wurao_insert_registry_department"} <= names
    before = tables_token(["registry_department"])
    added = Department.objects.create(
        code="TEST-NEW", name="测试单位", level="district", is_enforcement=False
    )
    assert tables_token(["registry_department"]) != before
    added.delete()  # the other tests read the demo as built

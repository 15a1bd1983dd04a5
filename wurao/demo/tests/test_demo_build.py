"""The demo district in the database reproduces the study's figures at a small scale."""

import datetime

import pytest
from django.contrib.auth import authenticate
from django.db.models import F

from wurao.accounts.scope import Scope, scope_for
from wurao.audit.models import AuditEvent
from wurao.audit.selectors import audit_chain_first_broken
from wurao.demo import data
from wurao.demo.allocation import plan_counts
from wurao.demo.engine import district_generate
from wurao.demo.tests.conftest import DEMO_SCALE, DEMO_SEED
from wurao.enforcement.models import EnforcementAction
from wurao.oversight.selectors import enterprise_visits_by_organisation, oversight_summary
from wurao.registry.credit_code import credit_code_normalise
from wurao.registry.models import Department, Enterprise, Inspector

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
    assert built_demo.counts == again.counts() | {"accounts": 5}


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

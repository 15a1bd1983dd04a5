"""The count plan: the study's figures exactly at scale 1, their proportions at any scale."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wurao.demo import data
from wurao.demo.allocation import KINDS, largest_remainder, plan_counts


def test_plan_at_full_scale_is_exactly_the_study():
    # given the study's figures (龙华区司法局 2022 调研报告)
    # when the demo plans its counts at scale 1
    plan = plan_counts(1)

    # then every figure the study reports comes out exactly
    assert (plan.entities, plan.enterprises) == (433_407, 284_316)
    assert (plan.four_above, plan.above_scale) == (2_950, 1_520)
    assert plan.by_kind == {"inspection": 53_382, "penalty": 4_948, "coercive": 717}
    assert plan.total == 59_047
    assert plan.top3 == 48_419 and round(100 * plan.top3 / plan.total) == 82
    assert plan.district_inspections == 14_354
    assert plan.random_draw_inspections == 1_151
    assert plan.joint_random_visits == 131


def test_plan_at_full_scale_adds_up_department_by_department():
    plan = plan_counts(1)

    for kind in KINDS:
        assert sum(d[kind] for d in plan.by_department.values()) == plan.by_kind[kind]
    assert set(plan.by_department) == {o.code for o in data.DEPARTMENTS}
    assert plan.by_department["YJGL"] == dict(zip(KINDS, data.TOP3_ACTIONS["YJGL"], strict=True))


def test_demo_assumptions_add_up_to_the_study_figures():
    # The per-group numbers in data.py are the demo's own; their sums must be the study's.
    groups = [*data.TOP3_ACTIONS.values(), data.OTHER_DISTRICT_ACTIONS, data.STREET_TEAM_ACTIONS]
    assert [sum(g[k] for g in groups) for k in range(3)] == [
        data.STUDY_INSPECTIONS,
        data.STUDY_PENALTIES,
        data.STUDY_COERCIVE,
    ]
    assert (
        data.TOP3_ACTIONS["YJGL"][0] + data.OTHER_DISTRICT_ACTIONS[0]
        == data.STUDY_DISTRICT_INSPECTIONS
    )
    assert (
        data.STUDY_ENTERPRISES + data.DEMO_INDIVIDUALS + data.DEMO_OTHER_ENTITIES
        == data.STUDY_ENTITIES
    )


@settings(max_examples=60, deadline=None)
@given(scale=st.floats(min_value=0.005, max_value=3.0))
def test_plan_keeps_the_study_proportions_at_any_scale(scale):
    plan = plan_counts(scale)

    figures = {"inspection": 53_382, "penalty": 4_948, "coercive": 717}
    assert plan.total == round(59_047 * scale)
    for kind, figure in figures.items():
        assert abs(plan.by_kind[kind] - figure * scale) < 1
    assert abs(100 * plan.top3 / plan.total - 82) <= 1
    assert plan.district_inspections == round(14_354 * scale)
    assert plan.random_draw_inspections == round(1_151 * scale)
    assert plan.joint_random_visits == round(131 * scale)
    assert (
        plan.enterprises + plan.individuals + plan.others == plan.entities == round(433_407 * scale)
    )
    assert abs(plan.enterprises - 284_316 * scale) < 1


@settings(max_examples=60, deadline=None)
@given(scale=st.floats(min_value=0.0005, max_value=3.0))
def test_random_draws_fit_inside_each_departments_inspections(scale):
    plan = plan_counts(scale)

    joined: dict[str, int] = {}
    for visit in plan.joint_visits:
        assert len(set(visit)) >= 2
        for code in visit:
            joined[code] = joined.get(code, 0) + 1
    for code, n in plan.random_by_department.items():
        assert joined.get(code, 0) <= n <= plan.by_department[code]["inspection"]


def test_largest_remainder_keeps_the_total_and_the_caps():
    assert largest_remainder([1, 1, 1], 10) == [4, 3, 3]
    assert largest_remainder([5, 1], 6, caps=[3, 10]) == [3, 3]
    assert sum(largest_remainder([0.3, 0.3, 0.4], 7)) == 7
    with pytest.raises(ValueError):
        largest_remainder([1, 1], 5, caps=[1, 1])

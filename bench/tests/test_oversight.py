"""bench.oversight's generator on a tiny district: what it writes holds together."""

import datetime

import numpy as np
import polars as pl

from bench.oversight_data import DistrictShape, generate


def _shape() -> DistrictShape:
    return DistrictShape(
        enterprise_id=np.arange(1, 201, dtype=np.int64),
        key=np.arange(200) < 20,
        mix_department=np.array([1, 1, 2, 3, 4, 5, 2], dtype=np.int64),
        mix_level=[
            "district",
            "district",
            "district",
            "street",
            "district",
            "district",
            "district",
        ],
        mix_kind=[
            "inspection",
            "penalty",
            "inspection",
            "inspection",
            "inspection",
            "inspection",
            "coercive",
        ],
        mix_origin=["plan", "other", "random_draw", "complaint", "plan", "other", "other"],
        mix_count=np.array([50, 10, 30, 20, 10, 5, 2], dtype=np.int64),
        other_organisations=np.array([90, 91], dtype=np.int64),
        first_visit_id=1000,
        first_action_id=5000,
        today=datetime.date(2026, 12, 7),
    )


def test_generate_gives_every_inspection_a_visit_and_the_key_enterprises_most_other_visits():
    data = generate(_shape(), 20_000, seed=1)
    actions, visits = data.actions, data.visits

    assert actions.height == 20_000
    assert actions["id"].n_unique() == 20_000
    inspections = actions.filter(pl.col("kind") == "inspection")
    assert inspections["visit_id"].null_count() == 0
    assert actions.filter(pl.col("kind") != "inspection")["visit_id"].null_count() == (
        actions.height - inspections.height
    )
    on_visits = inspections.join(visits, left_on="visit_id", right_on="id", suffix="_v")
    assert on_visits.height == inspections.height
    assert (on_visits["enterprise_id"] == on_visits["enterprise_id_v"]).all()
    assert (on_visits["date"] == on_visits["date_v"]).all()
    joint = inspections.filter(pl.col("joint_ref") != "")
    per_visit = joint.group_by("visit_id").agg(pl.col("department_id").n_unique(), pl.len())
    assert per_visit.height > 0 and (per_visit["department_id"] == per_visit["len"]).all()
    assert actions["date"].dt.year().is_in([2019, 2020]).sum() == 0

    others = visits.filter(pl.col("kind") == "non_enforcement")
    assert others.height > 0
    assert others["enterprise_id"].is_in(list(range(1, 21))).mean() > 0.5
    assert data.visit_departments.join(visits, left_on="visit_id", right_on="id").height == (
        data.visit_departments.height
    )


def test_generate_gives_exactly_the_actions_asked_for():
    for n in (1, 2, 997, 3_001):
        data = generate(_shape(), n, seed=n)
        assert data.actions.height == n
        assert data.actions["visit_id"].drop_nulls().is_in(data.visits["id"].implode()).all()


def test_the_bench_finds_every_page_data_function_and_the_simulator():
    from bench import oversight

    found, missing = oversight._functions()

    assert missing == []
    assert sorted(found) == sorted(n for names in oversight.PAGE_FUNCTIONS.values() for n in names)
    from wurao.oversight.simulation.service import simulation_run

    assert callable(simulation_run)

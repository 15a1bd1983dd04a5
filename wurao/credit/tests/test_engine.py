"""The scoring engine: each indicator, windows, decay, caps, grades, the breakdown and
versions, on small frames. No database."""

import dataclasses
import math
from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wurao.credit.engine import (
    INDICATOR_DTYPE,
    INDUSTRY_INDICATOR,
    TAG_INDICATOR,
    contributions,
    empty_enterprises,
    empty_events,
    score,
)
from wurao.credit.engine_inputs import EngineInputError
from wurao.credit.points import (
    DEFAULT_TABLE,
    INDICATORS,
    Decay,
    Indicator,
    IndicatorRule,
    PointsTable,
    Thresholds,
)

AS_OF = date(2026, 11, 27)


def events(*rows: tuple, dtype: pl.DataType = INDICATOR_DTYPE) -> pl.DataFrame:
    """Rows of (enterprise_id, indicator, age in days[, severity]); record ids 1, 2, …"""
    if not rows:
        return empty_events()
    return pl.DataFrame(
        {
            "record_id": list(range(1, len(rows) + 1)),
            "enterprise_id": [r[0] for r in rows],
            "indicator": [str(r[1]) for r in rows],
            "date": [AS_OF - timedelta(days=r[2]) for r in rows],
            "severity": [float(r[3]) if len(r) > 3 else 1.0 for r in rows],
        },
        schema_overrides={"indicator": dtype, "enterprise_id": pl.Int64, "record_id": pl.Int64},
    )


def enterprises(*ids: int, tags: dict | None = None, industry: dict | None = None) -> pl.DataFrame:
    tags, industry = tags or {}, industry or {}
    return pl.DataFrame(
        {
            "enterprise_id": list(ids),
            "tags": [tags.get(i, []) for i in ids],
            "industry_section": [industry.get(i) for i in ids],
        },
        schema={
            "enterprise_id": pl.Int64,
            "tags": pl.List(pl.String),
            "industry_section": pl.String,
        },
    )


def with_rules(*rules: IndicatorRule, table: PointsTable = DEFAULT_TABLE, **changes) -> PointsTable:
    """The default table with these rules replacing those of the same indicator."""
    replaced = {r.indicator: r for r in rules}
    kept = tuple(replaced.pop(r.indicator, r) for r in table.rules) + tuple(replaced.values())
    return dataclasses.replace(table, rules=kept, **changes)


def scores(ev, ent, table=DEFAULT_TABLE, **kw) -> dict[int, float]:
    return dict(score(ev, ent, table, AS_OF, **kw).select("enterprise_id", "score").iter_rows())


def grades(ev, ent, table=DEFAULT_TABLE) -> dict[int, str]:
    return dict(score(ev, ent, table, AS_OF).select("enterprise_id", "grade").iter_rows())


def breakdown_totals(ev, ent, table=DEFAULT_TABLE, ids=None) -> dict[int, float]:
    c = contributions(ev, ent, table, AS_OF, ids)
    sums = dict(c.group_by("enterprise_id").agg(pl.col("points").sum()).iter_rows())
    return {e: table.base + sums.get(e, 0.0) for e in ent["enterprise_id"].to_list()}


# Every indicator.


@pytest.mark.parametrize("indicator", list(Indicator))
def test_one_fresh_record_moves_the_score_by_the_rules_points_in_the_rules_direction(indicator):
    rule = DEFAULT_TABLE.rule(indicator)
    got = scores(events((1, indicator, 0)), enterprises(1))[1]
    assert got == DEFAULT_TABLE.base + rule.points
    assert math.copysign(1, got - DEFAULT_TABLE.base) == INDICATORS[indicator].direction


@pytest.mark.parametrize("indicator", [r.indicator for r in DEFAULT_TABLE.rules if r.per_severity])
def test_severity_multiplies_the_points_when_the_rule_says_so(indicator):
    rule = DEFAULT_TABLE.rule(indicator)
    got = scores(events((1, indicator, 0, 3)), enterprises(1))[1]
    assert got == pytest.approx(DEFAULT_TABLE.base + max(-rule.cap, min(rule.cap, 3 * rule.points)))


def test_severity_is_ignored_when_the_rule_does_not_use_it_and_missing_severity_counts_one():
    ev = events((1, Indicator.COERCIVE_MEASURE, 0, 3), (2, Indicator.PENALTY, 0))
    ev = ev.with_columns(
        pl.when(pl.col("enterprise_id") == 2)
        .then(None)
        .otherwise(pl.col("severity"))
        .alias("severity")
    )
    got = scores(ev, enterprises(1, 2))
    assert got == {1: 100 - 8, 2: 100 - 6}


def test_an_indicator_the_table_does_not_score_counts_zero():
    table = dataclasses.replace(
        DEFAULT_TABLE, rules=tuple(r for r in DEFAULT_TABLE.rules if r.indicator != Indicator.AWARD)
    )
    assert scores(events((1, Indicator.AWARD, 0)), enterprises(1), table) == {1: 100}


# Windows and decay.


FLAT = IndicatorRule(Indicator.PENALTY, -6, 100, Decay.NONE)


@pytest.mark.parametrize(
    ("age", "counted"),
    [(0, True), (1, True), (99, True), (100, False), (101, False)],
)
def test_a_record_counts_from_its_day_until_the_day_before_the_window_ends(age, counted):
    table = with_rules(FLAT)
    got = scores(events((1, Indicator.PENALTY, age)), enterprises(1), table)[1]
    assert got == (94 if counted else 100)


@pytest.mark.parametrize("age", [0, 1, 25, 50, 99, 100])
def test_linear_decay_falls_from_full_to_zero_at_the_windows_end(age):
    table = with_rules(dataclasses.replace(FLAT, decay=Decay.LINEAR))
    got = scores(events((1, Indicator.PENALTY, age)), enterprises(1), table)[1]
    expected = -6 * (1 - age / 100) if age < 100 else 0.0
    assert got - 100 == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("age", "factor"), [(0, 1.0), (30, 0.5), (60, 0.25), (90, 0.125), (45, 2**-1.5)]
)
def test_exponential_decay_halves_every_half_life(age, factor):
    rule = IndicatorRule(Indicator.PENALTY, -8, 365, Decay.EXPONENTIAL, half_life_days=30)
    got = scores(events((1, Indicator.PENALTY, age)), enterprises(1), with_rules(rule))[1]
    assert got - 100 == pytest.approx(-8 * factor, abs=1e-12)


def test_exponential_decay_stops_at_the_windows_end():
    rule = IndicatorRule(Indicator.PENALTY, -8, 60, Decay.EXPONENTIAL, half_life_days=30)
    ev = events((1, Indicator.PENALTY, 59), (2, Indicator.PENALTY, 60))
    got = scores(ev, enterprises(1, 2), with_rules(rule))
    assert got[1] < 100 and got[2] == 100


def test_a_record_dated_after_the_as_of_date_is_refused_with_its_row_and_field():
    ev = events((1, Indicator.PENALTY, 0), (1, Indicator.PENALTY, -30), (2, Indicator.AWARD, -1))
    with pytest.raises(EngineInputError) as caught:
        scores(ev, enterprises(1, 2))
    day = (AS_OF + timedelta(days=30)).isoformat()
    assert caught.value.message_zh == (
        f"事件表第 2 条记录（record_id 2）的 date（{day}）晚于评级基准日 {AS_OF.isoformat()}，共 2 条"
    )
    assert "events row 2 (record_id 2): date" in caught.value.message_en
    with pytest.raises(EngineInputError):
        contributions(ev, enterprises(1, 2), DEFAULT_TABLE, AS_OF)
    later = score(ev, enterprises(1), DEFAULT_TABLE, AS_OF + timedelta(days=30))
    assert later["score"].item() == pytest.approx(100 - 6 * (1 - 30 / 1095) - 6)


# Caps and their apportionment.


def test_a_cap_limits_an_indicators_total_for_one_enterprise():
    ev = events(
        *[(1, Indicator.INSPECTION_CLEAN, d) for d in range(15)], (2, Indicator.INSPECTION_CLEAN, 0)
    )
    assert scores(ev, enterprises(1, 2)) == {1: 110, 2: 101}


def test_a_cap_on_a_penalty_limits_the_deduction():
    ev = events(*[(1, Indicator.PENALTY, 0, 3)] * 5)  # 5 × −18 = −90, cap 36
    assert scores(ev, enterprises(1)) == {1: 64}


def test_a_capped_total_is_shared_among_its_records_in_proportion():
    rule = IndicatorRule(Indicator.PENALTY, -10, 100, Decay.LINEAR, cap=12)
    ev = events((1, Indicator.PENALTY, 0), (1, Indicator.PENALTY, 50), (1, Indicator.PENALTY, 75))
    table = with_rules(rule)
    rows = contributions(ev, enterprises(1), table, AS_OF).sort("record_id")
    raw = [-10.0, -5.0, -2.5]  # 17.5 in all, over the cap of 12
    assert rows["points"].to_list() == pytest.approx([r * 12 / 17.5 for r in raw], abs=1e-12)
    assert sum(rows["points"]) == pytest.approx(-12, abs=1e-12)
    assert scores(ev, enterprises(1), table)[1] == pytest.approx(88, abs=1e-12)
    assert "超过封顶 12 分，按比例计" in rows["reason_zh"][0]


def test_an_uncapped_indicator_adds_up_without_limit():
    rule = IndicatorRule(Indicator.PENALTY, -6, 1000, Decay.NONE, cap=None)
    ev = events(*[(1, Indicator.PENALTY, d) for d in range(20)])
    assert scores(ev, enterprises(1), with_rules(rule)) == {1: 100 - 120}


# Inherent risk.


def test_tags_and_industry_add_their_inherent_risk_once_each():
    ent = enterprises(
        1, 2, 3, tags={1: ["food"], 2: ["food", "food", "unknown"]}, industry={3: "B"}
    )
    assert scores(empty_events(), ent) == {1: 98, 2: 98, 3: 97}


def test_the_tag_total_is_capped_and_shared_in_proportion():
    ent = enterprises(1, tags={1: ["hazchem", "dust", "ammonia"]}, industry={1: "C"})  # −16 → −10
    assert scores(empty_events(), ent) == {1: 100 - 10 - 2}
    rows = contributions(empty_events(), ent, DEFAULT_TABLE, AS_OF)
    tags = rows.filter(pl.col("indicator") == TAG_INDICATOR)
    assert tags["points"].to_list() == pytest.approx([-6 * 10 / 16, -5 * 10 / 16, -5 * 10 / 16])
    assert rows.filter(pl.col("indicator") == INDUSTRY_INDICATOR)["points"].to_list() == [-2.0]


def test_tags_and_sections_may_be_categorical():
    ent = enterprises(1, tags={1: ["hazchem", "food"]}, industry={1: "C"}).cast(
        {"tags": pl.List(pl.Categorical), "industry_section": pl.Categorical}
    )
    assert scores(empty_events(), ent) == {1: 100 - 6 - 2 - 2}
    assert breakdown_totals(empty_events(), ent) == {1: 90}


def test_an_enterprise_with_no_records_gets_the_base_plus_its_inherent_risk():
    ent = enterprises(1, 2, tags={2: ["hazchem"]}, industry={2: "E"})
    assert scores(events((9, Indicator.PENALTY, 0)), ent) == {1: 100, 2: 100 - 6 - 3}


# Grades.


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        (103, "A"),
        (103 - 1e-10, "A"),
        (102.99, "B"),
        (90, "B"),
        (89.99, "C"),
        (75, "C"),
        (74.99, "D"),
        (-50, "D"),
        (1000, "A"),
    ],
)
def test_thresholds_map_scores_to_grades_at_their_boundaries(value, grade):
    table = dataclasses.replace(DEFAULT_TABLE, base=value)
    assert grades(empty_events(), enterprises(1), table) == {1: grade}


def test_the_default_table_grades_a_plausible_spread():
    ev = events(
        *[(1, Indicator.INSPECTION_CLEAN, d) for d in (10, 200, 400)],  # +3 → A
        (3, Indicator.PENALTY, 0, 3),  # −18 → C
        (4, Indicator.PENALTY, 0, 3),
        (4, Indicator.PENALTY, 100, 3),  # two severe penalties → D
    )
    assert grades(ev, enterprises(1, 2, 3, 4)) == {1: "A", 2: "B", 3: "C", 4: "D"}


def test_inherent_risk_alone_never_makes_a_d_in_the_default_table():
    worst_tags = [t.code for t in DEFAULT_TABLE.tags]
    ent = enterprises(
        *range(20),
        tags={i: worst_tags for i in range(20)},
        industry={i: s for i, s in enumerate("ABCDEFGHIJKLMNOPQRST")},
    )
    assert set(grades(empty_events(), ent).values()) <= {"B", "C"}


# Versions.


def test_two_versions_grade_the_same_records_differently_and_each_result_names_its_version():
    ev = events((1, Indicator.PENALTY, 30, 2))  # −12 × (1 − 30/1095) ≈ −11.7
    v2 = with_rules(
        IndicatorRule(Indicator.PENALTY, -4, 730, Decay.LINEAR, cap=24, per_severity=True),
        version=2,
        effective_from=date(2026, 7, 1),
        thresholds=Thresholds(a=103, b=85, c=70),
    )
    one = score(ev, enterprises(1), DEFAULT_TABLE, AS_OF)
    two = score(ev, enterprises(1), v2, AS_OF)
    assert (one["grade"].item(), one["table_version"].item()) == ("C", 1)
    assert (two["grade"].item(), two["table_version"].item()) == ("B", 2)


# The breakdown.


def test_the_breakdown_explains_a_record_in_chinese():
    ev = pl.DataFrame(
        {
            "record_id": [7],
            "enterprise_id": [1],
            "indicator": ["penalty"],
            "date": [date(2020, 5, 6)],
            "severity": [2.0],
        },
        schema_overrides={"indicator": INDICATOR_DTYPE},
    )
    rows = contributions(ev, enterprises(1), DEFAULT_TABLE, date(2020, 12, 2))
    assert rows.row(0, named=True) | {"points": None} == {
        "enterprise_id": 1,
        "record_id": 7,
        "indicator": "penalty",
        "date": date(2020, 5, 6),
        "points": None,
        "reason_zh": "2020-05-06 行政处罚（较重）：−12 分，距今 210 天，线性衰减后 −9.7 分（满 1095 天归零）",
        "reason_en": "2020-05-06 Administrative penalty (serious): −12 points, 210 days ago,"
        " −9.7 after linear decay (zero after 1095 days)",
    }
    assert rows["points"].item() == pytest.approx(-12 * (1 - 210 / 1095))


def test_the_breakdown_lists_only_records_that_count_for_the_enterprises_asked():
    ev = events((1, Indicator.PENALTY, 0), (1, Indicator.PENALTY, 5000), (2, Indicator.AWARD, 3))
    rows = contributions(ev, enterprises(1, 2), DEFAULT_TABLE, AS_OF, enterprise_ids=[1])
    assert rows.select("enterprise_id", "record_id").rows() == [(1, 1)]


def test_subtotals_add_up_to_the_score():
    ev = events(
        (1, Indicator.PENALTY, 3, 2), (1, Indicator.AWARD, 10), (1, Indicator.MONITORING_ALERT, 40)
    )
    ent = enterprises(1, tags={1: ["food"]}, industry={1: "C"})
    row = score(ev, ent, DEFAULT_TABLE, AS_OF, subtotals=True).row(0, named=True)
    parts = [v for k, v in row.items() if k.startswith("points_")]
    assert len(parts) == len(DEFAULT_TABLE.rules) + 2
    assert DEFAULT_TABLE.base + sum(parts) == pytest.approx(row["score"], abs=1e-9)
    assert row["points_award"] == 3 * (1 - 10 / 1095)


records = st.lists(
    st.tuples(
        st.integers(1, 6),
        st.sampled_from(list(Indicator)),
        st.integers(0, 1200),
        st.sampled_from([0.5, 1.0, 2.0, 3.0]),
    ),
    max_size=60,
)
tag_sets = st.dictionaries(
    st.integers(1, 6), st.lists(st.sampled_from(["hazchem", "dust", "food", "other"]), max_size=4)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=records,
    tags=tag_sets,
    sections=st.dictionaries(st.integers(1, 6), st.sampled_from("ABCE")),
)
def test_base_plus_the_breakdown_is_the_score(rows, tags, sections):
    ev, ent = events(*rows), enterprises(*range(1, 7), tags=tags, industry=sections)
    got = scores(ev, ent)
    totals = breakdown_totals(ev, ent)
    assert got.keys() == totals.keys()
    for e, value in got.items():
        assert abs(value - totals[e]) < 1e-9
    rows_ = contributions(ev, ent, DEFAULT_TABLE, AS_OF)
    assert (rows_["reason_zh"].str.len_chars() > 0).all()


@settings(max_examples=60, deadline=None)
@given(rows=records, parts=st.integers(2, 5))
def test_partitioned_passes_give_the_same_scores_as_one(rows, parts):
    ev, ent = events(*rows), enterprises(*range(1, 7))
    one, many = scores(ev, ent, partitions=1), scores(ev, ent, partitions=parts)
    assert one.keys() == many.keys()
    assert all(abs(one[e] - many[e]) < 1e-9 for e in one)


# Inputs.


@pytest.mark.parametrize(
    "dtype", [pl.String, pl.Categorical, pl.Enum(["award", "penalty", "commitment_fulfilled"])]
)
def test_indicators_may_come_as_strings_categoricals_or_other_enums(dtype):
    rows = [(1, "penalty", 0), (1, "award", 3), (2, "commitment_fulfilled", 0)]
    assert scores(events(*rows, dtype=dtype), enterprises(1, 2)) == pytest.approx(
        {1: 100 - 6 + 3 * (1 - 3 / 1095), 2: 102}
    )


@pytest.mark.parametrize(
    "dtype", [pl.String, pl.Categorical, pl.Enum(["award", "penalty", "nonsense"])]
)
def test_a_kind_of_record_the_table_does_not_know_is_refused(dtype):
    rows = [(1, "penalty", 0), (2, "nonsense", 0), (2, "nonsense", 5)]
    with pytest.raises(EngineInputError) as caught:
        scores(events(*rows, dtype=dtype), enterprises(1, 2))
    assert caught.value.message_zh.startswith(
        "事件表第 2 条记录（record_id 2）的 indicator（nonsense）不是计分表认识的记录类型"
    )
    assert caught.value.message_zh.endswith("共 2 条")
    assert "events row 2 (record_id 2): indicator (nonsense)" in caught.value.message_en


def test_the_result_follows_the_enterprises_order_and_ignores_unknown_enterprises():
    ev = events((5, Indicator.PENALTY, 0), (99, Indicator.PENALTY, 0))
    result = score(ev, enterprises(7, 5, 3), DEFAULT_TABLE, AS_OF)
    assert result["enterprise_id"].to_list() == [7, 5, 3]
    assert result["score"].to_list() == [100, 94, 100]
    assert result.schema["grade"] == pl.Enum(["A", "B", "C", "D"])


def test_empty_inputs_give_empty_or_base_results():
    assert score(empty_events(), empty_enterprises(), DEFAULT_TABLE, AS_OF).is_empty()
    assert contributions(empty_events(), empty_enterprises(), DEFAULT_TABLE, AS_OF).is_empty()
    only_base = score(empty_events(), enterprises(1, 2), DEFAULT_TABLE, AS_OF)
    assert only_base.select("score", "grade").rows() == [(100.0, "B"), (100.0, "B")]
    assert contributions(empty_events(), enterprises(1), DEFAULT_TABLE, AS_OF).is_empty()


def test_enterprises_need_only_an_id():
    ent = pl.DataFrame({"enterprise_id": [1, 2]})
    assert scores(events((1, Indicator.PENALTY, 0)), ent) == {1: 94, 2: 100}


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (empty_events().drop("date"), "事件表缺少列“date”"),
        (
            empty_events().with_columns(pl.col("date").cast(pl.String)),
            "事件表的列“date”类型为 String，应为 date",
        ),
        (empty_events().drop("indicator"), "事件表缺少列“indicator”"),
    ],
)
def test_an_unreadable_event_frame_is_refused_with_a_clear_message(frame, message):
    with pytest.raises(EngineInputError) as caught:
        score(frame, enterprises(1), DEFAULT_TABLE, AS_OF)
    assert message in caught.value.message_zh


def test_the_breakdown_needs_record_ids():
    with pytest.raises(EngineInputError, match="record_id"):
        contributions(empty_events().drop("record_id"), enterprises(1), DEFAULT_TABLE, AS_OF)

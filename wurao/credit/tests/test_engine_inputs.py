"""What the engine refuses and what it accepts from outside data: non-finite and negative
severities, kinds the table does not know, missing and future dates (each named by row,
record and field, in both languages); Datetime dates; kinds a table declares; and, over
generated inputs, that no NaN or inf reaches a score, that a worse record never raises a
grade, and that `score_before` is `score` as of the day before. No database."""

import math
from datetime import date, datetime, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wurao.credit.engine import contributions, score, score_before
from wurao.credit.engine_inputs import EngineInputError
from wurao.credit.points import DEFAULT_TABLE, Decay, Indicator, IndicatorRule
from wurao.credit.points_catalogue import RecordKind
from wurao.credit.points_json import table_from_json, table_to_json
from wurao.credit.points_problems import PointsTableError, TableErrorCode
from wurao.credit.tests.test_engine import AS_OF, enterprises, events, with_rules

GRADE_ORDER = "ABCD"  # A best


def _refusal(ev, ent=None) -> EngineInputError:
    with pytest.raises(EngineInputError) as caught:
        score(ev, ent if ent is not None else enterprises(1, 2), DEFAULT_TABLE, AS_OF)
    return caught.value


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_severity_that_is_not_a_finite_number_is_refused(bad):
    error = _refusal(events((1, Indicator.PENALTY, 3, 1), (2, Indicator.PENALTY, 5, bad)))
    assert error.message_zh.startswith("事件表第 2 条记录（record_id 2）的 severity（")
    assert "不是有限数字" in error.message_zh
    assert "events row 2 (record_id 2): severity" in error.message_en
    assert "is not a finite number" in error.message_en


def test_a_negative_severity_is_refused_rather_than_turning_a_penalty_into_a_bonus():
    error = _refusal(events((1, Indicator.PENALTY, 3, -3)))
    assert error.message_zh.startswith("事件表第 1 条记录（record_id 1）的 severity（-3.0）为负数")
    assert "cannot turn a penalty into a bonus" in error.message_en


def test_every_problem_is_named_at_once_and_a_breakdown_refuses_the_same():
    ev = events(
        (1, Indicator.PENALTY, 3, -1), (2, "nonsense", 1), (2, Indicator.AWARD, -2), dtype=pl.String
    )
    error = _refusal(ev)
    for field in ("indicator（nonsense）", "date（", "severity（-1.0）"):
        assert field in error.message_zh
    with pytest.raises(EngineInputError):
        contributions(ev, enterprises(1, 2), DEFAULT_TABLE, AS_OF)


def test_a_record_without_an_enterprise_or_a_date_is_refused_and_rows_are_named_without_ids():
    ev = events((1, Indicator.PENALTY, 3)).drop("record_id")
    ev = pl.concat([ev, ev.with_columns(pl.lit(None, pl.Date).alias("date"))])
    error = _refusal(ev)
    assert error.message_zh == "事件表第 2 条记录的 date（None）为空"
    assert error.message_en == "events row 2: date (None) is empty"


def test_a_datetime_date_column_is_read_as_its_date():
    ev = events((1, Indicator.PENALTY, 3))
    stamped = ev.with_columns(pl.col("date").cast(pl.Datetime("us")) + pl.duration(hours=15))
    assert score(stamped, enterprises(1), DEFAULT_TABLE, AS_OF)["score"].item() == pytest.approx(
        score(ev, enterprises(1), DEFAULT_TABLE, AS_OF)["score"].item()
    )
    queries = pl.DataFrame({"enterprise_id": [1], "date": [datetime(2026, 11, 28, 9, 30)]})
    got = score_before(stamped, enterprises(1), DEFAULT_TABLE, queries)
    assert got["score"].item() == pytest.approx(100 - 6 * (1 - 3 / 1095))


# Kinds a table declares.

FOOD = RecordKind("food_sample_failed", "食品抽检不合格", "Food sample failed", "risk")
DECLARED = with_rules(
    IndicatorRule("food_sample_failed", -4, 365, Decay.NONE, cap=12), kinds=(FOOD,)
)


def test_a_declared_kind_is_scored_and_explained_in_both_languages():
    ev = events((1, "food_sample_failed", 10), (1, "penalty", 0), dtype=pl.String)
    assert score(ev, enterprises(1), DECLARED, AS_OF)["score"].item() == 100 - 4 - 6
    rows = contributions(ev, enterprises(1), DECLARED, AS_OF).filter(
        pl.col("indicator") == "food_sample_failed"
    )
    assert (
        rows["reason_zh"].item().startswith(f"{(AS_OF - timedelta(days=10))} 食品抽检不合格：−4 分")
    )
    assert "Food sample failed: −4 points, 10 days ago" in rows["reason_en"].item()


def test_a_declared_kind_survives_the_json_form_and_other_tables_refuse_its_records():
    assert table_from_json(table_to_json(DECLARED)) == DECLARED
    assert "kinds" not in table_to_json(DEFAULT_TABLE)
    ev = events((1, "food_sample_failed", 10), dtype=pl.String)
    assert "food_sample_failed" in _refusal(ev, enterprises(1)).message_zh


@pytest.mark.parametrize(
    ("kind", "points", "code"),
    [
        (RecordKind("Food", "食品", "Food", "risk"), -1, TableErrorCode.KIND_INVALID),
        (RecordKind("penalty", "处罚", "Penalty", "risk"), -1, TableErrorCode.KIND_INVALID),
        (RecordKind("food_x", "", "Food", "risk"), -1, TableErrorCode.KIND_INVALID),
        (RecordKind("food_x", "食品", "Food", "bad"), -1, TableErrorCode.KIND_INVALID),
        (RecordKind("food_x", "食品", "Food", "credit"), -1, TableErrorCode.POINTS_SIGN),
    ],
)
def test_a_declared_kind_is_checked_like_the_rest_of_the_table(kind, points, code):
    rule = IndicatorRule(kind.code, points, 365)
    with pytest.raises(PointsTableError) as caught:
        with_rules(rule, kinds=(kind,))
    assert code in caught.value.codes


# Properties over generated inputs.

severities = st.one_of(
    st.none(), st.floats(0, 5, allow_nan=False), st.sampled_from([math.nan, math.inf, -1.0])
)
rows = st.lists(
    st.tuples(
        st.integers(1, 4), st.sampled_from(list(Indicator)), st.integers(0, 1500), severities
    ),
    max_size=40,
)


def _frame(rs) -> pl.DataFrame:
    ev = events(*[(e, k, age) for e, k, age, _ in rs])
    return ev.with_columns(pl.Series("severity", [s for *_, s in rs], dtype=pl.Float64))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rs=rows)
def test_no_nan_or_inf_ever_reaches_a_score(rs):
    ev = _frame(rs)
    bad = any(s is not None and not (math.isfinite(s) and s >= 0) for *_, s in rs)
    if bad:
        with pytest.raises(EngineInputError):
            score(ev, enterprises(1, 2, 3, 4), DEFAULT_TABLE, AS_OF)
        return
    got = score(ev, enterprises(1, 2, 3, 4), DEFAULT_TABLE, AS_OF)
    assert got["score"].is_finite().all()


risky = [i for i in Indicator if DEFAULT_TABLE.info(i).direction < 0]
credits = [i for i in Indicator if DEFAULT_TABLE.info(i).direction > 0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rs=st.lists(
        st.tuples(
            st.just(1),
            st.sampled_from(list(Indicator)),
            st.integers(0, 1200),
            st.floats(0, 4, allow_nan=False),
        ),
        max_size=30,
    ),
    worse=st.one_of(
        st.tuples(st.just("add"), st.sampled_from(risky), st.integers(0, 1200)),
        st.tuples(st.just("drop"), st.sampled_from(credits), st.integers(0, 1200)),
    ),
    tags=st.lists(st.sampled_from(["hazchem", "dust", "food"]), max_size=3),
)
def test_a_worse_record_never_raises_a_grade_or_a_score(rs, worse, tags):
    ent = enterprises(1, tags={1: tags})
    how, kind, age = worse
    if how == "add":
        worse_rows = [*rs, (1, kind, age, 2.0)]
    else:  # the same history without one of its credit records, if it has one
        credit = next((r for r in rs if r[1] == kind), None)
        worse_rows = [r for r in rs if r is not credit]
    before = score(_frame(rs), ent, DEFAULT_TABLE, AS_OF).row(0, named=True)
    after = score(_frame(worse_rows), ent, DEFAULT_TABLE, AS_OF).row(0, named=True)
    assert after["score"] <= before["score"] + 1e-9
    assert GRADE_ORDER.index(after["grade"]) >= GRADE_ORDER.index(before["grade"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rs=st.lists(
        st.tuples(
            st.integers(1, 4),
            st.sampled_from(list(Indicator)),
            st.integers(-60, 1200),
            st.floats(0, 3, allow_nan=False),
        ),
        max_size=40,
    ),
    queries=st.lists(st.tuples(st.integers(1, 5), st.integers(-60, 60)), min_size=1, max_size=8),
    parts=st.integers(1, 3),
)
def test_score_before_a_day_is_the_score_as_of_the_day_before(rs, queries, parts):
    ev = _frame(rs)
    ent = enterprises(1, 2, 3, 4, tags={2: ["dust"]}, industry={3: "B"})
    q = pl.DataFrame(
        {
            "enterprise_id": [e for e, _ in queries],
            "date": [AS_OF + timedelta(days=d) for _, d in queries],
        }
    )
    got = score_before(ev, ent, DEFAULT_TABLE, q, partitions=parts)
    assert got.height == len(queries)
    for row in got.iter_rows(named=True):
        day_before = row["date"] - timedelta(days=1)
        known = ev.filter(pl.col("date") <= day_before)
        one = ent.filter(pl.col("enterprise_id") == row["enterprise_id"])
        if one.is_empty():  # not in the enterprises frame: no inherent risk
            one = enterprises(row["enterprise_id"])
        expected_score = score(known, one, DEFAULT_TABLE, day_before)["score"].item()
        assert row["score"] == pytest.approx(expected_score, abs=1e-9)


def test_score_before_ignores_the_days_own_records_and_later_ones():
    ev = events((1, Indicator.PENALTY, 0), (1, Indicator.PENALTY, -5), (1, Indicator.PENALTY, 1))
    q = pl.DataFrame({"enterprise_id": [1, 1], "date": [AS_OF, date(2027, 1, 1)]})
    got = score_before(ev, enterprises(1), DEFAULT_TABLE, q)
    assert got["records"].to_list() == [1, 3]
    assert got["score"][0] == 94  # the record of the day before, at full points

"""The backtest's measures and the calibration, on small hand-made and simulated periods. No
database."""

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest

from wurao.credit.backtest import BacktestInputError, backtest, measure
from wurao.credit.calibrate import CalibrationError, calibrate
from wurao.credit.engine import INDICATOR_DTYPE
from wurao.credit.points import DEFAULT_TABLE

START, END = date(2020, 1, 1), date(2020, 1, 10)


def _scored(scores, days, violations):
    return pl.DataFrame(
        {
            "enterprise_id": list(range(1, len(scores) + 1)),
            "date": [START + timedelta(days=d) for d in days],
            "violation": violations,
            "serious": violations,
            "score": scores,
            "grade": ["B"] * len(scores),
            "records": [1] * len(scores),
        }
    )


def test_the_riskiest_inspections_take_the_earliest_dates():
    # given four inspections on days 0, 3, 6 and 9 where the last two found violations and
    # scored lowest
    scored = _scored([100.0, 99.0, 80.0, 70.0], [0, 3, 6, 9], [False, False, True, True])

    # when they are put in the table's order
    b = measure(scored, table_version=1, start=START, end=END)

    # then the 70 takes day 0 and the 80 day 3: nine and three days earlier, six on average
    assert b.days_earlier == 6.0
    assert b.first_half_share == 1.0 and b.first_half_share_actual == 0.0
    # and random orders move them by about nothing on average (their spread is shown)
    assert b.random_days_earlier_mean == pytest.approx(3.0, abs=1.0)  # 7.5 − 4.5 expected
    assert b.random_days_earlier_sd > 0


def test_ties_keep_the_order_in_which_they_happened():
    scored = _scored([100.0] * 4, [0, 3, 6, 9], [False, True, False, True])
    b = measure(scored, table_version=1, start=START, end=END)
    assert b.days_earlier == 0.0
    assert b.first_half_share == b.first_half_share_actual == 0.5


def test_hit_rates_per_grade_and_coverage():
    scored = _scored([100.0, 80.0, 70.0], [0, 1, 2], [False, True, True]).with_columns(
        pl.Series("grade", ["B", "C", "C"]), pl.Series("records", [0, 2, 1])
    )
    b = measure(scored, table_version=1, start=START, end=END, draws=10)
    assert (b.hit_rate_by_grade["C"].inspections, b.hit_rate_by_grade["C"].rate) == (2, 1.0)
    assert b.hit_rate_by_grade["A"].rate is None
    assert b.coverage == pytest.approx(2 / 3)
    assert set(b.to_json()) >= {
        "days_earlier",
        "first_half_share",
        "first_half_share_actual",
        "random_days_earlier_mean",
        "random_days_earlier_sd",
        "hit_rate_by_grade",
        "inspections",
    }


def _history(seed: int = 3, n: int = 1500):
    """A district where some enterprises are riskier: they find more at every inspection, and
    each violation found becomes a record ("problems found at inspection") on its day."""
    rng = np.random.default_rng(seed)
    risk = rng.gamma(0.6, 1 / 0.6, n)
    who = rng.choice(n, 9000)
    days = np.sort(rng.integers(0, 3 * 365, 9000))
    violation = rng.random(9000) < np.minimum(0.2 * risk[who], 0.9)
    inspections = pl.DataFrame(
        {
            "enterprise_id": who.astype(np.int64),
            "date": [date(2019, 1, 1) + timedelta(days=int(d)) for d in days],
            "violation": violation,
            "serious": violation & (rng.random(9000) < 0.3),
        }
    )
    events = inspections.filter("violation").select(
        "enterprise_id",
        pl.lit("inspection_problem", INDICATOR_DTYPE).alias("indicator"),
        "date",
    )
    return inspections, events, pl.DataFrame({"enterprise_id": np.arange(n, dtype=np.int64)})


def test_a_table_that_points_at_risk_beats_random_by_its_spread():
    inspections, events, enterprises = _history()
    b = backtest(
        inspections,
        events,
        enterprises,
        DEFAULT_TABLE,
        start=date(2020, 1, 1),
        end=date(2020, 12, 31),
    )
    assert b.inspections == inspections.filter(pl.col("date").dt.year() == 2020).height
    assert b.lift_sd > 2
    assert b.first_half_share > b.random_first_half_share_mean
    with pytest.raises(BacktestInputError):
        backtest(inspections, events, enterprises, DEFAULT_TABLE, start=END, end=START)


def test_calibration_keeps_signs_fits_what_the_data_has_and_leaves_the_rest():
    inspections, events, enterprises = _history()
    train = dict(start=date(2020, 1, 1), end=date(2020, 12, 31))
    fit = calibrate(
        inspections, events, enterprises, DEFAULT_TABLE, **train, version=2, effective_from=END
    )
    problem = next(k for k in fit.kinds if k.code == "inspection_problem")
    assert problem.records > 0 and problem.points_after < 0
    assert fit.log_loss < fit.log_loss_null
    untouched = next(k for k in fit.kinds if k.code == "award")
    assert untouched.records == 0 and untouched.points_after == untouched.points_before
    assert fit.table.rule("award") == DEFAULT_TABLE.rule("award")
    assert (fit.table.version, fit.table.thresholds) == (2, DEFAULT_TABLE.thresholds)
    # the proposal is judged on a held-out year: it must still point at risk there
    held_out = backtest(
        inspections, events, enterprises, fit.table, start=date(2021, 1, 1), end=date(2021, 12, 31)
    )
    assert held_out.lift_sd > 2


def test_calibration_refuses_a_period_without_enough_to_learn_from():
    inspections, events, enterprises = _history()
    with pytest.raises(CalibrationError) as caught:
        calibrate(
            inspections,
            events,
            enterprises,
            DEFAULT_TABLE,
            start=date(2018, 1, 1),
            end=date(2018, 12, 31),
            version=2,
            effective_from=END,
        )
    assert "至少 20 次检查" in caught.value.message_zh

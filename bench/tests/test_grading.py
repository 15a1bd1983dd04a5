"""bench.grading's backtest inputs on a tiny city, and a small run of the whole bench."""

import json
from datetime import date, timedelta

import numpy as np
import polars as pl

from bench import grading
from wurao.credit.backtest import INSPECTION_SCHEMA
from wurao.credit.points import DEFAULT_TABLE


def test_working_days_are_the_mondays_to_fridays_of_the_year_before_the_as_of_date():
    days = grading.working_days(grading.AS_OF)

    assert len(days) == 261
    assert all(d.weekday() < 5 for d in days)
    assert days == sorted(days)
    assert days[0] >= grading.AS_OF - timedelta(days=365)
    assert days[-1] == date(2026, 11, 26)


def test_inspections_every_working_day_weighted_to_enterprises_with_records():
    synthetic = grading.generate(20_000, 300_000, seed=3, table=DEFAULT_TABLE)
    rows = grading.inspections(synthetic, per_day=30, seed=4)
    days = grading.working_days(grading.AS_OF)

    assert rows.schema == pl.Schema(INSPECTION_SCHEMA)
    assert rows.height == 30 * len(days)
    per_day = rows.group_by("date").len()
    assert per_day.height == len(days) and (per_day["len"] == 30).all()
    assert (rows["serious"] & ~rows["violation"]).sum() == 0
    assert 0 < rows["serious"].sum() < rows["violation"].sum()

    records = np.bincount(synthetic.event_enterprise - 1, minlength=20_000)
    inspected = records[rows["enterprise_id"].to_numpy() - 1]
    assert (inspected > 0).mean() > 0.85  # 80% of the enterprises have records
    heavy = inspected >= np.median(inspected)
    violation = rows["violation"].to_numpy()
    assert violation[heavy].mean() > violation[~heavy].mean()

    # Not pre-filtered: the inspected enterprises' records run past their inspections,
    # and only the engine's rule (strictly before the day) keeps them out.
    events = pl.DataFrame(
        {"enterprise_id": synthetic.event_enterprise, "date": pl.Series(synthetic.days)}
    ).with_columns(pl.col("date").cast(pl.Date))
    later = rows.join(events, on="enterprise_id", suffix="_record").filter(
        pl.col("date_record") >= pl.col("date")
    )
    assert later.height > 0


def test_a_small_run_prints_the_regrade_and_the_backtest(capsys):
    code = grading.main(
        [
            "--json",
            "--enterprises=4000",
            "--events=50000",
            "--runs=2",
            "--sample=100",
            "--no-pandas",
            "--no-demo",
        ]
    )

    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["regrade_4m_s"] > 0 and result["breakdown_sums_match"]
    assert result["backtest_per_day"] == 4  # 4,000 a day per 4M enterprises
    assert result["backtest_inspections"] == 4 * 261
    assert len(result["backtest_4m_runs_s"]) == 2
    assert result["backtest_4m_s"] == min(result["backtest_4m_runs_s"])
    assert result["backtest_4m_peak_bytes"] >= result["backtest_input_bytes"]
    # Not asserted equal: the engine's sums may come out in another order on another run.
    assert len(result["backtest_days_earlier_runs"]) == 2
    assert 0 < result["backtest_violations"] < result["backtest_inspections"]
    assert (result["backtest_start"], result["backtest_end"]) == ("2025-11-27", "2026-11-26")

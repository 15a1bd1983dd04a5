"""The benchmark's pandas implementation (bench.grading) grades exactly as the engine does,
so that its timing compares like with like."""

from datetime import timedelta

import numpy as np
import pandas as pd
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.grading import AS_OF, generate, pandas_frames, pandas_score, polars_frames
from wurao.credit.engine import score
from wurao.credit.points import DEFAULT_TABLE, Indicator


def test_pandas_and_the_engine_agree_on_generated_data():
    synthetic = generate(2_000, 30_000, seed=7, table=DEFAULT_TABLE)
    events, enterprises = polars_frames(synthetic)
    ours = score(events, enterprises, DEFAULT_TABLE, AS_OF)
    theirs = pandas_score(*pandas_frames(synthetic), DEFAULT_TABLE, AS_OF)
    assert ours["enterprise_id"].to_list() == theirs["enterprise_id"].tolist()
    assert ours["grade"].cast(pl.String).to_list() == theirs["grade"].tolist()
    assert np.abs(ours["score"].to_numpy() - theirs["score"].to_numpy()).max() < 1e-9
    assert len(set(theirs["grade"])) == 4


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(1, 4),
            st.sampled_from(list(Indicator)),
            st.integers(0, 1200),
            st.sampled_from([1.0, 2.0, 3.0]),
        ),
        max_size=40,
    ),
    tags=st.lists(
        st.tuples(st.integers(1, 4), st.sampled_from(["hazchem", "dust", "food", "other"])),
        max_size=8,
    ),
)
def test_pandas_and_the_engine_agree_record_by_record(rows, tags):
    ids = [1, 2, 3, 4]
    dates = [AS_OF - timedelta(days=r[2]) for r in rows]
    ev = pl.DataFrame(
        {
            "record_id": list(range(len(rows))),
            "enterprise_id": [r[0] for r in rows],
            "indicator": [r[1].value for r in rows],
            "date": dates,
            "severity": [r[3] for r in rows],
        },
        schema={
            "record_id": pl.Int64,
            "enterprise_id": pl.Int64,
            "indicator": pl.String,
            "date": pl.Date,
            "severity": pl.Float64,
        },
    )
    ent = pl.DataFrame(
        {
            "enterprise_id": ids,
            "tags": [[t for e, t in tags if e == i] for i in ids],
            "industry_section": ["A", "B", "C", None],
        }
    )
    ours = score(ev, ent, DEFAULT_TABLE, AS_OF)
    pd_events = pd.DataFrame(
        {
            "record_id": list(range(len(rows))),
            "enterprise_id": pd.Series([r[0] for r in rows], dtype="int64"),
            "indicator": pd.Categorical(
                [r[1].value for r in rows], categories=[i.value for i in Indicator]
            ),
            "date": pd.Series(pd.to_datetime(dates), dtype="datetime64[s]"),
            "severity": pd.Series([r[3] for r in rows], dtype=float),
        }
    )
    pd_ent = pd.DataFrame({"enterprise_id": ids, "industry_section": ["A", "B", "C", None]})
    pd_tags = pd.DataFrame(tags, columns=["enterprise_id", "tag"]).astype(
        {"enterprise_id": "int64"}
    )
    theirs = pandas_score(pd_events, pd_ent, pd_tags, DEFAULT_TABLE, AS_OF)
    assert ours["grade"].cast(pl.String).to_list() == theirs["grade"].tolist()
    assert np.abs(ours["score"].to_numpy() - theirs["score"].to_numpy()).max() < 1e-9

"""The points table: the default version, its JSON form, and the problems a justice-bureau
editor would make, each refused with its place and a message in Chinese and English."""

import dataclasses
import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wurao.credit.points import DEFAULT_TABLE, IndicatorRule, Thresholds, table_in_force
from wurao.credit.points_catalogue import FORMAT, INDICATORS, Decay, Grade, Indicator
from wurao.credit.points_json import table_from_dict, table_from_json, table_to_dict, table_to_json
from wurao.credit.points_problems import PointsTableError, TableErrorCode


def edited(change) -> dict:
    data = table_to_dict(DEFAULT_TABLE)
    change(data)
    return data


def refused(data) -> PointsTableError:
    with pytest.raises(PointsTableError) as caught:
        table_from_dict(data)
    return caught.value


def test_the_default_table_scores_every_indicator_in_the_catalogue():
    assert [r.indicator for r in DEFAULT_TABLE.rules] == list(Indicator)
    assert DEFAULT_TABLE.version == 1
    assert DEFAULT_TABLE.thresholds == Thresholds(a=103, b=90, c=75)


def test_the_default_effects_make_good_credit_quiet_and_poor_credit_watched():
    weights = {e.grade: e.sampling_weight for e in DEFAULT_TABLE.effects}
    assert weights == {"A": Decimal("0.5"), "B": Decimal("1"), "C": Decimal("2"), "D": Decimal("4")}
    assert "绿色通道" in DEFAULT_TABLE.effect(Grade.A).flags
    assert DEFAULT_TABLE.effect(Grade.D).visit_cap_per_year is None
    quiet = [DEFAULT_TABLE.effect(g).quiet_period_days for g in Grade]
    assert quiet == sorted(quiet, reverse=True)


def test_json_round_trip_gives_the_same_table():
    text = table_to_json(DEFAULT_TABLE)
    assert table_from_json(text) == DEFAULT_TABLE
    data = json.loads(text)
    assert data["format"] == FORMAT
    assert data["effects"]["A"]["sampling_weight"] == "0.5"
    assert "危化品" in text  # readable, not \\u escapes


def test_an_unknown_indicator_is_refused_with_the_choices():
    error = refused(edited(lambda d: d["indicators"][0].update(indicator="penalti")))
    (problem,) = error.problems
    assert problem.code == TableErrorCode.INDICATOR_UNKNOWN
    assert problem.path == "indicators[0].indicator"
    assert "未知的指标“penalti”" in problem.message_zh
    assert "penalty（行政处罚）" in problem.message_zh
    assert "unknown indicator 'penalti'" in problem.message_en


@pytest.mark.parametrize("window", [-30, 0, 1.5, None])
def test_a_window_that_is_not_a_positive_whole_number_of_days_is_refused(window):
    data = edited(lambda d: d["indicators"][1].update(window_days=window))
    error = refused(data)
    assert error.problems[0].path == "indicators[1].window_days"
    assert error.codes <= {TableErrorCode.WINDOW_INVALID, TableErrorCode.FIELD_TYPE}


def test_a_negative_window_says_what_is_wrong_in_both_languages():
    (problem,) = refused(edited(lambda d: d["indicators"][1].update(window_days=-30))).problems
    assert problem.code == TableErrorCode.WINDOW_INVALID
    assert problem.message_zh == "“行政强制措施”的回溯期须为 1 至 36500 之间的整数天，实为 -30"
    assert (
        problem.message_en == "window_days must be a whole number of days from 1 to 36500, got -30"
    )


@pytest.mark.parametrize(
    ("a", "b", "c"), [(90, 103, 75), (103, 75, 90), (103, 103, 75), (75, 90, 103)]
)
def test_thresholds_out_of_order_are_refused(a, b, c):
    error = refused(edited(lambda d: d.update(thresholds={"A": a, "B": b, "C": c})))
    (problem,) = error.problems
    assert problem.code == TableErrorCode.THRESHOLDS_ORDER
    assert problem.message_zh == f"分数线须从高到低：A（{a}）> B（{b}）> C（{c}）"


def test_every_problem_is_reported_at_once():
    def change(d):
        d["indicators"][0]["indicator"] = "penalti"
        d["indicators"][1]["window_days"] = -1
        d["indicators"][2]["points"] = 3
        d["thresholds"] = {"A": 80, "B": 90, "C": 70}
        d["effects"]["D"]["quiet_period_days"] = -1

    assert refused(edited(change)).codes == {
        TableErrorCode.INDICATOR_UNKNOWN,
        TableErrorCode.WINDOW_INVALID,
        TableErrorCode.POINTS_SIGN,
        TableErrorCode.THRESHOLDS_ORDER,
        TableErrorCode.EFFECT_INVALID,
    }


@pytest.mark.parametrize(
    ("change", "code", "path"),
    [
        (
            lambda d: d["indicators"][0].update(points=5),
            TableErrorCode.POINTS_SIGN,
            "indicators[0].points",
        ),
        (
            lambda d: d["indicators"][3].update(points=-1),
            TableErrorCode.POINTS_SIGN,
            "indicators[3].points",
        ),
        (
            lambda d: d["indicators"][0].update(decay="stepwise"),
            TableErrorCode.DECAY_UNKNOWN,
            "indicators[0].decay",
        ),
        (
            lambda d: d["indicators"][2].update(half_life_days=None),
            TableErrorCode.HALF_LIFE_INVALID,
            "indicators[2].half_life_days",
        ),
        (
            lambda d: d["indicators"][2].update(half_life_days=0),
            TableErrorCode.HALF_LIFE_INVALID,
            "indicators[2].half_life_days",
        ),
        (
            lambda d: d["indicators"][0].update(half_life_days=90),
            TableErrorCode.HALF_LIFE_INVALID,
            "indicators[0].half_life_days",
        ),
        (
            lambda d: d["indicators"][0].update(cap=0),
            TableErrorCode.CAP_INVALID,
            "indicators[0].cap",
        ),
        (
            lambda d: d["indicators"][0].update(cap=-10),
            TableErrorCode.CAP_INVALID,
            "indicators[0].cap",
        ),
        (
            lambda d: d["indicators"].append(dict(d["indicators"][0])),
            TableErrorCode.INDICATOR_DUPLICATE,
            "indicators[13].indicator",
        ),
        (
            lambda d: d["indicators"][0].update(windows=3),
            TableErrorCode.FIELD_UNKNOWN,
            "indicators[0].windows",
        ),
        (
            lambda d: d["indicators"][0].pop("points"),
            TableErrorCode.FIELD_MISSING,
            "indicators[0].points",
        ),
        (
            lambda d: d["indicators"][0].update(points="6"),
            TableErrorCode.FIELD_TYPE,
            "indicators[0].points",
        ),
        (lambda d: d.update(version=0), TableErrorCode.VERSION_INVALID, "version"),
        (
            lambda d: d.update(effective_from="2026-13-01"),
            TableErrorCode.FIELD_TYPE,
            "effective_from",
        ),
        (lambda d: d.update(format="other-v9"), TableErrorCode.FORMAT_UNKNOWN, "format"),
        (lambda d: d.update(tag_cap=0), TableErrorCode.CAP_INVALID, "tag_cap"),
        (
            lambda d: d["tags"].append({"code": "food", "points": -1}),
            TableErrorCode.TAG_DUPLICATE,
            "tags[12].code",
        ),
        (
            lambda d: d["industries"].append({"section": "Z", "points": -1}),
            TableErrorCode.INDUSTRY_INVALID,
            "industries[7]",
        ),
        (lambda d: d["effects"].pop("C"), TableErrorCode.EFFECT_MISSING, "effects.C"),
        (
            lambda d: d["effects"]["A"].update(sampling_weight=0.5),
            TableErrorCode.EFFECT_INVALID,
            "effects.A.sampling_weight",
        ),
        (
            lambda d: d["effects"]["A"].update(sampling_weight="-1"),
            TableErrorCode.EFFECT_INVALID,
            "effects.A.sampling_weight",
        ),
        (
            lambda d: d["effects"]["B"].update(visit_cap_per_year=-2),
            TableErrorCode.EFFECT_INVALID,
            "effects.B.visit_cap_per_year",
        ),
        (lambda d: d["thresholds"].pop("C"), TableErrorCode.FIELD_MISSING, "thresholds.C"),
    ],
)
def test_each_kind_of_mistake_is_refused_where_it_is(change, code, path):
    problems = refused(edited(change)).problems
    assert (problems[0].code, problems[0].path) == (code, path)
    assert problems[0].message_zh and problems[0].message_en


def test_invalid_json_says_where():
    with pytest.raises(PointsTableError) as caught:
        table_from_json('{"version": 1,')
    assert caught.value.problems[0].code == TableErrorCode.JSON_INVALID
    assert "第 1 行" in caught.value.problems[0].message_zh


def test_a_table_cannot_be_built_invalid_in_code_either():
    with pytest.raises(PointsTableError) as caught:
        dataclasses.replace(DEFAULT_TABLE, rules=(IndicatorRule("nonsense", -1, 30),))  # type: ignore[arg-type]
    assert caught.value.codes == {TableErrorCode.INDICATOR_UNKNOWN}


def test_plain_strings_become_catalogue_members():
    rule = IndicatorRule("penalty", -6, 30, "linear")  # type: ignore[arg-type]
    assert rule.indicator is Indicator.PENALTY and rule.decay is Decay.LINEAR


def test_every_indicator_has_a_label_and_a_direction():
    assert set(INDICATORS) == set(Indicator)
    assert all(info.label and info.direction in (-1, 1) for info in INDICATORS.values())


def test_the_table_in_force_is_the_newest_version_whose_date_has_come():
    v2 = dataclasses.replace(DEFAULT_TABLE, version=2, effective_from=date(2026, 7, 1))
    v3 = dataclasses.replace(DEFAULT_TABLE, version=3, effective_from=date(2027, 1, 1))
    tables = [v3, DEFAULT_TABLE, v2]
    assert table_in_force(tables, date(2026, 6, 30)).version == 1
    assert table_in_force(tables, date(2026, 7, 1)).version == 2
    assert table_in_force(tables, date(2030, 1, 1)).version == 3
    with pytest.raises(PointsTableError) as caught:
        table_in_force(tables, date(2019, 12, 31))
    assert caught.value.codes == {TableErrorCode.NO_TABLE_IN_FORCE}


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 40000)
    | st.floats(allow_nan=True)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(path=st.lists(st.integers(0, 20), min_size=1, max_size=4), value=json_values)
def test_any_edit_of_the_json_gives_a_table_or_a_table_error_never_a_crash(path, value):
    data = table_to_dict(DEFAULT_TABLE)
    node = data
    for step in path[:-1]:  # walk down to some field, then replace it
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        key, child = children[step % len(children)]
        if not isinstance(child, dict | list) or not child:
            break
        node = child
    children = list(node) if isinstance(node, dict) else list(range(len(node)))
    node[children[path[-1] % len(children)]] = value
    try:
        table_from_dict(data)
    except PointsTableError as error:
        assert error.problems and all(p.message_zh and p.message_en for p in error.problems)

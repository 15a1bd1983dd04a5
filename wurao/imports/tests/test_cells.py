"""How single cells are read. No database: reference data is a plain Lookups."""

import datetime as dt

import pytest

from wurao.imports.cells import (
    Invalid,
    Lookups,
    boolean,
    date,
    industry_code,
    industry_sections,
    non_negative_int,
    risk_tags,
)
from wurao.registry.industries import INDUSTRY_SECTIONS, industry_section_of

LOOKUPS = Lookups.build(
    streets=[(1, "440309005", "福城街道"), (2, "440309004", "观湖街道")],
    communities=[(10, 1, "440309005001", "福城社区"), (11, 2, "440309004001", "新田社区")],
    risk_tags=[(7, "hazchem", "危化品"), (8, "dust", "粉尘涉爆")],
)


def parse(function, cell):
    return function(cell, LOOKUPS, {})


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("C3311", ("C", "3311")), ("3311", ("C", "3311")), ("0111", ("A", "0111")), (" i6510 ", ("I", "6510")),
     (7010, ("K", "7010")), ("9700", ("T", "9700"))],
)  # fmt: skip
def test_industry_code_derives_the_section_from_the_division(cell, expected):
    assert parse(industry_code, cell) == expected


@pytest.mark.parametrize("cell", ["A3311", "9911", "0011", "331", "C33110", "制造业"])
def test_wrong_industry_codes_are_rejected(cell):
    result = parse(industry_code, cell)

    assert isinstance(result, Invalid) and result.code == "bad_industry_code"


def test_every_division_from_01_to_97_has_exactly_one_section():
    sections = [industry_section_of(d) for d in range(1, 98)]

    assert None not in sections
    assert industry_section_of(0) is None and industry_section_of(98) is None
    assert [s for s, *_ in INDUSTRY_SECTIONS] == sorted(dict.fromkeys(sections))


@pytest.mark.parametrize(
    "cell",
    ["2015-06-01", "2015/6/1", "2015年6月1日", "2015.6.1", "2015/6/1 0:00", dt.date(2015, 6, 1),
     dt.datetime(2015, 6, 1), 42156],
)  # fmt: skip
def test_dates_are_read_in_the_formats_people_type_and_excel_stores(cell):
    assert parse(date, cell) == dt.date(2015, 6, 1)


@pytest.mark.parametrize("cell", ["2015-02-30", "2015-13-01", "01/06/2015", "去年", "20150601x"])
def test_bad_dates_are_rejected(cell):
    result = parse(date, cell)

    assert isinstance(result, Invalid) and result.code == "bad_date"


@pytest.mark.parametrize(("cell", "expected"), [("是", True), ("否", False), ("Y", True), ("n", False), ("1", True),
                                                 (0, False), ("TRUE", True), ("false", False), (True, True)])  # fmt: skip
def test_booleans_accept_chinese_and_english_forms(cell, expected):
    assert parse(boolean, cell) is expected


def test_a_bad_boolean_says_what_to_write():
    result = parse(boolean, "也许")

    assert result.code == "bad_boolean" and "是/否" in result.message


def test_risk_tags_split_on_any_separator_and_match_name_or_code():
    assert parse(risk_tags, "危化品；DUST、危化品") == frozenset({7, 8})


def test_unknown_risk_tags_are_named():
    result = parse(risk_tags, "危化品|有限空间")

    assert result.code == "unknown_risk_tag" and "有限空间" in result.message


@pytest.mark.parametrize(("cell", "expected"), [("35", 35), (35.0, 35), ("1,200", 1200), ("0", 0)])
def test_employee_counts_are_non_negative_integers(cell, expected):
    assert parse(non_negative_int, cell) == expected


@pytest.mark.parametrize("cell", ["-1", "3.5", "三十"])
def test_bad_employee_counts_are_rejected(cell):
    assert parse(non_negative_int, cell).code == "bad_integer"


def test_industry_sections_accept_letters_in_a_list_or_run_together():
    assert parse(industry_sections, "c;F") == ["C", "F"]
    assert parse(industry_sections, "CF") == ["C", "F"]
    assert parse(industry_sections, "C;Z").code == "bad_industry_section"

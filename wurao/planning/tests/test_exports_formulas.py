"""The planning files a user downloads never carry a live formula: an enterprise named
`=HYPERLINK(...)`, or a finding an officer typed starting with `+`, `-` or `@`, opens as the
text it is (OWASP, "CSV Injection"); the item number stays a number."""

import csv
import io

import pytest
from openpyxl import load_workbook

from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.planning import services_coordination
from wurao.planning.choices import ItemResult
from wurao.planning.tests.test_pages_forms import form_url, joint_visit_build
from wurao.registry.models import Enterprise

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-07")]

NAME = '=HYPERLINK("http://evil.example/","点击查看整改通知")'
FINDING = "+cmd|' /C calc'!A0"
RECTIFICATION = "-2+3+cmd|' /C calc'!A0"
REASON = "@SUM(1+1)*cmd|' /C calc'!A0"


def _cells(data: bytes):
    sheet = load_workbook(io.BytesIO(data)).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_users_text_that_looks_like_a_formula_is_text_in_the_consolidated_form(client, street):
    # given a confirmed joint visit of an enterprise whose name is a formula, with a result
    # whose finding, rectification and correction reason look like formulas too
    joint = joint_visit_build(street)
    Enterprise.objects.filter(pk=joint.enterprise.pk).update(name=NAME)
    part = joint.environment
    row = {"item": part.item, "result": ItemResult.FAIL, "rectification": RECTIFICATION}
    services_coordination.form_results_record(
        actor=part.admin,
        visit=joint.visit,
        department=part.department,
        results=[{**row, "finding": "排放口未设标识"}],
    )
    services_coordination.form_results_correct(
        actor=part.admin,
        visit=joint.visit,
        department=part.department,
        results=[{**row, "finding": FINDING}],
        reason=REASON,
    )
    client.force_login(joint.market.admin)

    # when the form is downloaded as a workbook
    cells = _cells(client.get(form_url(joint, "xlsx/")).content)

    # then each of those texts is a string cell showing the text, and no cell is a formula
    by_text = {c.value: c for c in cells}
    finding = next(c for c in cells if str(c.value).startswith(FINDING))
    for cell in (by_text[NAME], by_text[RECTIFICATION], finding):
        assert cell.data_type == "s" and cell.quotePrefix
    assert REASON in finding.value
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    # and the items' numbers are numbers still
    numbers = [c.value for c in cells if c.column == 1 and c.data_type == "n"]
    assert numbers == [1, 2]


def test_an_item_code_that_looks_like_a_formula_is_text_in_the_plan_templates(
    client, dept_admin, department
):
    # given the department's catalogue has an item whose code looks like a formula
    InspectionItemFactory(department=department, code="=1+1")
    InspectionItemFactory(department=department, code="YJ-002")
    client.force_login(dept_admin)

    # when the plan template is downloaded as a workbook and as CSV
    cells = _cells(client.get("/planning/plans/import/template.xlsx?month=2027-03").content)
    text = client.get("/planning/plans/import/template.csv?month=2027-03").content
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"), newline="")))

    # then the example naming it is text in both
    example = next(c for c in cells if str(c.value).startswith("=1+1"))
    assert example.data_type == "s" and example.quotePrefix
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert rows[1][1] == "'=1+1、YJ-002"

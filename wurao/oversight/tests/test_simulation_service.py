"""The simulator on the registry: a hand-built year read by the loader, run by the service and
printed by `wurao simulate`."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wurao.enforcement.choices import Finding, Origin
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.oversight.simulation.rules import default_ruleset, empty_ruleset
from wurao.oversight.simulation.service import simulation_run, simulation_years
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory
from wurao.visits.choices import VisitPurpose, VisitStatus
from wurao.visits.tests.factories import NonEnforcementVisitFactory

pytestmark = pytest.mark.django_db

KEYS = {
    "baseline",
    "proposal",
    "onsite_visits_reduction",
    "max_visits_reduction",
    "d_coverage_kept",
    "findings_kept",
    "by_rule",
}


@pytest.fixture
def year_2019():
    """One enterprise visited 8 times in March 2019: four departments' planned inspections on
    four days (one found a problem), a complaint, and three union visits (one cancelled)."""
    busy = EnterpriseFactory(name="深圳市繁忙制造有限公司", size_class="large")
    quiet = EnterpriseFactory()
    departments = DepartmentFactory.create_batch(4)
    for n, department in enumerate(departments):
        EnforcementActionFactory(
            enterprise=busy,
            department=department,
            date=datetime.date(2019, 3, 4 + n),
            origin=Origin.PLAN,
            finding=Finding.PROBLEMS if n == 0 else Finding.CLEAN,
        )
    EnforcementActionFactory(
        enterprise=busy,
        department=departments[0],
        date=datetime.date(2019, 3, 20),
        origin=Origin.COMPLAINT,
    )
    EnforcementActionFactory(enterprise=quiet, date=datetime.date(2019, 6, 3))
    union = DepartmentFactory(is_enforcement=False)
    for day in (11, 12):
        NonEnforcementVisitFactory(
            enterprise=busy, department=union, date=datetime.date(2019, 3, day)
        )
    NonEnforcementVisitFactory(
        enterprise=busy,
        department=union,
        date=datetime.date(2019, 3, 13),
        status=VisitStatus.CANCELLED,
    )
    NonEnforcementVisitFactory(
        enterprise=busy, date=datetime.date(2019, 3, 14), purpose=VisitPurpose.POLICY
    )
    return busy


def test_empty_rule_set_reproduces_the_registry(year_2019):
    result = simulation_run(year=2019, proposal=empty_ruleset())

    # 5 inspections, 3 non-enforcement visits (the cancelled one is not counted), 1 elsewhere
    assert result["baseline"]["onsite_visits"] == 9
    assert result["proposal"] == result["baseline"]
    assert result["baseline"]["max_enterprise"] == {
        "id": year_2019.pk,
        "name": "深圳市繁忙制造有限公司",
        "visits": 8,
    }
    assert result["onsite_visits_reduction"] == 0
    assert result["findings_kept"] == 1.0
    assert result["by_rule"] == {}


def test_default_rules_merge_fold_and_keep_the_complaint(year_2019):
    result = simulation_run(year=2019, proposal=default_ruleset())

    # the four planned inspections join the complaint's visit on its day (a large enterprise
    # takes five departments at once); the union visits join it too; the policy talk goes
    # online
    top = result["max_enterprise_visits"]
    assert (top["baseline"], top["proposal"]) == (8, 1)
    assert result["by_rule"] == {
        "joint_merge": 4,
        "non_enforcement_fold": 2,
        "non_enforcement_offsite": 1,
    }
    assert result["findings_kept"] == 1.0
    assert set(result) >= KEYS | {"year", "seconds", "rule_labels"}
    assert simulation_years() == [2019]


def test_command_json_prints_the_issue_keys(year_2019, capsys):
    call_command("simulate", "--year", "2019", "--json")
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) >= KEYS
    assert printed["proposal"]["onsite_visits"] == 9 - 7


def test_command_table_and_refusals(year_2019, capsys, tmp_path):
    call_command("simulate", "--year", "2019")
    out = capsys.readouterr().out
    assert "现场入企减少" in out and "深圳市繁忙制造有限公司：8 → 1 次" in out

    with pytest.raises(CommandError, match="2018 年没有入企记录"):
        call_command("simulate", "--year", "2018")
    bad = tmp_path / "rules.json"
    bad.write_text(json.dumps({"draw": {"grades": ["D"], "origins": ["plan"], "ratio": 0.1}}))
    with pytest.raises(CommandError, match="draw.grades"):
        call_command("simulate", "--year", "2019", "--rules", str(bad))

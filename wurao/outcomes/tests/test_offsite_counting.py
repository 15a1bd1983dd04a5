"""An off-site inspection counts as an inspection, never as a visit, in every figure: the
oversight dashboard, the credit grading, the enterprise's caps, the public yearly figures and
the enterprise's file. And 部门比较's outcome figures on a small built world."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from wurao.accounts.scope import Scope
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.credit.points_catalogue import Indicator
from wurao.credit.selectors_grading import events_frame
from wurao.disclosure.selectors import annual_figures
from wurao.enforcement.choices import Finding
from wurao.enforcement.models import EnforcementAction
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.outcomes.choices import (
    CaseKind,
    CaseStatus,
    CheckResult,
    Disposition,
    RectificationStatus,
    Topic,
)
from wurao.outcomes.models import Case, FindingNotice, ItemCheck, Rectification
from wurao.outcomes.tests.offsite_support import recorded
from wurao.oversight.filters import Slice
from wurao.oversight.selectors_dashboard import overview_data
from wurao.oversight.selectors_outcomes import department_outcomes
from wurao.registry.tests.factories import DepartmentFactory
from wurao.visits import services as visit_services
from wurao.visits.tests.support import _reg

pytestmark = pytest.mark.django_db
ALL = Scope(sees_all=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _today():
    return timezone.localdate()


def _two_off_site(actor, enterprise, department):
    day = _today().replace(day=1)
    return [recorded(actor, enterprise, department, day=day) for _ in range(2)]


def test_the_dashboard_counts_it_as_an_inspection_and_not_as_a_visit(
    dept_admin, department, enterprise
):
    _two_off_site(dept_admin, enterprise, department)
    EnforcementActionFactory(enterprise=enterprise, department=department, date=_today())

    data = overview_data(scope=ALL, slice=Slice.year(_today().year))

    assert data["by_kind"]["inspection"] == 3  # Table 1: every inspection
    assert data["contacts"]["enforcement"] == 1  # 入企: only the one on site
    assert data["contacts"]["total"] == 1
    assert data["contacts"]["off_site_inspections"] == 2
    assert data["figure2"]["total"] == 1


def test_the_department_tab_shows_the_off_site_share_and_keeps_it_out_of_visits(
    client, justice_user, dept_admin, department, enterprise
):
    _two_off_site(dept_admin, enterprise, department)
    EnforcementActionFactory(enterprise=enterprise, department=department, date=_today())
    client.force_login(justice_user)
    year = _today().year

    page = client.get(
        f"/oversight/departments/?date_from={year}-01-01&date_to={year}-12-31"
    ).content.decode()

    row = page.split(f'data-outcomes-department="{department.pk}"')[1].split("</tr>")[0]
    assert "66.7%" in row and "2/3" in row
    contacts = page.split(f'data-department="{department.pk}"')[1].split("</tr>")[0]
    assert 'data-field="contacts">1<' in contacts and 'data-field="inspections">3<' in contacts


def test_the_enterprise_s_caps_are_not_used_by_off_site_inspections(
    client, enterprise_user, dept_admin, department, enterprise
):
    _two_off_site(dept_admin, enterprise, department)
    client.force_login(enterprise_user)

    page = client.get("/visits/mine/").content.decode()
    # the ungraded cap of one department is 2: two off-site inspections leave it untouched
    visit = visit_services.visit_register(actor=dept_admin, reg=_reg(enterprise, department))

    assert 'id="total-used">0<span class="fs-5 text-muted"> / 6</span>' in page
    assert visit.status == "registered"


def test_the_credit_grading_scores_it_as_an_inspection(dept_admin, department, enterprise):
    action, _ = _two_off_site(dept_admin, enterprise, department)
    EnforcementAction.objects.filter(pk=action.pk).update(finding=Finding.CLEAN)

    frame = events_frame(as_of=_today(), enterprise_ids=[enterprise.pk])

    assert frame["indicator"].to_list() == [Indicator.INSPECTION_CLEAN.value]


def test_the_public_yearly_figures_count_it_as_an_inspection(dept_admin, department, enterprise):
    _two_off_site(dept_admin, enterprise, department)

    figures = annual_figures(year=_today().year)

    row = next(r for r in figures["rows"] if r["department"] == department.name)
    assert row["inspections"] == 2 and figures["total"]["inspections"] == 2


def test_the_enterprise_file_marks_it_and_does_not_count_it_as_a_visit(
    client, justice_user, dept_admin, department, enterprise
):
    action, _ = _two_off_site(dept_admin, enterprise, department)
    client.force_login(justice_user)

    page = client.get(f"/registry/enterprises/{enterprise.pk}/").content.decode()

    assert page.count('data-mode="off_site"') == 2 and "非现场检查·在线监测数据" in page
    assert '<div class="stat-value">0</div><div class="stat-label">入企合计' in page


# ---------------------------------------------------------------- 部门比较 outcome figures


def _finding(action, *, code, ordered_on=None, deadline=None, closed_on=None, overdue=False):
    item = InspectionItemFactory(department=action.department, code=code)
    action.items.add(item)
    check = ItemCheck.objects.create(
        action=action, item=item, result=CheckResult.FINDING, description="灭火器过期"
    )
    if ordered_on is None:
        return check
    notice, _ = FindingNotice.objects.get_or_create(
        action=action, defaults={"number": f"N-{action.pk}", "issued_on": ordered_on}
    )
    Rectification.objects.create(
        item_check=check,
        notice=notice,
        enterprise=action.enterprise,
        department=action.department,
        topic=Topic.FIRE,
        requirement="更换灭火器",
        deadline=deadline or ordered_on + datetime.timedelta(days=15),
        status=RectificationStatus.CLOSED if closed_on else RectificationStatus.ORDERED,
        closed_on=closed_on,
        overdue_on=(deadline or ordered_on) + datetime.timedelta(days=16) if overdue else None,
    )
    return check


def _case(department, enterprise, number, *, disposition, proposed="bands", reason=""):
    return Case.objects.create(
        number=number,
        kind=CaseKind.PENALTY,
        enterprise=enterprise,
        department=department,
        opened_on=datetime.date(2020, 4, 1),
        decided_on=datetime.date(2020, 4, 20),
        status=CaseStatus.DECIDED,
        facts="……",
        disposition=disposition,
        proposed=proposed,
        override_reason=reason,
        amount=Decimal("5000") if disposition == Disposition.PENALTY else None,
    )


@pytest.fixture
def world(department, enterprise):
    """Two departments in 2020: 应急 with three findings (two ordered, one closed in 10 days,
    one overdue), one exempted case and one penalised against the exemption list; 环境 with a
    finding outside the year and nothing else."""
    env = DepartmentFactory(name="区生态环境局")
    a = EnforcementActionFactory(
        enterprise=enterprise, department=department, date=datetime.date(2020, 3, 1)
    )
    _finding(
        a, code="YJ-1", ordered_on=datetime.date(2020, 3, 2), closed_on=datetime.date(2020, 3, 12)
    )
    _finding(a, code="YJ-2", ordered_on=datetime.date(2020, 3, 2), overdue=True)
    b = EnforcementActionFactory(
        enterprise=enterprise, department=department, date=datetime.date(2020, 5, 1)
    )
    _finding(b, code="YJ-3")
    old = EnforcementActionFactory(
        enterprise=enterprise, department=env, date=datetime.date(2019, 12, 1)
    )
    _finding(old, code="HJ-1")
    _case(department, enterprise, "C-1", disposition=Disposition.EXEMPTED, proposed="exempted")
    _case(
        department,
        enterprise,
        "C-2",
        disposition=Disposition.PENALTY,
        proposed="exempted",
        reason="当事人拒不改正，且造成他人损失",
    )
    return {"yj": department, "env": env}


def test_the_outcome_figures_of_each_department(world):
    rows = department_outcomes(scope=ALL, slice=Slice.year(2020))

    yj = rows[world["yj"].pk]
    assert yj["findings"] == 3
    assert (yj["rect_ordered"], yj["rect_closed"], yj["rect_overdue"]) == (2, 1, 1)
    assert yj["rect_rate"] == 50.0 and yj["rect_median_days"] == 10
    assert (yj["exempted"], yj["overridden"], yj["soft"]) == (1, 1, 0)
    assert world["env"].pk not in rows  # its finding was in 2019


def test_a_department_sees_only_its_own_figures(world):
    rows = department_outcomes(scope=Scope(department_id=world["env"].pk), slice=Slice.year(2020))

    assert rows == {}


def test_the_bureau_reads_each_override_with_its_reason_and_the_export_matches(
    client, justice_user, world
):
    EnforcementActionFactory(department=world["yj"], date=datetime.date(2020, 3, 1))
    client.force_login(justice_user)
    query = "date_from=2020-01-01&date_to=2020-12-31"

    page = client.get(f"/oversight/departments/?{query}").content.decode()
    export = client.get(f"/oversight/departments/?{query}&export=xlsx&table=outcomes")

    assert 'id="override-list"' in page and "当事人拒不改正，且造成他人损失" in page
    assert "不按处罚数量或罚没金额排序" in page
    assert export.status_code == 200
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    yj = next(r for r in rows if r[0] == world["yj"].name)
    assert yj[4:10] == (3, 2, 1, 50.0, 10, 1)
    assert not any("罚款" in str(h) or "金额" in str(h) for h in rows[0] if h)


def test_a_department_does_not_see_the_override_list(client, dept_admin, world):
    client.force_login(dept_admin)

    page = client.get("/oversight/departments/?date_from=2020-01-01&date_to=2020-12-31")

    assert 'id="override-list"' not in page.content.decode()


def test_the_enterprise_file_shows_results_rectifications_and_cases(
    client, justice_user, enterprise, world
):
    client.force_login(justice_user)

    page = client.get(f"/registry/enterprises/{enterprise.pk}/").content.decode()

    assert 'data-result="finding"' in page and "灭火器过期" in page
    assert 'data-notice="N-' in page and 'data-rectification="closed"' in page
    assert "已逾期" in page
    assert 'id="dossier-cases"' in page and "C-2" in page and "依免罚清单不予处罚" in page
    assert "/outcomes/actions/" in page  # findings:action

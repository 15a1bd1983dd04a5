"""The departments' plan pages: the month's plan, adding and withdrawing entries, submitting,
campaigns and capacity, and who may see or write what."""

import datetime

import pytest

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.planning import selectors_checks, services
from wurao.planning.choices import EntryStatus, PlanStatus
from wurao.planning.models import Campaign, DepartmentCapacity, MonthlyPlan, PlannedInspection
from wurao.registry.choices import Level
from wurao.registry.tests.factories import DepartmentFactory
from wurao.registry.workdays import next_month

# Plans for March 2027 are filed ahead: written for a day before their deadline (25 February).
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-07")]

MONTH = datetime.date(2027, 3, 1)  # filed ahead: the deadline (2027-02-25) has not passed
PLANS = "/planning/plans/?month=2027-03"


@pytest.fixture
def items(department):
    return [
        InspectionItemFactory(department=department, code="YJ-001", name="安全生产责任制"),
        InspectionItemFactory(department=department, code="YJ-002", name="应急预案"),
    ]


@pytest.fixture
def other():
    """Another department with its own admin, catalogue and an entry in March."""
    department = DepartmentFactory(name="区市场监督管理局", code="SCJG", level=Level.DISTRICT)
    admin = UserFactory(username="scjg_admin", role=Role.DEPT_ADMIN, department=department)
    item = InspectionItemFactory(department=department, code="SC-001", name="食品经营许可")
    return department, admin, item


@pytest.fixture
def admin_client(client, dept_admin):
    client.force_login(dept_admin)
    return client


def _add(actor, department, enterprise, items, first=3, last=20, **kw):
    return services.plan_entry_add(
        actor=actor,
        department=department,
        month=MONTH,
        enterprise=enterprise,
        items=items,
        earliest=datetime.date(2027, 3, first),
        latest=datetime.date(2027, 3, last),
        **kw,
    )


def _post_entry(client, enterprise, items, overrides=None, **more):
    data = {
        "month": "2027-03",
        "enterprise": enterprise.credit_code if enterprise else "",
        "items": [i.pk for i in items],
        "earliest": "2027-03-03",
        "latest": "2027-03-20",
        "hours": "2",
        "origin": "routine",
    }
    data.update(overrides or {}, **more)
    return client.post("/planning/plans/entries/new/", data)


def _field_error(page: str, field: str) -> str:
    marker = f'data-field="{field}">'
    assert marker in page, f"no error shown beside {field}"
    return page.split(marker, 1)[1].split("<", 1)[0]


# ---------------------------------------------------------------- the month's plan


def test_the_plan_page_shows_the_month_status_deadline_and_entries(
    admin_client, dept_admin, department, enterprise, items
):
    # given one planned inspection in March
    _add(dept_admin, department, enterprise, items, hours=3)

    # when the department opens its March plan
    page = admin_client.get(PLANS).content.decode()

    # then it sees the status, the deadline and the entry with its items and window
    assert "区应急管理局 · 2027年03月检查计划" in page
    assert "草拟" in page and "报送截止：2027-02-25" in page
    assert enterprise.name in page and "YJ-001" in page and "03-03 — 03-20" in page
    assert "未排期" in page


def test_the_plan_page_defaults_to_next_month(admin_client, dept_admin):
    page = admin_client.get("/planning/plans/").content.decode()

    expected = selectors_checks.plan_deadline(next_month(datetime.date.today()))
    assert f"报送截止：{expected:%Y-%m-%d}" in page


def test_a_department_does_not_see_another_departments_plan(admin_client, enterprise, other, items):
    # given another department plans the same enterprise
    department, admin, item = other
    _add(admin, department, enterprise, [item])

    # when our department opens March
    page = admin_client.get(PLANS).content.decode()

    # then the other department's entry is not there
    assert "SC-001" not in page and "本月计划中还没有检查" in page


def test_a_department_cannot_withdraw_another_departments_entry(admin_client, enterprise, other):
    department, admin, item = other
    entry = _add(admin, department, enterprise, [item])

    response = admin_client.post(
        f"/planning/plans/entries/{entry.pk}/withdraw/", {f"w{entry.pk}-reason": "不要了"}
    )

    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ACTIVE


def test_a_department_cannot_add_to_another_departments_plan(
    admin_client, enterprise, other, items
):
    # the form offers only the department's own items: another department's is refused
    department, _, item = other

    response = _post_entry(admin_client, enterprise, [item])

    assert "所选事项不在本部门公布的有效检查事项清单内" in _field_error(
        response.content.decode(), "items"
    )
    assert not PlannedInspection.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/planning/plans/",
        "/planning/plans/import/",
        "/planning/campaigns/",
        "/planning/capacity/",
        "/planning/plans/import/template.xlsx",
    ],
)
def test_street_and_enterprise_users_are_refused(client, street_user, enterprise_user, path):
    for user in (street_user, enterprise_user):
        client.force_login(user)
        assert client.get(path).status_code == 403


def test_street_user_cannot_add_an_entry(client, street_user, enterprise, items):
    client.force_login(street_user)

    response = _post_entry(client, enterprise, items)

    assert response.status_code == 403
    assert not PlannedInspection.objects.exists()


def test_justice_sees_every_departments_plan_read_only(
    client, justice_user, dept_admin, department, enterprise, items, other
):
    # given two departments with plans in March
    _add(dept_admin, department, enterprise, items)
    other_department, other_admin, other_item = other
    _add(other_admin, other_department, enterprise, [other_item])
    client.force_login(justice_user)

    # when the bureau opens the month, then each department's plan is listed
    overview = client.get(PLANS).content.decode()
    assert "区应急管理局" in overview and "区市场监督管理局" in overview

    # and one department's plan shows its entries but no form to write
    page = client.get(f"{PLANS}&department={other_department.pk}").content.decode()
    assert "SC-001" in page and "YJ-001" not in page
    assert 'id="entry-form"' not in page and "/withdraw/" not in page

    # and the bureau cannot write one
    assert _post_entry(client, enterprise, items).status_code == 403


# ---------------------------------------------------------------- adding an entry


def test_adding_an_entry_puts_it_in_the_plan(admin_client, enterprise, items):
    response = _post_entry(admin_client, enterprise, items, hours="1.5")

    assert response.status_code == 302
    entry = PlannedInspection.objects.get()
    assert entry.plan.month == MONTH and entry.hours == 1.5
    assert sorted(entry.items.values_list("code", flat=True)) == ["YJ-001", "YJ-002"]
    page = admin_client.get(response.url).content.decode()
    assert "已加入2027年03月计划" in page and enterprise.name in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"enterprise": "91440300708461136X"}, "enterprise", "企业库中没有"),
        ({"items": []}, "items", "请从本部门的检查事项清单中选择检查事项"),
        ({"earliest": ""}, "earliest", "请填写最早和最晚日期"),
        ({"latest": "2027-04-02"}, "earliest", "检查窗口须在 2027年03月 之内"),
        ({"earliest": "2027-03-20", "latest": "2027-03-10"}, "latest", "最晚日期不能早于最早日期"),
        ({"earliest": "2027-03-06", "latest": "2027-03-07"}, "latest", "检查窗口内没有工作日"),
        ({"hours": "9"}, "hours", "预计工时须在 0.5 到 8 小时之间"),
        ({"hours": "两小时"}, "hours", "预计工时应为数字"),
        ({"origin": "campaign"}, "campaign", "专项检查须关联已批准并公布的专项"),
        ({"origin": "random_task"}, "draw_task", "双随机任务的检查须关联抽查任务"),
    ],
)
def test_adding_an_entry_shows_each_error_beside_its_field(
    admin_client, enterprise, items, overrides, field, message
):
    # when the department submits an entry with one thing wrong
    response = _post_entry(admin_client, enterprise, items, overrides)

    # then the page comes back with the reason beside that field, and nothing is stored
    assert response.status_code == 200
    assert message in _field_error(response.content.decode(), field)
    assert not PlannedInspection.objects.exists()


def test_every_error_of_an_entry_is_shown_at_once(admin_client, items):
    # when the enterprise is unknown, the window outside the month and no campaign chosen
    response = _post_entry(
        admin_client,
        None,
        items,
        {"enterprise": "不存在的企业", "latest": "2027-04-02", "origin": "campaign"},
    )

    # then all three are shown together, each beside its field
    page = response.content.decode()
    assert "企业库中没有“不存在的企业”" in _field_error(page, "enterprise")
    assert "检查窗口须在 2027年03月 之内" in _field_error(page, "earliest")
    assert "专项检查须关联已批准并公布的专项" in _field_error(page, "campaign")
    assert not PlannedInspection.objects.exists() and not MonthlyPlan.objects.exists()


def test_the_same_enterprise_twice_in_a_month_is_refused(
    admin_client, dept_admin, department, enterprise, items
):
    _add(dept_admin, department, enterprise, items[:1])

    response = _post_entry(admin_client, enterprise, items[1:])

    assert "请合并事项而不是重复计划" in _field_error(response.content.decode(), "enterprise")
    assert PlannedInspection.objects.count() == 1


def test_a_late_addition_after_the_lock_needs_a_reason(
    admin_client, dept_admin, department, justice_user, enterprise, items
):
    # given the department's March plan, locked after the deadline
    services.plan_get_or_create(actor=dept_admin, department=department, month=MONTH)
    services.plans_lock(actor=justice_user, month=MONTH)

    # when the department adds an entry without a reason, then it is asked for one
    page = admin_client.get(PLANS).content.decode()
    assert "锁定后补报理由" in page
    refused = _post_entry(admin_client, enterprise, items)
    assert "补报须说明理由" in _field_error(refused.content.decode(), "late_reason")
    assert not PlannedInspection.objects.exists()

    # when it gives one, then the entry is added with the reason shown
    added = _post_entry(admin_client, enterprise, items, late_reason="区政府临时交办的燃气隐患")
    assert added.status_code == 302
    assert PlannedInspection.objects.get().late_reason == "区政府临时交办的燃气隐患"
    assert "补报：区政府临时交办的燃气隐患" in admin_client.get(PLANS).content.decode()


def test_a_campaign_entry_needs_a_published_campaign(
    admin_client, dept_admin, department, enterprise, items
):
    # given a campaign registered but not yet published
    campaign = services.campaign_register(
        actor=dept_admin,
        department=department,
        title="燃气安全专项检查",
        scope="餐饮场所燃气使用",
        starts_on=datetime.date(2027, 3, 1),
        ends_on=datetime.date(2027, 3, 31),
        approver="区人民政府",
        document_no="龙府办〔2027〕3号",
        approved_on=datetime.date(2027, 2, 20),
    )

    # when an entry names it, then it is refused
    refused = _post_entry(admin_client, enterprise, items, origin="campaign", campaign=campaign.pk)
    assert "只能关联本部门已公布的专项检查" in _field_error(refused.content.decode(), "campaign")

    # when the department publishes it on the campaigns page
    admin_client.post(f"/planning/campaigns/{campaign.pk}/publish/")

    # then the entry is accepted and shows the campaign
    added = _post_entry(admin_client, enterprise, items, origin="campaign", campaign=campaign.pk)
    assert added.status_code == 302
    assert PlannedInspection.objects.get().campaign == campaign
    assert "燃气安全专项检查（龙府办〔2027〕3号）" in admin_client.get(PLANS).content.decode()


# ---------------------------------------------------------------- withdrawing, submitting


def test_withdrawing_needs_a_reason_and_shows_it(
    admin_client, dept_admin, department, enterprise, items
):
    entry = _add(dept_admin, department, enterprise, items)
    url = f"/planning/plans/entries/{entry.pk}/withdraw/"

    refused = admin_client.post(url, {f"w{entry.pk}-reason": ""})
    assert "请说明撤回理由" in _field_error(refused.content.decode(), "reason")

    admin_client.post(url, {f"w{entry.pk}-reason": "与区级计划重复"})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN
    page = admin_client.get(PLANS).content.decode()
    assert "已撤回" in page and "与区级计划重复" in page


def test_a_flagged_duplicate_shows_its_note_and_the_visit_it_was_scheduled_into(
    admin_client, dept_admin, department, enterprise, items, street_user, justice_user
):
    # given a street-level entry duplicating a district department's on the same matter
    street_department = DepartmentFactory(
        name="福城街道综合执法队", code="FCZF", level=Level.STREET
    )
    street_admin = UserFactory(role=Role.DEPT_ADMIN, department=street_department)
    same = InspectionItemFactory(
        department=street_department, law=items[0].law, article=items[0].article
    )
    low = _add(street_admin, street_department, enterprise, [same])
    _add(dept_admin, department, enterprise, items)
    services.duplicates_flag(actor=justice_user, month=MONTH)
    services.schedule_run(actor=street_user, month=MONTH, time_limit=5, deterministic=True)

    # when the street team opens its plan
    admin_client.force_login(street_admin)
    page = admin_client.get(PLANS).content.decode()

    # then the entry says it is a duplicate, why, and is not scheduled
    low.refresh_from_db()
    assert "重复，待撤回" in page and "建议撤回" in page

    # and the district department's entry shows the proposed visit's date and status
    admin_client.force_login(dept_admin)
    page = admin_client.get(PLANS).content.decode()
    assert "待确认" in page and "未排期" not in page


def test_submitting_the_plan_marks_it_submitted(
    admin_client, dept_admin, department, enterprise, items
):
    _add(dept_admin, department, enterprise, items)

    admin_client.post("/planning/plans/submit/", {"month": "2027-03"})

    plan = MonthlyPlan.objects.get()
    assert plan.status == PlanStatus.SUBMITTED
    page = admin_client.get(PLANS).content.decode()
    assert "已报送" in page and "报送本月计划" not in page


def test_an_empty_plan_cannot_be_submitted(admin_client):
    response = admin_client.post("/planning/plans/submit/", {"month": "2027-03"}, follow=True)

    assert "计划中没有检查，不能报送" in response.content.decode()
    assert not MonthlyPlan.objects.filter(status=PlanStatus.SUBMITTED).exists()


# ---------------------------------------------------------------- campaigns


CAMPAIGN = {
    "title": "燃气安全专项检查",
    "scope": "餐饮场所燃气使用",
    "starts_on": "2027-03-01",
    "ends_on": "2027-03-31",
    "approver": "区人民政府",
    "document_no": "龙府办〔2027〕3号",
    "approved_on": "2027-02-20",
}


def test_registering_a_campaign_records_its_approval(admin_client, department):
    response = admin_client.post("/planning/campaigns/new/", CAMPAIGN, follow=True)

    campaign = Campaign.objects.get()
    assert campaign.department == department and campaign.published_at is None
    page = response.content.decode()
    assert "龙府办〔2027〕3号" in page and "公布后才能安排检查" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"document_no": ""}, "document_no", "请填写批准文号"),
        ({"approver": " "}, "approver", "请填写批准机关或负责人"),
        ({"ends_on": "2027-02-01"}, "ends_on", "结束日期不能早于开始日期"),
        ({"approved_on": "2027-03-05"}, "approved_on", "专项须在开始前批准"),
        ({"approved_on": ""}, "approved_on", "请填写批准日期"),
    ],
)
def test_a_campaign_without_its_approval_is_refused(admin_client, overrides, field, message):
    response = admin_client.post("/planning/campaigns/new/", {**CAMPAIGN, **overrides})

    assert message in _field_error(response.content.decode(), field)
    assert not Campaign.objects.exists()


def test_campaigns_are_the_departments_own_and_the_bureau_sees_all(
    client, dept_admin, department, other, justice_user
):
    other_department, other_admin, _ = other
    kept = {k: v for k, v in CAMPAIGN.items()}
    for actor, dep, title in (
        (dept_admin, department, "危化品专项"),
        (other_admin, other_department, "食品专项"),
    ):
        services.campaign_register(
            actor=actor,
            department=dep,
            title=title,
            scope=kept["scope"],
            starts_on=MONTH,
            ends_on=datetime.date(2027, 3, 31),
            approver="区人民政府",
            document_no=f"{title}〔2027〕1号",
            approved_on=datetime.date(2027, 2, 1),
        )
    foreign = Campaign.objects.get(title="食品专项")

    client.force_login(dept_admin)
    page = client.get("/planning/campaigns/").content.decode()
    assert "危化品专项" in page and "食品专项" not in page
    assert client.post(f"/planning/campaigns/{foreign.pk}/publish/").status_code == 404

    client.force_login(justice_user)
    page = client.get("/planning/campaigns/").content.decode()
    assert "危化品专项" in page and "食品专项" in page and "登记专项检查" not in page
    assert client.post(f"/planning/campaigns/{foreign.pk}/publish/").status_code == 403
    foreign.refresh_from_db()
    assert foreign.published_at is None


# ---------------------------------------------------------------- capacity


def test_capacity_shows_the_defaults_then_the_departments_own(admin_client, department):
    page = admin_client.get("/planning/capacity/").content.decode()
    assert "全区默认值，尚未设置" in page

    response = admin_client.post(
        "/planning/capacity/", {"teams": "3", "hours_per_team": "7.5"}, follow=True
    )

    capacity = DepartmentCapacity.objects.get(department=department)
    assert (capacity.teams, capacity.hours_per_team) == (3, 7.5)
    assert "已设置检查能力：3 个检查组 × 每组每日 7.5 小时" in response.content.decode()
    assert AuditEvent.objects.filter(verb="plan.capacity_set").count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"teams": "0", "hours_per_team": "6"}, "teams", "检查组数须在 1 到 50 之间"),
        ({"teams": "51", "hours_per_team": "6"}, "teams", "检查组数须在 1 到 50 之间"),
        (
            {"teams": "2", "hours_per_team": "13"},
            "hours_per_team",
            "每组每日工时须在 1 到 12 小时之间",
        ),
        (
            {"teams": "2", "hours_per_team": "0.5"},
            "hours_per_team",
            "每组每日工时须在 1 到 12 小时之间",
        ),
        ({"teams": "", "hours_per_team": "6"}, "teams", "请填写检查组数"),
    ],
)
def test_capacity_out_of_range_is_refused(admin_client, data, field, message):
    response = admin_client.post("/planning/capacity/", data)

    assert message in _field_error(response.content.decode(), field)
    assert not DepartmentCapacity.objects.exists()


def test_capacity_is_for_the_department_admin_only(client, department, justice_user):
    inspector = UserFactory(role=Role.INSPECTOR, department=department)
    for user in (inspector, justice_user):
        client.force_login(user)
        assert (
            client.post("/planning/capacity/", {"teams": "3", "hours_per_team": "6"}).status_code
            == 403
        )
    assert not DepartmentCapacity.objects.exists()

"""The street coordinator's month in pages: the scheduler run from the page with its figures
and the inspections it could not place, a visit moved (or refused with the reason), confirmed
into one registered Visit; each role sees only its own; the enterprise asks for another slot
and declares its days."""

import datetime
import re
from contextlib import contextmanager

import pytest
from django.db import connection
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.planning import services, services_coordination
from wurao.planning.choices import EntryStatus, JointVisitStatus, SlotKind
from wurao.planning.models import EnterpriseSlot, JointVisit, ScheduleRun
from wurao.registry.choices import Level, SizeClass
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, StreetFactory
from wurao.visits.choices import VisitOrigin
from wurao.visits.tests.factories import VisitFactory

# Plans for March 2027 are filed ahead: written for a day before their deadline (25 February).
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-07")]

MONTH = datetime.date(2027, 3, 1)  # ahead of today, so plans are open and dates are future
M = "2027-03"
SCHEDULE = "/planning/schedule/"


@pytest.fixture
def city(street):
    """Two district departments and a street team, each with an admin and a catalogue item."""
    made = {}
    for code, name, level in (
        ("SCJG", "区市场监督管理局", Level.DISTRICT),
        ("STHJ", "区生态环境局", Level.DISTRICT),
        ("JD", "福城街道综合执法队", Level.STREET),
    ):
        department = DepartmentFactory(code=code, name=name, level=level)
        admin = UserFactory(role=Role.DEPT_ADMIN, department=department)
        item = InspectionItemFactory(
            department=department, name=f"{name}检查事项", law=f"{code}条例", article="第十条"
        )
        made[code] = (department, admin, item)
    return made


@pytest.fixture
def firm(street):
    return EnterpriseFactory(
        street=street, size_class=SizeClass.MEDIUM, name="深圳市福城精密有限公司"
    )


def _plan(city, code, enterprise, first, last, **kw):
    department, admin, item = city[code]
    return services.plan_entry_add(
        actor=admin,
        department=department,
        month=MONTH,
        enterprise=enterprise,
        items=kw.pop("items", [item]),
        earliest=datetime.date(2027, 3, first),
        latest=datetime.date(2027, 3, last),
        **kw,
    )


def _run_from_page(client):
    return client.post(
        "/planning/schedule/run/",
        {"month": M, "deterministic": "on", "seed": "7"},
        follow=True,
    )


@pytest.fixture
def proposal(city, firm, street_user):
    _plan(city, "SCJG", firm, 1, 12)
    _plan(city, "STHJ", firm, 8, 20)
    services.schedule_run(actor=street_user, month=MONTH, time_limit=5, deterministic=True)
    return JointVisit.objects.get()


def test_the_schedule_run_from_the_page_proposes_one_visit_and_shows_the_figures(
    client, city, firm, street_user
):
    # given two departments planning the same enterprise in March with overlapping windows
    _plan(city, "SCJG", firm, 1, 12)
    _plan(city, "STHJ", firm, 8, 20)
    client.force_login(street_user)

    # then before any run the page shows the overlap and says the month is not scheduled
    before = client.get(SCHEDULE, {"month": M}).content.decode()
    assert "深圳市福城精密有限公司" in before and 'id="no-run"' in before

    # when the coordinator asks for a deterministic run from the page (a job; immediate in tests)
    response = _run_from_page(client)

    # then the job is reported done, and the run's figures and the one proposal are shown
    page = response.content.decode()
    assert response.redirect_chain == [(f"{SCHEDULE}?month={M}", 302)]
    assert "排期已完成" in page
    run = ScheduleRun.objects.get()
    assert (run.planned, run.visits, run.deterministic, run.seed) == (2, 1, True, 7)
    assert 'id="fig-planned">2<' in page and 'id="fig-visits">1<' in page
    assert 'id="fig-separate">2<' in page and 'id="fig-gap">0.0%<' in page
    visit = JointVisit.objects.get()
    row = page.split(f'data-visit="{visit.pk}"')[1].split("</tr>")[0]
    assert "区市场监督管理局" in row and "区生态环境局" in row and "待确认" in row
    assert f'data-date="{visit.date:%Y-%m-%d}"' in page


def test_the_jobs_status_reloads_the_page_once_done_and_is_only_the_starters(
    client, city, firm, street_user
):
    # given a run started from the page (immediate in tests, so already done)
    _plan(city, "SCJG", firm, 1, 12)
    client.force_login(street_user)
    _run_from_page(client)
    (task_id,) = client.session["planning_schedule_jobs"]

    # when the page polls the job, it is told to reload; without htmx it is sent to the month
    polled = client.get(f"/planning/schedule/jobs/{task_id}/", headers={"HX-Request": "true"})
    assert polled.status_code == 204 and polled["HX-Refresh"] == "true"
    plain = client.get(f"/planning/schedule/jobs/{task_id}/")
    assert plain.status_code == 302 and plain.url == f"{SCHEDULE}?month={M}"

    # and the result is reported once: the next visit to the month shows no job banner
    assert 'id="schedule-job"' not in client.get(SCHEDULE, {"month": M}).content.decode()

    # then another coordinator cannot follow someone else's job
    client.force_login(UserFactory(role=Role.STREET, street=firm.street))
    assert client.get(f"/planning/schedule/jobs/{task_id}/").status_code == 404


def test_a_running_job_is_polled_and_one_that_never_answers_is_said_so(client, street_user):
    # given a job the worker has not answered yet (no result under its id)
    client.force_login(street_user)
    session = client.session
    started = timezone.now() - datetime.timedelta(seconds=5)
    session["planning_schedule_jobs"] = {
        "not-done-yet": {"month": M, "started": started.isoformat()}
    }
    session.save()

    # then the month polls it every 2 s, and no second run can be started meanwhile
    page = client.get(SCHEDULE, {"month": M}).content.decode()
    assert 'hx-get="/planning/schedule/jobs/not-done-yet/"' in page and "正在排期" in page
    assert 'id="run-submit" disabled' in page
    polled = client.get("/planning/schedule/jobs/not-done-yet/", headers={"HX-Request": "true"})
    assert polled.status_code == 200 and 'hx-trigger="every 2s"' in polled.content.decode()

    # when it is still unanswered after ten minutes, the page stops polling and says why
    session = client.session
    late = timezone.now() - datetime.timedelta(minutes=11)
    session["planning_schedule_jobs"]["not-done-yet"]["started"] = late.isoformat()
    session.save()
    stale = client.get(SCHEDULE, {"month": M}).content.decode()
    assert "后台任务可能没有运行" in stale and "hx-trigger" not in stale


def test_an_inspection_the_scheduler_cannot_place_is_listed_with_its_reason(
    client, city, firm, street_user
):
    # given an inspection whose whole window the enterprise declared it cannot receive anyone
    entry = _plan(city, "SCJG", firm, 1, 1)
    blocked = UserFactory(role=Role.ENTERPRISE, enterprise=firm)
    services_coordination.slot_set(
        actor=blocked, enterprise=firm, day=datetime.date(2027, 3, 1), kind=SlotKind.BLACKOUT
    )
    client.force_login(street_user)

    # when the month is scheduled from the page
    page = _run_from_page(client).content.decode()

    # then the inspection is not dropped silently: it is listed with the reason
    assert 'id="unplaced"' in page
    row = page.split(f'data-entry="{entry.pk}"')[1].split("</div>")[0]
    assert "窗口内没有可用的工作日" in row
    assert not JointVisit.objects.exists()


def test_another_streets_coordinator_cannot_see_the_visit(client, proposal):
    # given a coordinator of another street
    other = UserFactory(role=Role.STREET, street=StreetFactory(name="观澜街道", code="440309009"))
    client.force_login(other)

    # then the visit is missing for them, and their month does not list it
    assert client.get(f"/planning/visits/{proposal.pk}/").status_code == 404
    assert client.post(f"/planning/visits/{proposal.pk}/confirm/").status_code == 404
    assert "深圳市福城精密有限公司" not in client.get(SCHEDULE, {"month": M}).content.decode()


def test_a_department_sees_only_the_visits_it_is_on_and_cannot_change_them(client, city, proposal):
    # given the market regulator (on the visit) and the street team (not on it)
    _, on_visit, _ = city["SCJG"]
    _, not_on_visit, _ = city["JD"]

    # when the regulator opens the visit, it is read-only
    client.force_login(on_visit)
    page = client.get(f"/planning/visits/{proposal.pk}/").content.decode()
    assert "区生态环境局" in page and 'id="confirm-submit"' not in page
    assert client.post(f"/planning/visits/{proposal.pk}/confirm/").status_code == 403

    # and the street team does not see it at all, nor the coordinator's month
    client.force_login(not_on_visit)
    assert client.get(f"/planning/visits/{proposal.pk}/").status_code == 404
    assert client.get(SCHEDULE).status_code == 403


def test_an_enterprise_sees_only_its_own_visit(client, proposal, firm, street):
    # given the visited enterprise's user and another enterprise's
    own = UserFactory(role=Role.ENTERPRISE, enterprise=firm)
    stranger = UserFactory(role=Role.ENTERPRISE, enterprise=EnterpriseFactory(street=street))

    client.force_login(stranger)
    assert client.get(f"/planning/visits/{proposal.pk}/").status_code == 404
    assert f'data-visit="{proposal.pk}"' not in client.get("/planning/mine/").content.decode()

    client.force_login(own)
    page = client.get(f"/planning/visits/{proposal.pk}/").content.decode()
    assert "区市场监督管理局" in page and 'id="confirm-submit"' not in page
    portal = client.get("/planning/mine/").content.decode()
    assert f'data-visit="{proposal.pk}"' in portal and "申请改期" in portal


def test_a_move_outside_a_window_is_refused_with_the_reason_shown(client, proposal, street_user):
    # given the coordinator on the proposed visit (windows 03-01..03-12 and 03-08..03-20)
    client.force_login(street_user)
    before = proposal.date

    # when they try to move it to 22 March
    response = client.post(f"/planning/visits/{proposal.pk}/move/", {"date": "2027-03-22"})

    # then the page names the window that refuses it, and the date is unchanged
    page = response.content.decode()
    assert response.status_code == 200 and 'id="problems"' in page
    assert "区市场监督管理局的检查窗口为 2027-03-01 至 2027-03-12，不含 2027-03-22" in page
    proposal.refresh_from_db()
    assert proposal.date == before


def test_a_move_inside_the_windows_changes_the_date(client, proposal, street_user):
    # given the coordinator on the proposal, and another day inside both windows
    client.force_login(street_user)
    day = next(
        datetime.date(2027, 3, d) for d in (9, 10) if datetime.date(2027, 3, d) != proposal.date
    )

    # when they move it there
    response = client.post(f"/planning/visits/{proposal.pk}/move/", {"date": day.isoformat()})

    # then it is on the new day
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.date == day


def test_confirming_registers_one_visit_with_its_code_and_links_to_the_form(
    client, proposal, street_user
):
    client.force_login(street_user)

    # when the coordinator confirms the proposal
    page = client.post(f"/planning/visits/{proposal.pk}/confirm/", follow=True).content.decode()

    # then it is one registered Visit with both departments; the page shows its code and links
    proposal.refresh_from_db()
    assert proposal.status == JointVisitStatus.CONFIRMED
    visit = proposal.visit
    assert visit.origin == VisitOrigin.JOINT and visit.departments.count() == 2
    assert visit.code_display in page
    assert f'href="/visits/{visit.code}/"' in page and f'href="/v/{visit.code}/"' in page
    assert f'href="/planning/forms/{proposal.pk}/"' in page
    assert 'id="confirm-submit"' not in page


def test_a_confirmation_the_visit_rules_refuse_names_the_rule(
    client, city, firm, proposal, street_user
):
    # given the market regulator already inspected the enterprise twice in 2027 (cap: 2)
    department, _, _ = city["SCJG"]
    for day in (datetime.date(2027, 1, 12), datetime.date(2027, 2, 9)):
        VisitFactory(enterprise=firm, department=department, date=day, origin=VisitOrigin.PLAN)
    client.force_login(street_user)

    # when the coordinator confirms
    page = client.post(f"/planning/visits/{proposal.pk}/confirm/").content.decode()

    # then the refusal names the rule, and the visit stays proposed
    assert 'id="refusal"' in page and "本部门年度检查上限" in page
    proposal.refresh_from_db()
    assert proposal.status == JointVisitStatus.PROPOSED and proposal.visit is None


def test_split_then_merge_from_the_page(client, proposal, street_user):
    # given the coordinator on the proposal of two departments
    client.force_login(street_user)
    entry = proposal.inspections.get(plan__department__code="STHJ")

    # when the environment bureau's inspection is split out to 15 March
    response = client.post(
        f"/planning/visits/{proposal.pk}/split/", {"entries": [entry.pk], "date": "2027-03-15"}
    )

    # then there are two proposals, and the new one's page is shown
    other = JointVisit.objects.exclude(pk=proposal.pk).get()
    assert response.status_code == 302 and response.url == f"/planning/visits/{other.pk}/"
    assert other.date == datetime.date(2027, 3, 15)

    # when it is merged back into the first, on the first's day (inside both windows)
    response = client.post(f"/planning/visits/{proposal.pk}/merge/", {"other": other.pk})

    # then one visit again, with both departments
    assert response.status_code == 302
    assert JointVisit.objects.count() == 1
    assert proposal.inspections.count() == 2


def test_the_enterprises_change_request_reaches_the_coordinator(
    client, proposal, firm, street_user
):
    # given the visited enterprise on its portal
    own = UserFactory(role=Role.ENTERPRISE, enterprise=firm)
    client.force_login(own)
    prefix = f"c{proposal.pk}"

    # when it asks for another slot without a date, then properly
    missing = client.post(
        f"/planning/mine/{proposal.pk}/change/", {f"{prefix}-reason": "当日有客户验厂"}
    )
    assert 'data-field="date1"' in missing.content.decode()
    client.post(
        f"/planning/mine/{proposal.pk}/change/",
        {f"{prefix}-date1": "2027-03-10", f"{prefix}-reason": "当日有客户验厂"},
    )

    # then the coordinator sees it on the month and on the visit, with the suggested date
    client.force_login(street_user)
    month = client.get(SCHEDULE, {"month": M}).content.decode()
    assert "企业申请改期" in month and "2027-03-10" in month and "当日有客户验厂" in month
    page = client.get(f"/planning/visits/{proposal.pk}/").content.decode()
    assert 'id="change-request"' in page and 'data-suggested="2027-03-10"' in page


def test_the_enterprise_declares_and_withdraws_its_days(client, firm):
    # given the enterprise's user
    own = UserFactory(role=Role.ENTERPRISE, enterprise=firm)
    client.force_login(own)

    # when it declares a blackout day in March 2027, then it is listed
    response = client.post(
        "/planning/slots/", {"date": "2027-03-05", "kind": SlotKind.BLACKOUT, "note": "停产检修"}
    )
    assert response.status_code == 302
    page = client.get("/planning/slots/").content.decode()
    assert 'data-slot="2027-03-05"' in page and "停产检修" in page

    # and a past day is refused at the date field, nothing stored
    refused = client.post("/planning/slots/", {"date": "2020-01-06", "kind": SlotKind.REQUESTED})
    assert "只能申报明天及以后的日期" in refused.content.decode()
    assert EnterpriseSlot.objects.count() == 1

    # another enterprise cannot withdraw it; the enterprise itself can
    slot = EnterpriseSlot.objects.get()
    client.force_login(UserFactory(role=Role.ENTERPRISE, enterprise=EnterpriseFactory()))
    assert client.post(f"/planning/slots/{slot.pk}/delete/").status_code == 404
    client.force_login(own)
    client.post(f"/planning/slots/{slot.pk}/delete/")
    assert not EnterpriseSlot.objects.exists()


def test_officers_cannot_declare_an_enterprises_days(client, street_user):
    # given a street coordinator: the enterprise's portal pages are not theirs
    client.force_login(street_user)
    assert client.get("/planning/slots/").status_code == 403
    assert client.get("/planning/mine/").status_code == 403


def test_a_department_sees_its_assignments_with_the_other_departments(client, city, proposal):
    # given the market regulator's admin
    _, admin, _ = city["SCJG"]
    client.force_login(admin)

    # when they open their assignments of March
    page = client.get("/planning/assignments/", {"month": M}).content.decode()

    # then the inspection shows its day and the department it goes with
    assert "深圳市福城精密有限公司" in page and proposal.date.isoformat() in page
    others = re.search(r'<td class="[^"]*\bothers">(.*?)</td>', page)[1]
    assert "区生态环境局" in others and "区市场监督管理局" not in others


def test_the_duplicates_button_flags_the_lower_levels_entry(client, city, firm, street_user):
    # given the district and the street planning the same matter on the enterprise
    _, _, district_item = city["SCJG"]
    street_department, _, _ = city["JD"]
    same = InspectionItemFactory(
        department=street_department, law=district_item.law, article=district_item.article
    )
    _plan(city, "SCJG", firm, 1, 12)
    low = _plan(city, "JD", firm, 1, 12, items=[same])
    client.force_login(street_user)

    # when the coordinator asks for the duplicates check
    page = client.post("/planning/schedule/duplicates/", {"month": M}, follow=True).content.decode()

    # then the street's entry is flagged for withdrawal, and the page says so
    low.refresh_from_db()
    assert low.status == EntryStatus.DUPLICATE
    assert "发现 1 条跨层级重复" in page and 'id="duplicates-total">1<' in page


def test_the_justice_bureau_filters_the_month_by_street(client, proposal, justice_user, street):
    # given the bureau and a second street without visits
    client.force_login(justice_user)
    other = StreetFactory(name="观澜街道", code="440309009")

    # when it looks at all streets, then at the other one
    everywhere = client.get(SCHEDULE, {"month": M}).content.decode()
    elsewhere = client.get(SCHEDULE, {"month": M, "street": other.pk}).content.decode()

    # then the visit is listed only in the first view
    assert f'data-visit="{proposal.pk}"' in everywhere
    assert f'data-visit="{proposal.pk}"' not in elsewhere


# ---------------------------------------------------------------- a schedule run replaces the visit


@contextmanager
def _replaced_before_the_lock(coordinator):
    """Another schedule run of the month commits while a confirmation is under way: after the
    page has read the visit, just before the service's transaction begins and locks it."""
    state = {"replaced": False}

    def interleave(execute, sql, params, many, context):
        if not state["replaced"] and sql.startswith("SAVEPOINT"):
            state["replaced"] = True
            services.schedule_run(actor=coordinator, month=MONTH, time_limit=5, deterministic=True)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(interleave):
        yield
    assert state["replaced"], "the schedule run was not interleaved"


def test_a_confirmation_a_schedule_run_overtook_is_answered_with_the_reason(
    client, proposal, street_user
):
    # given the coordinator confirms the proposal while another schedule run replaces it
    client.force_login(street_user)
    with _replaced_before_the_lock(street_user):
        response = client.post(f"/planning/visits/{proposal.pk}/confirm/")

    # then they are sent to the month's new schedule with the reason, and nothing registered
    assert response.status_code == 302
    assert response["Location"] == f"{SCHEDULE}?month={M}"
    page = client.get(response["Location"]).content.decode()
    assert "该入企已被新的排期替换或已并入另一次入企，请刷新后重试" in page
    replacement = JointVisit.objects.get()
    assert replacement.pk != proposal.pk and replacement.status == JointVisitStatus.PROPOSED
    assert replacement.visit is None


def test_confirming_a_visit_already_replaced_says_so_and_leads_back_to_the_schedule(
    client, proposal, street_user
):
    # given the coordinator's page shows a proposal that a new schedule run has replaced
    services.schedule_run(actor=street_user, month=MONTH, time_limit=5, deterministic=True)
    client.force_login(street_user)

    # when they confirm, move or merge it from that page
    answers = [
        client.post(f"/planning/visits/{proposal.pk}/{action}/", data)
        for action, data in (("confirm", {}), ("move", {"date": "2027-03-10"}), ("merge", {}))
    ]

    # then each is the page saying the visit is no longer scheduled (a 404, as for one out of
    # their scope), with the way back to the month
    for response in answers:
        page = response.content.decode()
        assert response.status_code == 404 and 'id="visit-gone"' in page
        assert "它可能已被新的排期替换" in page and f'href="{SCHEDULE}"' in page

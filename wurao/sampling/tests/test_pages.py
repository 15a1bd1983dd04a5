"""Department pages of the draws: who sees what in each status, who may act, the create form."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import DepartmentFactory, EnterpriseFactory, InspectorFactory
from wurao.sampling.choices import ResultCategory, SizeMode, TaskStatus
from wurao.sampling.models import DrawResult, DrawSelection, DrawTask
from wurao.sampling.services import draw_task_commit, draw_task_draw
from wurao.sampling.services_draft import ParticipantSpec, draw_task_create
from wurao.sampling.services_results import draw_result_record

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 12, 1), datetime.date(2026, 12, 31)
VALID_UNTIL = datetime.date(2027, 6, 30)


@pytest.fixture
def district(street, department):
    partner = DepartmentFactory(name="区卫生健康局", code="WJ")
    items = {
        d.pk: InspectionItemFactory.create_batch(2, department=d) for d in (department, partner)
    }
    for d in (department, partner):
        InspectorFactory.create_batch(4, department=d, certificate_valid_until=VALID_UNTIL)
    enterprises = EnterpriseFactory.create_batch(12, street=street)
    return department, partner, items, enterprises


@pytest.fixture
def inspector_user(department):
    return UserFactory(username="yj_officer", role=Role.INSPECTOR, department=department)


@pytest.fixture
def partner_inspector(district):
    return UserFactory(username="wj_officer", role=Role.INSPECTOR, department=district[1])


def _task(district, actor, *, joint=True, total=4):
    department, partner, items, _ = district
    chosen = [department, partner] if joint else [department]
    return draw_task_create(
        actor=actor,
        title="2026年12月安全生产双随机抽查",
        lead_department=department,
        participants=[ParticipantSpec(department=d, items=items[d.pk][:1]) for d in chosen],
        scope={},
        size_mode=SizeMode.TOTAL,
        size_value=Decimal(total),
        window_start=START,
        window_end=END,
    )


def _committed(district, actor, **kwargs):
    return draw_task_commit(actor=actor, task=_task(district, actor, **kwargs))


def _drawn(district, actor, **kwargs):
    task = _committed(district, actor, **kwargs)
    return draw_task_draw(
        actor=actor, task=task, external_entropy="3-5-2", observer="区司法局 王某"
    )


def _record_all(task, actor, **only):
    """Every result, each department's by its own people (the service takes no other's:
    sampling.result_record): `actor` for its department, a colleague for the partner's."""
    participants = list(task.participants.filter(**only))
    recorders = {
        p.pk: actor
        if p.department_id == actor.department_id
        else UserFactory(role=Role.INSPECTOR, department=p.department)
        for p in participants
    }
    for selection in task.selections.all():
        for participant in participants:
            draw_result_record(
                actor=recorders[participant.pk],
                selection=selection,
                participant=participant,
                category=ResultCategory.NO_PROBLEM,
                inspected_on=datetime.date(2026, 12, 10),
            )


def _items_of(district, i):
    return district[2][district[i].pk]


def _detail(task):
    return reverse("sampling:task-detail", args=[task.pk])


# ---------------------------------------------------------------- list and access


@pytest.mark.parametrize("role_user", ["dept_admin", "inspector_user", "justice_user"])
def test_task_list_shows_the_tasks_with_their_status(client, request, role_user, district):
    # Given a committed task led by the department
    task = _committed(district, UserFactory(role=Role.DEPT_ADMIN, department=district[0]))
    client.force_login(request.getfixturevalue(role_user))

    # When the list is opened
    page = client.get(reverse("sampling:task-list")).content.decode()

    # Then the task is there with its status, and only an admin may start a new one
    assert task.code in page
    assert 'data-status="committed"' in page
    assert ("新建抽查任务" in page) == (role_user == "dept_admin")
    assert "双随机抽查" in page  # the nav link


def test_task_list_filters_by_status(client, dept_admin, district):
    committed = _committed(district, dept_admin)
    draft = _task(district, dept_admin)
    client.force_login(dept_admin)

    page = client.get(reverse("sampling:task-list"), {"status": "draft"}).content.decode()

    assert draft.code in page and committed.code not in page


@pytest.mark.parametrize("role_user", ["street_user", "enterprise_user"])
def test_street_and_enterprise_users_are_refused_the_draw_pages(client, request, role_user):
    client.force_login(request.getfixturevalue(role_user))

    assert client.get(reverse("sampling:task-list")).status_code == 403
    assert client.get(reverse("sampling:task-create")).status_code == 403


def test_a_department_admin_of_another_department_gets_404(client, district, dept_admin):
    task = _committed(district, dept_admin, joint=False)
    stranger = UserFactory(role=Role.DEPT_ADMIN, department=DepartmentFactory(name="区水务局"))
    client.force_login(stranger)

    assert client.get(_detail(task)).status_code == 404
    assert client.post(reverse("sampling:task-draw", args=[task.pk])).status_code == 404
    assert task.code not in client.get(reverse("sampling:task-list")).content.decode()


def test_an_inspector_cannot_commit_or_draw(client, district, dept_admin, inspector_user):
    draft = _task(district, dept_admin)
    committed = _committed(district, dept_admin)
    client.force_login(inspector_user)

    commit = client.post(reverse("sampling:task-commit", args=[draft.pk]))
    draw = client.post(
        reverse("sampling:task-draw", args=[committed.pk]),
        {"observer": "见证人", "external_entropy": "1"},
    )

    assert commit.status_code == draw.status_code == 403
    draft.refresh_from_db()
    committed.refresh_from_db()
    assert (draft.status, committed.status) == (TaskStatus.DRAFT, TaskStatus.COMMITTED)


def test_a_partner_department_admin_sees_the_task_but_cannot_run_it(client, district, dept_admin):
    task = _task(district, dept_admin)
    partner_admin = UserFactory(role=Role.DEPT_ADMIN, department=district[1])
    client.force_login(partner_admin)

    page = client.get(_detail(task))
    commit = client.post(reverse("sampling:task-commit", args=[task.pk]))

    assert page.status_code == 200 and 'id="task-commit"' not in page.content.decode()
    assert commit.status_code == 403


# ---------------------------------------------------------------- detail by status


def test_a_draft_shows_its_quotas_and_the_commit_button_to_the_lead_admin(
    client, district, dept_admin
):
    task = _task(district, dept_admin)
    client.force_login(dept_admin)

    page = client.get(_detail(task)).content.decode()

    assert 'id="task-commit"' in page and "承诺并公开" in page
    assert 'id="preview-candidates">12<' in page
    assert 'data-quota="4"' in page  # all 4 from the unrated stratum


def test_committing_publishes_the_commitment_and_offers_the_draw(client, district, dept_admin):
    task = _task(district, dept_admin)
    client.force_login(dept_admin)

    page = client.post(reverse("sampling:task-commit", args=[task.pk]), follow=True)

    task.refresh_from_db()
    html = page.content.decode()
    assert task.status == TaskStatus.COMMITTED
    assert task.commitment in html and task.snapshot_digest in html
    assert 'id="draw-form"' in html and "监督见证人" in html
    assert task.server_seed not in html
    assert "执法人员名单（承诺时冻结）" in html


def test_a_commit_the_scope_cannot_satisfy_is_refused_with_the_reason(client, district, dept_admin):
    task = _task(district, dept_admin, total=13)
    client.force_login(dept_admin)

    page = client.post(reverse("sampling:task-commit", args=[task.pk]), follow=True)

    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT
    assert "抽取总数 13 超过可抽企业数 12" in page.content.decode()


def test_drawing_shows_the_selected_enterprises_with_each_departments_team(
    client, district, dept_admin
):
    task = _committed(district, dept_admin)
    client.force_login(dept_admin)

    page = client.post(
        reverse("sampling:task-draw", args=[task.pk]),
        {"observer": "区司法局 王某", "external_entropy": "骰子 3-5-2"},
        follow=True,
    )

    html = page.content.decode()
    selections = DrawSelection.objects.filter(task=task).select_related("enterprise")
    assert selections.count() == 4
    for selection in selections:
        assert selection.enterprise.credit_code in html
        for member in selection.team.select_related("inspector"):
            assert member.inspector.badge_no in html
    assert "骰子 3-5-2" in html and "区司法局 王某" in html


def test_the_draw_form_names_the_missing_observer(client, district, dept_admin):
    task = _committed(district, dept_admin)
    client.force_login(dept_admin)

    page = client.post(
        reverse("sampling:task-draw", args=[task.pk]), {"observer": "", "external_entropy": "7"}
    )

    assert page.status_code == 200
    assert 'data-field="observer"' in page.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.COMMITTED


def test_two_presses_of_draw_give_one_draw(client, district, dept_admin):
    # Given a committed task
    task = _committed(district, dept_admin)
    client.force_login(dept_admin)
    url = reverse("sampling:task-draw", args=[task.pk])

    # When "draw" is pressed twice
    first = client.post(url, {"observer": "见证人甲", "external_entropy": "first"})
    second = client.post(url, {"observer": "见证人乙", "external_entropy": "second"}, follow=True)

    # Then there is one draw, and the second press is told why it did nothing
    assert first.status_code == 302
    task.refresh_from_db()
    assert task.external_entropy == "first"
    assert DrawSelection.objects.filter(task=task).count() == 4
    assert AuditEvent.objects.filter(verb="draw_task.draw").count() == 1
    assert "当前状态为“已抽取”，不能执行此操作" in second.content.decode()


def test_each_department_records_its_own_results(
    client, district, dept_admin, inspector_user, partner_inspector
):
    task = _drawn(district, dept_admin)
    selection = task.selections.first()
    client.force_login(partner_inspector)

    # The partner's officer sees one form per enterprise, for the partner's column only
    page = client.get(_detail(task)).content.decode()
    assert page.count('class="result-form"') == 4

    # and records through htmx: the row comes back with the result, the progress out of band
    response = client.post(
        reverse("sampling:result-record", args=[task.pk, selection.pk]),
        {"category": ResultCategory.CORRECTED, "inspected_on": "2026-12-09", "note": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert f'id="sel-{selection.pk}"' in html and "发现问题已责令改正" in html
    assert 'hx-swap-oob="true"' in html and 'id="recorded">1<' in html
    result = DrawResult.objects.get()
    assert result.participant.department == district[1]
    assert result.action.origin == "random_draw"


def test_a_result_outside_the_window_is_shown_at_the_date(client, district, dept_admin):
    task = _drawn(district, dept_admin)
    selection = task.selections.first()
    client.force_login(dept_admin)

    response = client.post(
        reverse("sampling:result-record", args=[task.pk, selection.pk]),
        {"category": ResultCategory.NO_PROBLEM, "inspected_on": "2027-01-05"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert 'data-field="inspected_on"' in html and "检查日期须在计划期" in html
    assert not DrawResult.objects.exists()


def test_the_justice_bureau_reads_a_task_but_records_nothing(
    client, district, dept_admin, justice_user
):
    task = _drawn(district, dept_admin)
    client.force_login(justice_user)

    page = client.get(_detail(task)).content.decode()
    post = client.post(
        reverse("sampling:result-record", args=[task.pk, task.selections.first().pk]),
        {"category": ResultCategory.NO_PROBLEM, "inspected_on": "2026-12-09"},
    )

    assert 'class="result-form"' not in page
    assert post.status_code == 403


def test_the_lead_admin_closes_a_task_once_every_result_is_in(client, district, dept_admin):
    task = _drawn(district, dept_admin)
    _record_all(task, dept_admin, department=district[0])
    client.force_login(dept_admin)

    early = client.get(_detail(task)).content.decode()
    _record_all(task, dept_admin, department=district[1])
    ready = client.get(_detail(task)).content.decode()
    closed = client.post(reverse("sampling:task-close", args=[task.pk]), follow=True)

    assert 'id="task-close"' not in early and "全部结果录入后可办结" in early
    assert 'id="task-close"' in ready
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED
    assert 'data-status="closed"' in closed.content.decode()


# ---------------------------------------------------------------- the create form


def _form(district, **changes):
    department, partner, items, _ = district
    data = {
        "title": "2026年12月联合抽查",
        "partners": [partner.pk],
        "items": [items[department.pk][0].pk, items[partner.pk][0].pk],
        "team_size": "2",
        "team_size_reason": "",
        "size_mode": "total",
        "size_value": "5",
        "window_start": "2026-12-01",
        "window_end": "2026-12-31",
        **{
            f"weight_{g}": w
            for g, w in {"A": "0.5", "B": "1", "C": "2", "D": "4", "U": "1"}.items()
        },
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_department_admin_creates_a_joint_task(client, district, dept_admin):
    department, partner, items, _ = district
    client.force_login(dept_admin)

    response = client.post(reverse("sampling:task-create"), _form(district))

    task = DrawTask.objects.get()
    assert response.status_code == 302 and response.url == _detail(task)
    assert task.lead_department == department and task.status == TaskStatus.DRAFT
    by_department = {p.department_id: list(p.items.all()) for p in task.participants.all()}
    assert by_department == {
        department.pk: items[department.pk][:1],
        partner.pk: items[partner.pk][:1],
    }


def test_the_create_form_opens_for_a_department_admin_only(
    client, district, dept_admin, inspector_user
):
    client.force_login(dept_admin)
    page = client.get(reverse("sampling:task-create")).content.decode()
    client.force_login(inspector_user)

    assert _items_of(district, 0)[0].code in page and "区卫生健康局" in page
    assert client.get(reverse("sampling:task-create")).status_code == 403


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"partners": []}, "items", "不属于参与抽查的部门公布的清单（清单之外无事项）"),
        ({"team_size": "1"}, "team_size_reason", "执法人员少于 2 人须说明理由"),
        ({"window_end": "2026-11-30"}, "window_end", "计划检查结束日期不能早于开始日期"),
        ({"size_value": "13"}, "size_value", "抽取总数 13 超过可抽企业数 12"),
        ({"size_mode": "ratio", "size_value": "1.5"}, "size_value", "抽取比例须大于 0 且不超过 1"),
        ({"title": ""}, "title", "请填写任务名称"),
    ],
    ids=["foreign-items", "lone-officer", "window", "above-scope", "ratio", "title"],
)
def test_create_form_errors_show_in_chinese_at_their_field(
    client, district, dept_admin, changes, field, message
):
    client.force_login(dept_admin)

    response = client.post(reverse("sampling:task-create"), _form(district, **changes))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-field="{field}">' in html
    error = html.split(f'data-field="{field}">', 1)[1].split("</div>", 1)[0]
    assert message in error
    assert not DrawTask.objects.exists()


def test_a_department_without_items_ticked_is_named(client, district, dept_admin):
    department = district[0]
    client.force_login(dept_admin)

    response = client.post(
        reverse("sampling:task-create"), _form(district, items=[_items_of(district, 1)[0].pk])
    )

    html = response.content.decode()
    assert f"请为“{department.name}”选择检查事项" in html.split('data-field="items">', 1)[1]


def test_the_live_preview_shows_candidates_and_quotas_before_saving(client, district, dept_admin):
    client.force_login(dept_admin)

    response = client.post(
        reverse("sampling:task-create-preview"),
        _form(district, size_mode="ratio", size_value="0.5"),
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert 'data-candidates="12"' in html and 'data-total="6"' in html
    assert '<tr data-stratum="U"' in html and "50.00%" in html
    assert not DrawTask.objects.exists()


def test_the_live_preview_explains_an_empty_scope(client, district, dept_admin, street):
    client.force_login(dept_admin)
    other_street = type(street).objects.create(name="观湖街道", code="440309001")

    response = client.post(
        reverse("sampling:task-create-preview"), _form(district, streets=[other_street.pk])
    )

    assert "抽查范围内没有企业，请放宽范围" in response.content.decode()


def test_choosing_a_partner_brings_its_item_list(client, district, dept_admin):
    department, partner, items, _ = district
    client.force_login(dept_admin)

    alone = client.get(reverse("sampling:task-create-items")).content.decode()
    joint = client.get(
        reverse("sampling:task-create-items"), {"partners": [partner.pk]}
    ).content.decode()

    assert items[partner.pk][0].code not in alone and items[department.pk][0].code in alone
    assert items[partner.pk][0].code in joint and f'data-department="{partner.code}"' in joint

"""The demo district's draw tasks, as a visitor and the back office meet them: exported and
verified with the commands, shown read-only in the admin, conflicts declared there audited."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wurao.accounts.models import User
from wurao.audit.models import AuditEvent
from wurao.demo.services import demo_build
from wurao.registry.models import Enterprise, Inspector
from wurao.sampling.choices import TaskStatus
from wurao.sampling.models import ConflictOfInterest, DrawResult, DrawTask

pytestmark = pytest.mark.django_db

SCALE, SEED = 0.002, 17


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One small demo district for the module (committed; flushed afterwards)."""
    with django_db_blocker.unblock():
        result = demo_build(actor="test", scale=SCALE, seed=SEED)
    yield result
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def admin_client(client, demo):
    # The justice bureau's demo account runs the Django admin.
    client.force_login(User.objects.get(username="sfj"))
    return client


def test_every_published_demo_task_exports_and_the_drawn_ones_verify(demo, tmp_path, capsys):
    for task in DrawTask.objects.exclude(status=TaskStatus.DRAFT):
        path = tmp_path / f"{task.code}.json"

        call_command("draw_export", task.code, "--out", str(path))

        bundle = json.loads(path.read_text(encoding="utf-8"))
        assert bundle["task_id"] == task.code and bundle["title"] == task.title
        if task.status == TaskStatus.COMMITTED:
            assert "server_seed" not in bundle
            continue
        capsys.readouterr()
        call_command("draw_verify", str(path))
        out = capsys.readouterr().out
        assert "✘" not in out and "核验通过" in out, task.code


def test_the_demo_draft_cannot_be_exported(demo, tmp_path):
    draft = DrawTask.objects.get(status=TaskStatus.DRAFT)

    with pytest.raises(CommandError, match="草稿"):
        call_command("draw_export", draft.code, "--out", str(tmp_path / "draft.json"))


def _joint_closed() -> DrawTask:
    return DrawTask.objects.get(status=TaskStatus.CLOSED, participants__department__code="WSJK")


@pytest.mark.parametrize("model", ["drawtask", "drawselection", "drawresult"])
def test_the_admin_shows_draws_but_offers_no_way_to_change_them(admin_client, model):
    # given the justice bureau in the back office and a closed joint task
    task = _joint_closed()
    obj = {
        "drawtask": task,
        "drawselection": task.selections.first(),
        "drawresult": DrawResult.objects.filter(selection__task=task).first(),
    }[model]

    # when it opens the list and a record
    listing = admin_client.get(f"/admin/sampling/{model}/")
    page = admin_client.get(f"/admin/sampling/{model}/{obj.pk}/change/")

    # then both show, read-only: no save button, and adding is refused
    assert listing.status_code == 200 and page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.get(f"/admin/sampling/{model}/add/").status_code == 403


def test_a_task_in_the_admin_shows_its_departments_rosters(admin_client):
    task = _joint_closed()

    page = admin_client.get(f"/admin/sampling/drawtask/{task.pk}/change/").content.decode()

    assert "市市场监督管理局龙华监管局" in page and "区卫生健康局" in page
    assert task.commitment in page
    for participant in task.participants.all():
        assert participant.roster[0] in page


def test_a_conflict_declared_in_the_admin_is_audited(admin_client):
    # given an officer and an enterprise of the demo
    inspector = Inspector.objects.filter(department__code="YJGL").order_by("badge_no").last()
    enterprise = Enterprise.objects.order_by("pk").first()

    # when the back office records a declared conflict
    response = admin_client.post(
        "/admin/sampling/conflictofinterest/add/",
        {"inspector": inspector.pk, "enterprise": enterprise.pk, "reason": "曾在该企业任职"},
    )

    # then it is saved and the audit chain says who entered it
    assert response.status_code == 302
    conflict = ConflictOfInterest.objects.get(inspector=inspector, enterprise=enterprise)
    event = AuditEvent.objects.get(verb="conflictofinterest.admin_create")
    assert event.object_id == str(conflict.pk) and event.actor_label == "sfj"


@pytest.mark.parametrize("username", ["sfj", "yjj_admin", "yjj_inspector"])
def test_every_demo_task_a_user_may_see_opens_and_reads_its_basis_in_words(client, demo, username):
    # Given the demo's tasks, created by the demo itself (no user behind them)
    user = User.objects.get(username=username)
    client.force_login(user)
    tasks = DrawTask.objects.all()
    if username != "sfj":
        tasks = tasks.filter(participants__department=user.department).distinct()

    # When the user opens each task they take part in
    pages = {task.code: client.get(f"/draws/{task.pk}/") for task in tasks}

    # Then every one opens (four answered 500), naming its grading in words
    assert pages and all(page.status_code == 200 for page in pages.values()), {
        code: page.status_code for code, page in pages.items()
    }
    for page in pages.values():
        assert "credit-points-v" not in page.content.decode()

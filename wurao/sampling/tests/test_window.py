"""A task's inspection window: an impossible or absurd one is refused when the task is
created, at the date that is wrong, not saved and left to fail at commit."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wurao.sampling.choices import SizeMode
from wurao.sampling.models import DrawTask
from wurao.sampling.services import draw_task_commit
from wurao.sampling.services_draft import ParticipantSpec, draw_task_create

pytestmark = pytest.mark.django_db


def _create(department, item, actor, start: str, end: str):
    return draw_task_create(
        actor=actor,
        title="2026年12月安全生产双随机抽查",
        lead_department=department,
        participants=[ParticipantSpec(department=department, items=[item])],
        scope={},
        size_mode=SizeMode.TOTAL,
        size_value=Decimal(2),
        window_start=datetime.date.fromisoformat(start),
        window_end=datetime.date.fromisoformat(end),
    )


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("0001-01-01", "9999-12-31", "window_start", "计划检查开始日期 0001-01-01 不合理"),
        ("2026-12-01", "9999-12-31", "window_end", "计划检查结束日期 9999-12-31 不合理"),
        ("2026-01-01", "2027-06-30", "window_end", "计划检查期最长 366 天（一年），现为 546 天"),
        ("2026-12-31", "2026-12-01", "window_end", "计划检查结束日期不能早于开始日期"),
    ],
    ids=["ten-thousand-years", "end-in-9999", "eighteen-months", "reversed"],
)
def test_an_absurd_window_is_refused_at_creation_naming_the_date(
    department, item, dept_admin, start, end, field, message
):
    with pytest.raises(ValidationError) as refused:
        _create(department, item, dept_admin, start, end)

    assert message in refused.value.message_dict[field][0]
    assert not DrawTask.objects.exists()


def test_a_year_long_window_is_accepted(department, item, dept_admin):
    task = _create(department, item, dept_admin, "2027-01-01", "2027-12-31")

    assert task.window_end == datetime.date(2027, 12, 31)


def test_the_form_shows_the_absurd_window_at_its_field_and_saves_nothing(
    client, department, item, dept_admin
):
    # Given a department admin filling in the new task form
    client.force_login(dept_admin)

    # When the window typed is 0001-01-01 to 9999-12-31
    response = client.post(
        reverse("sampling:task-create"),
        {
            "title": "十年一遇",
            "items": [item.pk],
            "team_size": "2",
            "size_mode": "total",
            "size_value": "2",
            "window_start": "0001-01-01",
            "window_end": "9999-12-31",
            **{f"weight_{g}": "1" for g in "ABCDU"},
        },
    )

    # Then the form says which date is wrong and why, and no draft is saved
    html = response.content.decode()
    error = html.split('data-field="window_start">', 1)[1].split("</div>", 1)[0]
    assert "计划检查开始日期 0001-01-01 不合理：须在 2000 年至 2099 年之间" in error
    assert not DrawTask.objects.exists()


def test_a_commit_without_officers_certified_to_the_end_names_that_date(
    department, item, dept_admin
):
    # Given a task whose window ends after every officer's certificate
    task = _create(department, item, dept_admin, "2027-06-01", "2027-12-31")

    with pytest.raises(ValidationError) as refused:
        draw_task_commit(actor=dept_admin, task=task)

    assert "没有执法证有效期至计划期结束（2027-12-31）的在岗执法人员" in str(refused.value)

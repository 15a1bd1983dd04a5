"""Calibration on the backtest page, and adopting its draft through the table-version editor: the
draft grades nobody until a person publishes it; a table's own kinds of record survive the
editor."""

import datetime
import html

import pytest
from django.conf import settings
from django.utils import timezone

from wurao.audit.models import AuditEvent
from wurao.credit.forms import PointsTableForm
from wurao.credit.models import EnterpriseGrade, PointsTableDraft, PointsTableVersion
from wurao.credit.points import DEFAULT_TABLE
from wurao.credit.points_json import table_to_dict
from wurao.credit.tests.backtest_support import history_build
from wurao.credit.tests.test_pages_backtest_kinds import _as_posted
from wurao.credit.views_backtest import JOBS

pytestmark = pytest.mark.django_db

PAGE = "/credit/tables/backtest/"
CALIBRATE = "/credit/tables/backtest/calibrate/"
NEW = "/credit/tables/new/"
TRAINING = {"train_from": "2019-01-01", "train_to": "2019-12-31"}


@pytest.fixture
def history(street, department, justice_user):
    return history_build(street=street, department=department, actor=justice_user)


def _field_error(page: str, field: str) -> str:
    return html.unescape(page.split(f'data-field="{field}">')[1].split("<")[0])


def test_a_calibration_stores_a_draft_and_its_report_shows_on_the_page(
    client, justice_user, history
):
    client.force_login(justice_user)

    page = client.post(CALIBRATE, {**TRAINING, "test_from": "", "test_to": ""}, follow=True)

    html_page = page.content.decode()
    draft = PointsTableDraft.objects.get()
    assert (draft.train_from, draft.test_from) == (
        datetime.date(2019, 1, 1),
        datetime.date(2020, 1, 1),
    )
    assert f"校准完成，已存为草案 {draft.pk}" in html_page
    assert f'href="{NEW}?draft={draft.pk}"' in html_page
    # the fit per kind of record: the penalty's points before and after
    penalty = next(k for k in draft.report["fit"]["kinds"] if k["code"] == "penalty")
    row = html_page.split('data-kind="penalty"')[1].split("</tr>")[0]
    assert "行政处罚" in row and f"{penalty['records']:,}" in row
    # both tables' backtests on the held-out period, side by side
    days = draft.report["test"]["draft"]["days_earlier"]
    measure = html_page.split('data-measure="days_earlier"')[1].split("</tr>")[0]
    assert f"{days:.1f}" in measure
    # audited, and nobody's grade changed
    assert AuditEvent.objects.filter(verb="points_table.calibrate").count() == 1
    assert not EnterpriseGrade.objects.exists()
    # and the list of drafts, on the page and on the draft's own page
    listing = client.get(PAGE).content.decode()
    assert f'data-draft="{draft.pk}"' in listing
    assert "采用此草案" in client.get(f"/credit/tables/drafts/{draft.pk}/").content.decode()


def test_adopting_a_draft_opens_the_editor_prefilled_with_it_and_publishing_stays_a_person(
    client, justice_user, history
):
    # given a draft whose penalty points differ from the table in force
    table = table_to_dict(DEFAULT_TABLE)
    table["indicators"][0] = {**table["indicators"][0], "points": -2.5}
    assert table["indicators"][0]["indicator"] == "penalty"
    draft = PointsTableDraft.objects.create(table=table, note="按 2019 年校准")
    client.force_login(justice_user)

    # when the bureau adopts it
    editor = client.get(NEW, {"draft": draft.pk}).content.decode()

    # then the editor holds the draft's values, and nothing is published yet
    assert 'name="penalty__points" value="-2.5"' in editor
    assert "按 2019 年校准" in editor and f"以校准草案 {draft.pk} 为底稿" in editor
    assert PointsTableVersion.objects.count() == 1

    # and publishing it (the person sets the date) makes version 2 with the draft's points
    form = PointsTableForm(table=table, risk_tags=[])
    response = client.post(
        f"{NEW}?draft={draft.pk}",
        _as_posted(form, effective_from="2027-01-01", note="采用草案"),
    )
    assert response.status_code == 302
    published = PointsTableVersion.objects.get(version=2)
    assert published.table["indicators"][0]["points"] == -2.5
    assert published.effective_from == datetime.date(2027, 1, 1)


@pytest.mark.parametrize("draft", ["abc", "99999999999999999999999", "-1", "", "1.5", "²", "٣"])
def test_a_draft_that_is_no_number_or_out_of_range_is_a_404(client, justice_user, draft):
    client.force_login(justice_user)
    assert client.get(NEW, {"draft": draft}).status_code == 404
    assert client.get(f"/credit/tables/drafts/{draft or 0}/").status_code == 404


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"train_from": "2019-02-30"}, "train_from", "训练期起应为日期，如 2026-01-31"),
        (
            {"train_to": "2018-12-31"},
            "train_to",
            "训练期止（2018-12-31）不能早于训练期起（2019-01-01）",
        ),
        (
            {"test_from": "2019-06-01"},
            "test_from",
            "检验期起（2019-06-01）须在训练期止（2019-12-31）之后，两期不能重叠",
        ),
        (
            {"test_from": "2020-06-01", "test_to": "2020-03-01"},
            "test_to",
            "检验期止（2020-03-01）不能早于检验期起（2020-06-01）",
        ),
        ({"train_to": "2199-12-31"}, "train_to", "训练期起至训练期止不能超过十年"),
        ({"train_to": "9999-12-31"}, "train_to", "训练期止不能大于 2199-12-31"),
    ],
)
def test_wrong_calibration_periods_are_named_and_nothing_runs(
    client, justice_user, history, fields, field, message
):
    client.force_login(justice_user)

    response = client.post(CALIBRATE, {**TRAINING, **fields})

    assert response.status_code == 200
    assert _field_error(response.content.decode(), field).startswith(message)
    assert JOBS not in client.session and not PointsTableDraft.objects.exists()


def test_training_that_ends_today_leaves_no_test_period_and_says_so(client, justice_user, history):
    client.force_login(justice_user)
    today = timezone.localdate().isoformat()

    response = client.post(CALIBRATE, {"train_from": "2019-01-01", "train_to": today})

    assert _field_error(response.content.decode(), "train_to").startswith("训练期止须早于今天")


def test_a_calibration_the_service_refuses_says_why(client, justice_user, history):
    # given a training period with too few inspections (the fit needs twenty)
    client.force_login(justice_user)

    page = client.post(
        CALIBRATE, {"train_from": "2019-01-01", "train_to": "2019-01-31"}, follow=True
    ).content.decode()

    assert "校准未完成" in page and "须至少 20 次检查" in page
    assert not PointsTableDraft.objects.exists()


def test_in_english_a_calibration_stores_its_note_in_chinese_and_refuses_in_english(
    client, justice_user, history
):
    client.force_login(justice_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    # a draft's note is stored text: Chinese, as the command writes it
    client.post(CALIBRATE, TRAINING)
    assert PointsTableDraft.objects.get().note.startswith("按 2019-01-01 至 2019-12-31")

    # and a training period with nothing to learn from is refused in English, naming the field
    empty = {"train_from": "2010-01-01", "train_to": "2010-12-31"}
    page = html.unescape(client.post(CALIBRATE, empty, follow=True).content.decode())
    assert "Calibration not completed" in page
    assert "the training period has 0 inspections" in page
    assert PointsTableDraft.objects.count() == 1

    # and with no table published, the shipped default table is the one calibrated
    PointsTableVersion.objects.all().delete()
    client.post(CALIBRATE, TRAINING)
    assert PointsTableDraft.objects.count() == 2
    assert PointsTableDraft.objects.first().table["version"] == 1

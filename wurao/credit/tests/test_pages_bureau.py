"""The justice bureau's credit pages: points tables, the editor, regrading, grade changes."""

import datetime

import pytest
from django.urls import reverse

from wurao.credit.forms import PointsTableForm
from wurao.credit.models import GradeChange, PointsTableVersion
from wurao.credit.points import DEFAULT_TABLE
from wurao.credit.points_json import table_to_dict
from wurao.credit.services_grading import grades_recompute
from wurao.enforcement.choices import ActionKind
from wurao.enforcement.tests.factories import EnforcementActionFactory

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2020, 12, 31)


@pytest.fixture
def risky(enterprise, department):
    for day in (datetime.date(2020, 3, 2), datetime.date(2020, 6, 9)):
        EnforcementActionFactory(
            enterprise=enterprise,
            department=department,
            kind=ActionKind.PENALTY,
            severity=3,
            date=day,
        )
    return enterprise


def editor_data(**changes) -> dict:
    """What the editor posts when left as prefilled from the default table, with changes."""
    form = PointsTableForm(table=table_to_dict(DEFAULT_TABLE), risk_tags=[])
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    data.update(effective_from="2021-01-01", note="调整分数线", **changes)
    return data


def test_only_the_justice_bureau_edits_tables_and_regrades(client, dept_admin, enterprise_user):
    for user in (dept_admin, enterprise_user):
        client.force_login(user)

        assert client.get(reverse("credit:table-new")).status_code == 403
        assert client.post(reverse("credit:table-new"), editor_data()).status_code == 403
        assert client.post(reverse("credit:regrade"), {"as_of": "2020-12-31"}).status_code == 403
    assert not PointsTableVersion.objects.exists()


def test_the_editor_is_prefilled_and_publishes_a_new_version(client, justice_user, risky):
    grades_recompute(actor=justice_user, as_of=AS_OF)  # publishes the default version 1
    client.force_login(justice_user)
    page = client.get(reverse("credit:table-new")).content.decode()
    assert 'name="threshold_A"' in page and 'value="103"' in page

    response = client.post(reverse("credit:table-new"), editor_data(threshold_A="105"))

    assert response.status_code == 302
    published = PointsTableVersion.objects.get(version=2)
    assert published.table["thresholds"]["A"] == 105.0 and published.created_by == justice_user
    detail = client.get(response["Location"]).content.decode()
    assert "第 2 版" in detail and "≥ 105" in detail


def test_thresholds_out_of_order_are_refused_with_the_reason(client, justice_user):
    client.force_login(justice_user)

    response = client.post(
        reverse("credit:table-new"), editor_data(threshold_A="80", threshold_B="90")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-field="thresholds"' in html
    assert "分数线须从高到低：A（80.0）&gt; B（90.0）&gt; C（75.0）" in html
    assert not PointsTableVersion.objects.exists()


def test_a_rule_against_its_direction_is_refused_at_its_field(client, justice_user):
    client.force_login(justice_user)

    html = client.post(
        reverse("credit:table-new"), editor_data(penalty__points="6")
    ).content.decode()

    assert 'data-field="penalty__points">“行政处罚”只能扣分，分值须 ≤ 0，实为 6.0' in html


def test_the_regrade_button_regrades_and_shows_who_moved_and_why(client, justice_user, risky):
    client.force_login(justice_user)

    response = client.post(reverse("credit:regrade"), {"as_of": "2020-12-31"}, follow=True)

    html = response.content.decode()
    assert "已按第 1 版计分表重新评级 1 家企业" in html and "等级变动 1 家" in html
    change = GradeChange.objects.get(enterprise=risky)
    assert risky.name in html
    assert all(reason in html for reason in change.reasons)
    assert any("行政处罚" in reason for reason in change.reasons)


def test_the_changes_page_shows_the_latest_regrade_by_default(
    client, justice_user, dept_admin, risky, department
):
    grades_recompute(actor=justice_user, as_of=datetime.date(2020, 1, 31))  # the first: B
    grades_recompute(actor=justice_user, as_of=AS_OF)  # two serious penalties later: D
    client.force_login(dept_admin)

    latest = client.get(reverse("credit:change-list")).content.decode()
    moved_to_d = client.get(reverse("credit:change-list"), {"grade": "D"}).content.decode()
    earlier = client.get(reverse("credit:change-list"), {"as_of": "2020-01-31"}).content.decode()

    assert 'data-grade="D"' in latest and 'data-grade="B"' not in latest
    assert '降级 <strong class="text-danger">1</strong>' in latest
    assert risky.name in moved_to_d and "行政处罚" in moved_to_d
    assert 'data-grade="B"' in earlier
    # and it says which regrade it opened on, only when it chose it
    assert f"默认显示最近一次重新评级（评价基准日 {AS_OF.isoformat()}）" in latest
    assert "默认显示" not in earlier


def test_anyone_signed_in_reads_the_tables(client, enterprise_user, justice_user, risky):
    grades_recompute(actor=justice_user, as_of=AS_OF)
    client.force_login(enterprise_user)

    listing = client.get(reverse("credit:table-list")).content.decode()
    detail = client.get(reverse("credit:table-detail", args=[1])).content.decode()

    assert "现行" in listing and "编制新版本" not in listing
    assert "行政处罚" in detail and "绿色通道" in detail and "危化品" in detail
    assert client.get(reverse("credit:table-detail", args=[9])).status_code == 404

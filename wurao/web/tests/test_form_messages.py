"""Form messages name the field and say what is wrong in plain Chinese; a list page refuses a
wrong filter value without dropping the other filters."""

import pytest
from django.urls import reverse

from wurao.credit.forms import ReviewRequestForm
from wurao.oversight.forms import EnterpriseChoiceForm
from wurao.registry.choices import EnterpriseKind
from wurao.registry.forms import EnterpriseFilterForm
from wurao.registry.tests.factories import EnterpriseFactory
from wurao.sampling.choices import TaskStatus
from wurao.sampling.forms import DrawTaskFilterForm
from wurao.visits.forms import VisitFilterForm

pytestmark = pytest.mark.django_db

TOO_LONG = "深" * 120


def test_a_too_long_search_names_the_field_and_both_lengths():
    # given a search of 120 characters where 100 are allowed
    form = EnterpriseFilterForm({"q": TOO_LONG})

    # when the form is checked
    assert not form.is_valid()

    # then the message names the field, the limit and what was typed, without Django's wording
    assert form.errors["q"] == ["名称或信用代码最多 100 个字，现有 120 个字"]
    assert "确保" not in str(form.errors)


def test_long_texts_on_other_forms_say_the_same_way():
    # given a credit objection with a reason past its 2,000 characters, and a dashboard
    # enterprise code past its 30
    objection = ReviewRequestForm({"reason": "理" * 2001})
    dashboard = EnterpriseChoiceForm({"credit_code": "9" * 31})

    # then each names its own field
    assert not objection.is_valid()
    assert objection.errors["reason"] == ["理由最多 2000 个字，现有 2001 个字"]
    assert not dashboard.is_valid()
    assert dashboard.errors["credit_code"] == ["企业统一社会信用代码最多 30 个字，现有 31 个字"]


def test_a_mistyped_date_or_choice_is_named_in_plain_chinese():
    form = VisitFilterForm({"date_from": "2026-13-45", "status": "nonsense"})

    assert not form.is_valid()
    assert form.errors["date_from"] == ["入企日期起应为日期，如 2026-01-31"]
    assert form.errors["status"] == ["状态中没有“nonsense”这一项，请从列表中选择"]


def test_a_wrong_filter_value_keeps_the_other_filters():
    # given a task list filter with a search too long and a valid status
    form = DrawTaskFilterForm({"q": "任" * 150, "status": TaskStatus.CLOSED})

    # when the list asks for its filters
    filters = form.filters()

    # then the search is left out and the status still applies
    assert filters == {"status": TaskStatus.CLOSED}
    assert form.errors["q"]


def test_enterprise_list_shows_the_error_and_still_filters_by_kind(client, justice_user):
    # given an enterprise and an individual business
    EnterpriseFactory(name="深圳市甲科技有限公司", kind=EnterpriseKind.ENTERPRISE)
    EnterpriseFactory(name="深圳市龙华区乙便利店", kind=EnterpriseKind.INDIVIDUAL)
    client.force_login(justice_user)
    url = reverse("registry:enterprise-list")
    query = {"q": TOO_LONG, "kind": EnterpriseKind.INDIVIDUAL}

    # when the justice bureau searches with 120 characters and asks for individual businesses
    page = client.get(url, query).content.decode()
    partial = client.get(url, query, HTTP_HX_REQUEST="true").content.decode()

    # then the page says what is wrong, keeps what was typed, and lists individual businesses only
    for body in (page, partial):
        assert "名称或信用代码最多 100 个字，现有 120 个字" in body
        assert "深圳市龙华区乙便利店" in body
        assert "深圳市甲科技有限公司" not in body
    assert TOO_LONG in page

"""非举报不现场核查 through the real registration: the service, the API and the pages refuse an
on-site inspection of a listed item unless a complaint, referral or higher order asks for it;
no override reason lifts it; the bureau lists the items on the rules page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.visits import rules as visit_rules
from wurao.visits import selectors, services
from wurao.visits.choices import VisitOrigin, VisitStatus
from wurao.visits.forms_supervision import RulesForm
from wurao.visits.models import Visit, VisitRefusal, VisitRuleVersion
from wurao.visits.tests.support import _body, _form, _reg, token_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("audit_chain_stays_whole")]


@pytest.fixture
def low_risk(department):
    item = InspectionItemFactory(department=department, code="YJ-LOW", name="安全警示标志设置")
    VisitRuleVersion.objects.create(
        version=1,
        effective_from=datetime.date(2020, 1, 1),
        rules={**visit_rules.DEFAULT_RULES_JSON, "offsite_only_items": ["YJ-LOW"]},
        note="非举报不现场核查",
    )
    selectors.rules_cache_clear()
    yield item
    selectors.rules_cache_clear()


@pytest.mark.parametrize("origin", [VisitOrigin.PLAN, VisitOrigin.RANDOM_DRAW, VisitOrigin.RECHECK])
def test_an_on_site_inspection_of_a_listed_item_is_refused_at_the_items(
    dept_admin, department, enterprise, low_risk, origin
):
    with pytest.raises(ValidationError) as refused:
        services.visit_register(
            actor=dept_admin, reg=_reg(enterprise, department, origin=origin, items=(low_risk,))
        )

    message = refused.value.message_dict["items"][0]
    assert "【非举报不现场核查】" in message
    assert "YJ-LOW（安全警示标志设置）" in message
    assert "非现场检查" in message
    assert not Visit.objects.exists()


def test_an_override_reason_does_not_lift_it_even_for_an_exempt_grade(
    dept_admin, department, enterprise, low_risk
):
    # recheck and enterprise_request are exempt from the caps; the rule still holds.
    with pytest.raises(ValidationError) as refused:
        services.visit_register(
            actor=dept_admin,
            reg=_reg(
                enterprise,
                department,
                origin=VisitOrigin.ENTERPRISE_REQUEST,
                items=(low_risk,),
                override_reason="企业要求上门指导",
            ),
        )

    assert "items" in refused.value.message_dict
    assert not Visit.objects.exists() and not VisitRefusal.objects.exists()


@pytest.mark.parametrize(
    "origin", [VisitOrigin.COMPLAINT, VisitOrigin.REFERRAL, VisitOrigin.HIGHER_ORDER]
)
def test_a_complaint_referral_or_higher_order_goes_on_site(
    dept_admin, department, enterprise, low_risk, origin
):
    visit = services.visit_register(
        actor=dept_admin, reg=_reg(enterprise, department, origin=origin, items=(low_risk,))
    )

    assert visit.status == VisitStatus.REGISTERED


def test_an_item_not_listed_is_registered_as_before(dept_admin, department, enterprise, low_risk):
    other = InspectionItemFactory(department=department, code="YJ-002")

    visit = services.visit_register(
        actor=dept_admin, reg=_reg(enterprise, department, items=(other,))
    )

    assert visit.status == VisitStatus.REGISTERED


def test_the_api_refuses_with_a_400_naming_the_rule_at_items(
    inspector, enterprise, officers, low_risk
):
    client = token_client(inspector)

    response = client.post("/api/visits/", _body(enterprise, officers, [low_risk]), format="json")

    assert response.status_code == 400
    assert "非举报不现场核查" in response.json()["items"][0]
    assert not Visit.objects.exists()


def test_the_api_registers_a_complaint_on_site(inspector, enterprise, officers, low_risk):
    client = token_client(inspector)

    response = client.post(
        "/api/visits/",
        _body(enterprise, officers, [low_risk], origin="complaint"),
        format="json",
    )

    assert response.status_code == 201


def test_the_registration_page_shows_the_refusal_beside_the_items(
    admin_client, enterprise, officers, low_risk
):
    page = admin_client.post(
        "/visits/new/", _form(enterprise, officers, [low_risk], timezone.localdate())
    ).content.decode()

    assert "非举报不现场核查" in page and "YJ-LOW" in page
    assert not Visit.objects.exists()


# ---------------------------------------------------------------- the rules page


def _rules_post(**changes) -> dict:
    data = {}
    for key, value in RulesForm.initial_from(visit_rules.DEFAULT_RULES_JSON).items():
        if value is None:
            data[key] = ""
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        else:
            data[key] = value
    data.update(effective_from=timezone.localdate().isoformat(), note="按市司法局通知调整")
    data.update(changes)
    return data


def test_the_bureau_lists_off_site_only_items_on_the_rules_page(client, justice_user, department):
    InspectionItemFactory(department=department, code="YJ-LOW")
    InspectionItemFactory(department=department, code="YJ-LOW2")
    client.force_login(justice_user)

    response = client.post(
        "/visits/rules/", _rules_post(offsite_only_items="YJ-LOW，YJ-LOW2\nYJ-LOW"), follow=True
    )

    assert VisitRuleVersion.objects.get().rules["offsite_only_items"] == ["YJ-LOW", "YJ-LOW2"]
    page = response.content.decode()
    assert "非举报不现场核查的检查事项" in page and "YJ-LOW、YJ-LOW2" in page


def test_an_unknown_item_code_is_refused_at_its_field(client, justice_user, department):
    InspectionItemFactory(department=department, code="YJ-LOW")
    client.force_login(justice_user)

    response = client.post("/visits/rules/", _rules_post(offsite_only_items="YJ-LOW, NO-SUCH"))

    assert response.status_code == 400
    assert 'data-field="offsite_only_items">检查事项编码 NO-SUCH 不在检查事项清单中' in (
        response.content.decode()
    )
    assert not VisitRuleVersion.objects.exists()

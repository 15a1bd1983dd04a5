"""/api/enterprises/: the shared registry, scoped so a street sees its area and an enterprise only itself."""

import pytest
from rest_framework.test import APIClient

from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.registry.choices import EnterpriseKind
from wurao.registry.tests.factories import (
    CommunityFactory,
    EnterpriseFactory,
    ParkFactory,
    RiskTagFactory,
    StreetFactory,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def neighbour():
    """An enterprise in another street."""
    return EnterpriseFactory(street=StreetFactory(name="观澜街道"), name="深圳市邻街制造有限公司")


def test_justice_and_departments_read_the_whole_shared_registry(
    justice_user, dept_admin, enterprise, neighbour
):
    # when the justice bureau or a department lists enterprises, then both see every one (两库共享)
    assert ids(client_for(justice_user).get("/api/enterprises/")) == {enterprise.pk, neighbour.pk}
    assert ids(client_for(dept_admin).get("/api/enterprises/")) == {enterprise.pk, neighbour.pk}


def test_a_street_reads_only_enterprises_in_its_area(street_user, enterprise, neighbour):
    # given the coordinator's street has one enterprise and another street one more
    client = client_for(street_user)

    # when it lists, filters by the other street, and opens the neighbour
    listed = client.get("/api/enterprises/")
    widened = client.get("/api/enterprises/", {"street": neighbour.street_id})
    detail = client.get(f"/api/enterprises/{neighbour.pk}/")

    # then it sees only its own area, and the neighbour is "not found"
    assert ids(listed) == {enterprise.pk}
    assert ids(widened) == set()
    assert detail.status_code == 404


def test_an_enterprise_reads_only_itself(enterprise_user, enterprise, neighbour):
    # given an enterprise user and a neighbouring enterprise with a record on file
    EnforcementActionFactory(enterprise=neighbour)
    client = client_for(enterprise_user)

    # when it lists enterprises and opens the neighbour's file
    listed = client.get("/api/enterprises/")
    detail = client.get(f"/api/enterprises/{neighbour.pk}/")

    # then it finds only itself; the neighbour does not exist as far as it can tell
    assert ids(listed) == {enterprise.pk}
    assert detail.status_code == 404
    assert detail.json() == {"detail": "未找到该企业，或您无权查看"}
    assert client.get(f"/api/enterprises/{enterprise.pk}/").status_code == 200


def test_enterprise_detail_shows_risk_tags_and_place_names(justice_user, street):
    # given an enterprise in a community and a park, with a risk tag
    community = CommunityFactory(street=street, name="新田社区")
    park = ParkFactory(street=street, name="福城智造产业园")
    tag = RiskTagFactory(code="hazchem", name="危化品")
    enterprise = EnterpriseFactory(
        street=street, community=community, park=park, size_class="small"
    )
    enterprise.risk_tags.set([tag])

    # when it is opened
    body = client_for(justice_user).get(f"/api/enterprises/{enterprise.pk}/").json()

    # then the file names its street, community and park and lists its risk tags
    assert body["street_name"] == "福城街道"
    assert body["community_name"] == "新田社区"
    assert body["park_name"] == "福城智造产业园"
    assert body["size_class_display"] == "小型"
    assert body["risk_tags"] == [
        {"id": tag.pk, "code": "hazchem", "name": "危化品", "description": ""}
    ]
    assert body["credit_code"] == enterprise.credit_code


def test_enterprise_detail_without_community_or_park_says_null(justice_user, enterprise):
    body = client_for(justice_user).get(f"/api/enterprises/{enterprise.pk}/").json()

    assert body["community_name"] is None
    assert body["park_name"] is None


def test_enterprise_list_filters(justice_user, street):
    # given enterprises that differ in kind, scale and risk
    tag = RiskTagFactory(code="dust", name="粉尘涉爆")
    factory = EnterpriseFactory(street=street, above_scale=True, industry_section="C")
    factory.risk_tags.set([tag])
    shop = EnterpriseFactory(street=street, kind=EnterpriseKind.INDIVIDUAL, industry_section="F")
    client = client_for(justice_user)

    # when filtering, then each filter narrows the list
    assert ids(client.get("/api/enterprises/", {"kind": "individual"})) == {shop.pk}
    assert ids(client.get("/api/enterprises/", {"above_scale": "true"})) == {factory.pk}
    assert ids(client.get("/api/enterprises/", {"risk_tag": "dust"})) == {factory.pk}
    assert ids(client.get("/api/enterprises/", {"industry_section": "c"})) == {factory.pk}
    assert ids(client.get("/api/enterprises/", {"q": "测试", "street": street.pk})) == {
        factory.pk,
        shop.pk,
    }


def test_enterprises_are_found_by_a_credit_code_prefix_in_any_case(justice_user, enterprise):
    # given an enterprise's code typed in lower case, partly
    prefix = enterprise.credit_code[:12].lower()

    # when searching with q
    response = client_for(justice_user).get("/api/enterprises/", {"q": prefix})

    # then it is found
    assert ids(response) == {enterprise.pk}


def test_enterprises_are_found_by_an_exact_credit_code_with_spaces_and_lower_case(
    justice_user, enterprise, neighbour
):
    # given the full code as someone might paste it
    typed = " " + enterprise.credit_code.lower() + " "

    # when filtering by credit_code
    response = client_for(justice_user).get("/api/enterprises/", {"credit_code": typed})

    # then exactly that enterprise comes back
    assert ids(response) == {enterprise.pk}


def test_credit_code_and_q_together_are_refused(justice_user, enterprise):
    response = client_for(justice_user).get(
        "/api/enterprises/", {"credit_code": enterprise.credit_code, "q": "测试"}
    )

    assert response.status_code == 400
    assert "只能选用一个" in response.json()["credit_code"][0]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9144030912345678", "统一社会信用代码应为18位，实为16位"),
        ("91440309MA5IOSVZ0X", "不得含字母 I、O、S、V、Z"),
        ("Y1440309MA5F00001X", "前8位须为数字"),
    ],
)
def test_a_malformed_credit_code_is_refused_with_a_chinese_reason(justice_user, typed, message):
    response = client_for(justice_user).get("/api/enterprises/", {"credit_code": typed})

    assert response.status_code == 400
    assert message in response.json()["credit_code"][0]


def test_a_credit_code_with_a_wrong_check_character_says_which_is_right(justice_user, enterprise):
    # given the right code with its last character changed
    right = enterprise.credit_code
    wrong = right[:-1] + ("0" if right[-1] != "0" else "1")

    response = client_for(justice_user).get("/api/enterprises/", {"credit_code": wrong})

    assert response.status_code == 400
    assert f"末位应为 {right[-1]}" in response.json()["credit_code"][0]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"kind": "unknown"}, "kind", "“unknown”不是有效的企业类型"),
        ({"size_class": "huge"}, "size_class", "不是有效的企业规模"),
        ({"status": "zombie"}, "status", "不是有效的经营状态"),
        ({"street": "福城"}, "street", "请输入有效的街道编号"),
        ({"industry_section": "Z"}, "industry_section", "行业门类应为 A–T 中的一个字母"),
        ({"above_scale": "maybe"}, "above_scale", "above_scale 只能是 true 或 false"),
    ],
)
def test_a_bad_enterprise_filter_is_refused_naming_the_field(justice_user, params, field, message):
    response = client_for(justice_user).get("/api/enterprises/", params)

    assert response.status_code == 400
    assert message in response.json()[field][0]


def test_anonymous_callers_cannot_read_the_registry(enterprise):
    client = APIClient()

    assert client.get("/api/enterprises/").status_code in (401, 403)
    assert client.get(f"/api/enterprises/{enterprise.pk}/").status_code in (401, 403)

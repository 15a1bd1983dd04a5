"""/api/items/: the published inspection catalogue (一单), readable by every signed-in role."""

import pytest
from rest_framework.test import APIClient

from wurao.catalogue.choices import ItemKind
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import DepartmentFactory, RiskTagFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


@pytest.fixture
def catalogue(department):
    environment = DepartmentFactory(name="区生态环境局")
    return {
        "fire": InspectionItemFactory(department=department, code="YJ-001", name="消防安全管理"),
        "key": InspectionItemFactory(
            department=department, code="YJ-002", name="危险化学品储存", kind=ItemKind.KEY
        ),
        "withdrawn": InspectionItemFactory(department=department, code="YJ-003", active=False),
        "water": InspectionItemFactory(
            department=environment, code="HB-001", name="污水排放", law="中华人民共和国水污染防治法"
        ),
    }


def test_every_role_reads_the_whole_active_catalogue(enterprise_user, catalogue):
    # when an enterprise reads the catalogue, then it sees every department's active items
    assert codes(client_for(enterprise_user).get("/api/items/")) == {"YJ-001", "YJ-002", "HB-001"}


def test_catalogue_filters_by_department_kind_and_keyword(street_user, department, catalogue):
    client = client_for(street_user)

    assert codes(client.get("/api/items/", {"department": department.pk})) == {"YJ-001", "YJ-002"}
    assert codes(client.get("/api/items/", {"kind": "key"})) == {"YJ-002"}
    assert codes(client.get("/api/items/", {"q": "水污染防治法"})) == {"HB-001"}
    assert codes(client.get("/api/items/", {"q": "YJ"})) == {"YJ-001", "YJ-002"}


def test_an_item_shows_its_legal_basis_check_points_and_tags(dept_admin, department):
    # given an item with check points and an applicable risk tag
    item = InspectionItemFactory(
        department=department,
        code="YJ-010",
        article="第四十一条",
        check_points="检查应急预案是否备案",
    )
    item.applicable_tags.set([RiskTagFactory(code="hazchem", name="危化品")])

    # when it is opened
    body = client_for(dept_admin).get(f"/api/items/{item.pk}/").json()

    # then it cites its law and article and lists what to check
    assert body["legal_basis"] == "《中华人民共和国安全生产法》第四十一条"
    assert body["check_points"] == "检查应急预案是否备案"
    assert body["applicable_tags"] == ["hazchem"]
    assert body["department_name"] == "区应急管理局"
    assert body["kind_display"] == "一般检查事项"


def test_a_withdrawn_item_can_still_be_opened_by_id(justice_user, catalogue):
    # recorded actions keep citing items that were later withdrawn
    response = client_for(justice_user).get(f"/api/items/{catalogue['withdrawn'].pk}/")

    assert response.status_code == 200
    assert response.json()["active"] is False


def test_a_missing_item_is_not_found(justice_user):
    response = client_for(justice_user).get("/api/items/999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该检查事项"}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"kind": "unknown"},
            "kind",
            "“unknown”不是有效的事项类别，可选：general（一般检查事项）、key（重点检查事项）",
        ),
        ({"department": "应急"}, "department", "请输入有效的部门编号（正整数），如 1"),
    ],
)
def test_a_bad_catalogue_filter_is_refused_naming_the_field(justice_user, params, field, message):
    response = client_for(justice_user).get("/api/items/", params)

    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_anonymous_callers_cannot_read_the_catalogue_through_the_api():
    assert APIClient().get("/api/items/").status_code in (401, 403)

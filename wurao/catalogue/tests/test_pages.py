"""The catalogue pages: every department's published items, readable by every role."""

import pytest
from django.urls import reverse

from wurao.catalogue.choices import ItemKind
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role_user", ["justice_user", "dept_admin", "street_user", "enterprise_user"]
)
def test_catalogue_is_readable_by_every_role(client, request, role_user):
    item = InspectionItemFactory(name="危险化学品储存检查")
    client.force_login(request.getfixturevalue(role_user))

    response = client.get(reverse("catalogue:item-list"))

    assert response.status_code == 200
    assert item.name in response.content.decode()


def test_catalogue_groups_items_under_their_department(client, street_user):
    fire = DepartmentFactory(name="区消防救援大队")
    market = DepartmentFactory(name="区市场监督管理局")
    InspectionItemFactory(department=fire, name="消防设施检查")
    InspectionItemFactory(department=market, name="食品经营许可检查")
    client.force_login(street_user)

    page = client.get(reverse("catalogue:item-list")).content.decode()
    results = page[page.index('id="results"') :]

    assert (
        results.index("区消防救援大队")
        < results.index("消防设施检查")
        < results.index("区市场监督管理局")
    )


def test_catalogue_filters_by_department_and_kind(client, dept_admin, department):
    InspectionItemFactory(department=department, name="重点事项甲", kind=ItemKind.KEY)
    InspectionItemFactory(department=department, name="一般事项乙")
    InspectionItemFactory(name="他部门事项丙", kind=ItemKind.KEY)
    client.force_login(dept_admin)

    page = client.get(
        reverse("catalogue:item-list"), {"department": department.pk, "kind": "key"}
    ).content.decode()

    assert "重点事项甲" in page
    assert "一般事项乙" not in page and "他部门事项丙" not in page


def test_catalogue_hides_withdrawn_items_from_the_list(client, dept_admin):
    InspectionItemFactory(name="已停用事项", active=False)
    client.force_login(dept_admin)

    page = client.get(reverse("catalogue:item-list")).content.decode()

    assert "已停用事项" not in page
    assert "暂无记录" in page


def test_item_detail_shows_legal_basis_and_check_points(client, enterprise_user):
    item = InspectionItemFactory(check_points="一、安全出口是否畅通\n二、灭火器是否在有效期内")
    client.force_login(enterprise_user)

    page = client.get(reverse("catalogue:item-detail", args=[item.pk])).content.decode()

    assert "《中华人民共和国安全生产法》第六十五条" in page
    assert "安全出口是否畅通" in page and "灭火器是否在有效期内" in page


def test_item_detail_of_a_missing_item_is_404(client, enterprise_user):
    client.force_login(enterprise_user)

    assert client.get(reverse("catalogue:item-detail", args=[999999])).status_code == 404

"""The library's pages: public reading and search, versions with their status, the item ↔
article links on both pages, imports for department administrators and the bureau only."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.services import item_article_link
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import DepartmentFactory
from wurao.standards.models import Article, Document
from wurao.standards.services import version_import, version_repeal

pytestmark = pytest.mark.django_db


def test_anyone_searches_the_library_and_sees_marked_results(client, fire_code):
    response = client.get("/standards/", {"q": "防火门"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "<mark>防火门</mark>" in body and "共 1 条条文含有检索词" in body
    assert "#c6-2-7" in body
    assert "没有条文含有该检索词" in client.get("/standards/", {"q": "噪声"}).content.decode()


def test_the_document_page_shows_the_current_version_with_anchors_and_every_version_status(
    client, fire_code
):
    old = fire_code.versions.get()
    version_import(
        actor="test",
        document=fire_code,
        text="6.2.7 新版条文。",
        effective_from=datetime.date(2021, 1, 1),
        label="2021年版",
    )
    version_import(
        actor="test",
        document=fire_code,
        text="6.2.7 将来条文。",
        effective_from=datetime.date(2099, 1, 1),
        label="2099年版",
    )

    body = client.get(f"/standards/{fire_code.pk}/").content.decode()
    old_body = client.get(f"/standards/{fire_code.pk}/versions/{old.pk}/").content.decode()

    assert 'id="c6-2-7"' in body and "新版条文" in body and "将来条文" not in body
    assert "现行有效" in body and "已被修订" in body and "尚未施行" in body
    assert "乙级防火门" in old_body
    version_repeal(
        actor="test",
        version=fire_code.versions.get(label="2021年版"),
        effective_to=datetime.date(2022, 1, 1),
    )
    assert "已废止" in client.get(f"/standards/{fire_code.pk}/").content.decode()


def test_an_item_and_the_article_it_enforces_show_each_other(client, fire_code, justice_user):
    item = InspectionItemFactory(name="消防控制室防火门检查")
    article = Article.objects.get(number="6.2.7")
    item_article_link(actor=justice_user, item=item, article=article)
    client.force_login(justice_user)

    item_page = client.get(f"/catalogue/{item.pk}/").content.decode()
    document_page = client.get(f"/standards/{fire_code.pk}/").content.decode()
    redirect = client.get(f"/standards/articles/{article.pk}/")

    assert "《建筑设计防火规范》6.2.7" in item_page
    assert "消防控制室防火门检查" in document_page
    assert redirect.status_code == 302 and redirect["Location"].endswith("#c6-2-7")


def test_a_department_admin_imports_for_its_own_department_only(client, dept_admin):
    other = DepartmentFactory()
    client.force_login(dept_admin)
    upload = {
        "files": [SimpleUploadedFile("law.txt", "演示办法\n第一条 目的。\n第二条 范围。".encode())],
        "kind": "rule",
        "effective_from": "2022-01-01",
        "commit": "on",
    }

    refused = client.post("/standards/import/", {**upload, "department": other.pk})
    upload["files"] = [
        SimpleUploadedFile("law.txt", "演示办法\n第一条 目的。\n第二条 范围。".encode())
    ]
    done = client.post("/standards/import/", {**upload, "department": dept_admin.department_id})

    assert "department" in refused.context["form"].errors and not refused.context["reports"]
    assert "识别 2 条" in done.content.decode()
    assert Document.objects.get().department == dept_admin.department


@pytest.mark.parametrize("role", [None, Role.INSPECTOR, Role.ENTERPRISE])
def test_the_import_page_is_refused_to_readers(client, role, department, enterprise):
    if role:
        user = UserFactory(
            role=role,
            department=department if role == Role.INSPECTOR else None,
            enterprise=enterprise if role == Role.ENTERPRISE else None,
        )
        client.force_login(user)

    response = client.get("/standards/import/")

    assert response.status_code in (302, 403) and (role is None) == (response.status_code == 302)

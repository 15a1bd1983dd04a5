"""The upload page as the justice bureau uses it: upload, read the dry run, confirm."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wurao.audit.models import AuditEvent
from wurao.imports.tests.files import ENTERPRISE_HEADER, csv_bytes
from wurao.registry.models import Enterprise

pytestmark = pytest.mark.django_db

GOOD = [
    "91440300708461136T",
    "深圳市甲科技有限公司",
    "企业",
    "福城街道",
    "福城社区",
    "危化品",
    "2015-06-01",
    "是",
]
BAD = ["91110000100006485K", "乙五金店", "个体工商户", "龙华街道", "", "", "", ""]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def justice_client(client, justice_user):
    client.force_login(justice_user)
    return client


def upload(client, data, *, name="企业.csv", target="enterprises"):
    return client.post("/imports/", {"target": target, "file": SimpleUploadedFile(name, data)})


def test_justice_user_sees_the_upload_form_with_template_links(justice_client):
    response = justice_client.get("/imports/")

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "上传并检查" in page
        and "/imports/templates/enterprises.xlsx" in page
        and "统一社会信用代码" in page
    )


def test_upload_shows_the_dry_run_then_confirm_imports_the_same_bytes(
    justice_client, places, media_root
):
    data = csv_bytes([ENTERPRISE_HEADER, GOOD, BAD], encoding="gbk")

    preview = upload(justice_client, data)

    page = preview.content.decode()
    assert preview.status_code == 200 and "确认导入" in page
    assert "龙华街道" in page and "unknown_street" in page
    assert not Enterprise.objects.exists()
    sha256 = preview.context["report"].sha256
    assert (media_root / "imports" / sha256).read_bytes() == data

    done = justice_client.post(
        "/imports/confirm/", {"sha256": sha256, "target": "enterprises"}, follow=True
    )

    assert done.redirect_chain == [("/imports/result/", 302)]
    assert "新增 1" in done.content.decode() and "龙华街道" in done.content.decode()
    assert list(Enterprise.objects.values_list("credit_code", flat=True)) == [GOOD[0]]
    assert AuditEvent.objects.get().actor.username == "sfj"


def test_confirming_twice_imports_once(justice_client, places):
    sha256 = upload(justice_client, csv_bytes([ENTERPRISE_HEADER, GOOD])).context["report"].sha256
    justice_client.post("/imports/confirm/", {"sha256": sha256, "target": "enterprises"})

    again = justice_client.post(
        "/imports/confirm/", {"sha256": sha256, "target": "enterprises"}, follow=True
    )

    assert "没有找到待确认的上传" in again.content.decode()
    assert AuditEvent.objects.count() == 1


def test_confirm_refuses_an_upload_not_checked_in_this_session(justice_client, places):
    response = justice_client.post(
        "/imports/confirm/", {"sha256": "0" * 64, "target": "enterprises"}, follow=True
    )

    assert "请重新上传文件" in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_a_fake_xlsx_is_refused_on_the_form_in_chinese(justice_client, places, media_root):
    response = upload(justice_client, csv_bytes([ENTERPRISE_HEADER, GOOD]), name="企业.xlsx")

    assert response.status_code == 200
    assert "不是 Excel 工作簿" in response.content.decode()
    assert not (media_root / "imports").exists()


def test_an_empty_upload_is_refused_in_chinese(justice_client, places):
    response = upload(justice_client, b"")

    assert "文件为空" in response.content.decode()


def test_department_user_gets_403_on_every_import_page(client, dept_admin):
    client.force_login(dept_admin)

    statuses = {
        client.get("/imports/").status_code,
        client.post("/imports/", {"target": "enterprises"}).status_code,
        client.post("/imports/confirm/", {"sha256": "0" * 64}).status_code,
        client.get("/imports/templates/enterprises.csv").status_code,
    }

    assert statuses == {403}


def test_anonymous_user_is_sent_to_login(client):
    assert client.get("/imports/").status_code == 302


@pytest.mark.parametrize("target", ["enterprises", "inspectors", "items"])
def test_templates_download_as_xlsx_with_the_chinese_header_and_an_example(justice_client, target):
    response = justice_client.get(f"/imports/templates/{target}.xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert header[0] in {"统一社会信用代码", "执法证号", "事项编码"}
    assert sheet.max_row == 2


def test_csv_template_has_a_bom_so_excel_reads_the_chinese_header(justice_client):
    response = justice_client.get("/imports/templates/enterprises.csv")

    assert response.content.startswith("\ufeff统一社会信用代码,名称,类型".encode())


def test_the_full_dry_run_report_downloads_as_json(justice_client, places):
    sha256 = (
        upload(justice_client, csv_bytes([ENTERPRISE_HEADER, GOOD, BAD])).context["report"].sha256
    )

    report = justice_client.get(f"/imports/report/{sha256}.json").json()

    assert (report["rows"], report["valid"], report["errors"][0]["row"]) == (2, 1, 3)

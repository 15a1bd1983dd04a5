"""Hostile and oversized files: a zip bomb, a file of too many rows, an upload too large.
Each is refused with a message naming the limit, before the work it would cost is done."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from wurao.imports import services
from wurao.imports.engine import Limits, read_table
from wurao.imports.errors import FileErrorCode
from wurao.imports.models import ImportJob
from wurao.imports.specs import SPECS
from wurao.imports.tests.files import ENTERPRISE_HEADER, csv_bytes, xlsx_bomb, xlsx_bytes
from wurao.registry.models import Enterprise
from wurao.registry.tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db

ROW = ["91440300708461136T", "深圳市甲科技有限公司", "企业", "福城街道", "福城社区", "", "", ""]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def justice_client(client, justice_user):
    client.force_login(justice_user)
    return client


def row(n):
    return [valid_credit_code(n), f"深圳市测试{n}有限公司", "企业", "福城街道", "", "", "", ""]


def counting(rows_read):
    def progress(done, total):
        rows_read.append(done)

    return progress


def stored(media_root):
    folder = media_root / "imports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_the_zip_bomb_of_the_finding_is_refused_from_its_directory_under_the_default_limits(
    justice_user, places
):
    # Given the finding's file: 4.8 MB on disk, a sheet of 1 GB of rows that would parse.
    bomb = xlsx_bomb(ENTERPRISE_HEADER, ROW, expanded_mb=1024)
    assert len(bomb) < 5 * 1024 * 1024
    rows_read = []

    # When it is checked
    with pytest.raises(services.ImportFileError) as refused:
        services.import_run(
            actor=justice_user,
            target="enterprises",
            source=bomb,
            filename="企业.xlsx",
            progress=counting(rows_read),
        )

    # Then it is refused by its declared size, naming the limit, and not one row was read.
    assert refused.value.code == FileErrorCode.EXPANDS_TOO_MUCH
    assert refused.value.message.startswith(
        "文件解压后超过 600 MB（上限；本文件解压后为 1,025 MB）"
    )
    assert "请拆分后再导入" in refused.value.message
    assert rows_read == []


def test_a_small_bomb_is_refused_by_its_compression_ratio():
    bomb = xlsx_bomb(ENTERPRISE_HEADER, ROW, expanded_mb=8)  # 8 MB in some 40 KB

    with pytest.raises(services.ImportFileError) as refused:
        read_table(bomb, headers=SPECS["enterprises"].headers, filename="企业.xlsx")

    assert refused.value.code == FileErrorCode.COMPRESSION_RATIO
    assert "sheet1.xml" in refused.value.message and "上限 100 倍" in refused.value.message


def test_the_same_rows_saved_by_excel_pass_the_zip_checks():
    data = xlsx_bytes([ENTERPRISE_HEADER, *[row(n) for n in range(3000)]])

    table = read_table(data, headers=SPECS["enterprises"].headers, filename="企业.xlsx")

    assert sum(1 for _ in table) == 3000


def test_a_file_of_too_many_rows_is_refused_at_the_first_row_past_the_limit(
    justice_user, places, settings
):
    # Given a row limit of 1,000 and a CSV of 50,000 rows
    settings.WURAO_IMPORT_MAX_ROWS = 1000
    data = csv_bytes([ENTERPRISE_HEADER, *[row(n) for n in range(50_000)]])
    rows_read = []

    with pytest.raises(services.ImportFileError) as refused:
        services.import_run(
            actor=justice_user,
            target="enterprises",
            source=data,
            filename="企业.csv",
            progress=counting(rows_read),
        )

    # Then it stops at data row 1,001 (line 1,002), having checked no more than the limit.
    assert refused.value.code == FileErrorCode.TOO_MANY_ROWS
    assert refused.value.row == 1002
    assert refused.value.message == (
        "数据行超过 1,000 行（上限），读到第 1,002 行时已停止读取。请拆分为多个文件分批导入。"
    )
    assert sum(rows_read) <= 1000
    assert not Enterprise.objects.exists()


def test_the_default_row_limit_admits_the_whole_district_in_one_file():
    # 433,407 market entities (docs/demo.md), in the fewest columns the template requires.
    rows = [["统一社会信用代码", "名称", "类型", "街道"]]
    rows += [[f"C{n}", "N", "企业", "S"] for n in range(433_407)]

    table = read_table(csv_bytes(rows), headers=SPECS["enterprises"].headers, filename="全区.csv")

    assert sum(1 for _ in table) == 433_407
    assert services.import_limits().max_rows == Limits().max_rows == 500_000


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(justice_user, settings, tmp_path):
    settings.WURAO_IMPORT_MAX_FILE_MB = 1
    big = tmp_path / "企业.csv"
    big.write_bytes(csv_bytes([ENTERPRISE_HEADER, *[row(n) for n in range(20_000)]]))

    with pytest.raises(services.ImportFileError) as refused:
        services.import_run(actor=justice_user, target="enterprises", source=big)

    assert refused.value.code == FileErrorCode.FILE_TOO_LARGE
    assert "上限 1 MB" in refused.value.message and "请拆分后再导入" in refused.value.message


def test_the_upload_page_refuses_a_body_over_the_limit_without_keeping_it(
    justice_client, settings, media_root
):
    settings.WURAO_IMPORT_MAX_FILE_MB = 1
    data = csv_bytes([ENTERPRISE_HEADER]) + b"9" * (1200 * 1024)

    response = justice_client.post(
        "/imports/", {"target": "enterprises", "file": SimpleUploadedFile("企业.csv", data)}
    )

    assert response.status_code == 413
    assert "文件过大（上限 1 MB），未上传。请拆分后分批上传。" in response.content.decode()
    assert stored(media_root) == []


def test_the_upload_page_names_the_row_limit(justice_client, places, settings):
    settings.WURAO_IMPORT_MAX_ROWS = 10
    data = csv_bytes([ENTERPRISE_HEADER, *[row(n) for n in range(11)]])

    response = justice_client.post(
        "/imports/", {"target": "enterprises", "file": SimpleUploadedFile("企业.csv", data)}
    )

    assert response.status_code == 200
    assert "数据行超过 10 行（上限）" in response.content.decode()


def test_a_large_upload_is_checked_by_a_job_then_confirmed_from_its_page(
    justice_client, places, monkeypatch, media_root
):
    # Given an upload above what the page checks inline (lowered to keep the test small)
    from wurao.imports import views

    monkeypatch.setattr(views, "INLINE_CHECK_BYTES", 1024)
    data = csv_bytes(
        [ENTERPRISE_HEADER, *[row(n) for n in range(50)], ["bad", "坏行", "企业", "福城街道"]]
    )

    # When it is uploaded, the check runs as a job and its page shows the dry run
    checked = justice_client.post(
        "/imports/",
        {"target": "enterprises", "file": SimpleUploadedFile("企业.csv", data)},
        follow=True,
    )

    job = ImportJob.objects.get()
    assert checked.redirect_chain == [(f"/imports/jobs/{job.pk}/", 302)]
    assert job.kind == ImportJob.Kind.CHECK and job.status == ImportJob.Status.DONE
    page = checked.content.decode()
    assert "第二步：确认导入" in page and "确认导入" in page
    assert checked.context["report"].rows == 51 and checked.context["report"].valid == 50
    assert not Enterprise.objects.exists()
    polled = justice_client.get(f"/imports/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert polled.status_code == 204 and polled["HX-Refresh"] == "true"  # reload as the page
    # The full report comes from the job, not from a second check in the request.
    report = justice_client.get(f"/imports/report/{job.sha256}.json")
    assert report.json()["rows"] == 51 and len(report.json()["errors"]) >= 1

    # Then confirming imports the checked bytes
    done = justice_client.post(
        "/imports/confirm/", {"sha256": job.sha256, "target": "enterprises"}, follow=True
    )
    assert done.redirect_chain == [("/imports/result/", 302)]
    assert Enterprise.objects.count() == 50


def test_the_upload_form_still_needs_its_csrf_token(justice_user, places):
    # The size is checked before the body is read (csrf_exempt), the form itself is not exempt.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(justice_user)
    data = csv_bytes([ENTERPRISE_HEADER, ROW])

    response = browser.post(
        "/imports/", {"target": "enterprises", "file": SimpleUploadedFile("企业.csv", data)}
    )

    assert response.status_code == 403


def test_a_checked_upload_cleaned_away_is_asked_for_again(justice_client, justice_user):
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.CHECK,
        target="inspectors",
        filename="执法人员.csv",
        sha256="0" * 64,
        requested_by=justice_user,
        status=ImportJob.Status.DONE,
        report={"target": "inspectors", "rows": 1, "valid": 1, "errors": []},
    )

    response = justice_client.get(f"/imports/jobs/{job.pk}/", follow=True)

    assert response.redirect_chain == [("/imports/?target=inspectors", 302)]
    assert (
        "检查过的文件已不在服务器上（可能已被清理），请重新上传文件。" in response.content.decode()
    )

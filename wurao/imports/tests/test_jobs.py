"""Large confirmed imports run as a huey job (immediate in tests); small ones stay inline."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.audit.models import AuditEvent
from wurao.imports import services, services_jobs
from wurao.imports.models import ImportJob
from wurao.imports.tasks import MISSING_FILE, import_job_task
from wurao.imports.tests.files import ENTERPRISE_HEADER, csv_bytes
from wurao.registry.models import Enterprise
from wurao.registry.tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def justice_client(client, justice_user):
    client.force_login(justice_user)
    return client


def row(n):
    return [
        valid_credit_code(n),
        f"深圳市测试{n}有限公司",
        "企业",
        "福城街道",
        "福城社区",
        "",
        "",
        "",
    ]


def check(client, rows):
    data = csv_bytes([ENTERPRISE_HEADER, *rows])
    response = client.post(
        "/imports/", {"target": "enterprises", "file": SimpleUploadedFile("企业.csv", data)}
    )
    assert response.status_code == 200
    return response.context["report"].sha256


def confirm(client, sha256):
    return client.post(
        "/imports/confirm/", {"sha256": sha256, "target": "enterprises"}, follow=True
    )


def test_a_large_file_is_committed_by_a_job_and_the_status_page_shows_the_counts(
    justice_client, justice_user, places
):
    rows = [row(n) for n in range(services.BACKGROUND_ROWS + 1)]
    sha256 = check(justice_client, rows)

    done = confirm(justice_client, sha256)

    job = ImportJob.objects.get()
    assert done.redirect_chain == [(f"/imports/jobs/{job.pk}/", 302)]
    assert job.status == ImportJob.Status.DONE and job.requested_by == justice_user
    assert job.report["created"] == len(rows) and job.finished_at is not None
    assert Enterprise.objects.count() == len(rows)
    page = done.content.decode()
    assert f"新增 {len(rows)}" in page and "hx-trigger" not in page
    verbs = list(AuditEvent.objects.order_by("seq").values_list("verb", flat=True))
    assert verbs == [
        "import_job.queue",
        "import_job.start",
        "enterprise.import",
        "import_job.finish",
    ]
    assert AuditEvent.objects.filter(verb="enterprise.import").get().actor == justice_user
    # Confirmed once: a second confirmation finds nothing pending.
    assert confirm(justice_client, sha256).redirect_chain == [("/imports/", 302)]


def test_a_small_file_still_commits_inline(justice_client, places):
    sha256 = check(justice_client, [row(1), row(2)])

    done = confirm(justice_client, sha256)

    assert done.redirect_chain == [("/imports/result/", 302)]
    assert "新增 2" in done.content.decode()
    assert not ImportJob.objects.exists()


def test_a_queued_job_page_polls_every_two_seconds(justice_client, justice_user):
    job = ImportJob.objects.create(
        target="enterprises",
        filename="企业.csv",
        sha256="0" * 64,
        rows=5000,
        requested_by=justice_user,
    )

    page = justice_client.get(f"/imports/jobs/{job.pk}/").content.decode()
    partial = justice_client.get(f"/imports/jobs/{job.pk}/", headers={"HX-Request": "true"})

    assert 'hx-trigger="every 2s"' in page and "排队" in page
    assert 'hx-trigger="every 2s"' in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_a_job_whose_upload_is_gone_fails_in_chinese_and_writes_nothing(
    justice_client, justice_user, places, media_root
):
    sha256 = check(justice_client, [row(1), row(2)])
    (media_root / "imports" / sha256).unlink()
    job = services_jobs.import_job_create(
        actor=justice_user, target="enterprises", sha256=sha256, filename="企业.csv", rows=2
    )

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.error == MISSING_FILE
    assert "重新上传" in job.error and job.finished_at is not None
    assert not Enterprise.objects.exists()
    assert list(AuditEvent.objects.order_by("seq").values_list("verb", flat=True)) == [
        "import_job.queue",
        "import_job.fail",
    ]
    page = justice_client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert MISSING_FILE in page and "hx-trigger" not in page
    # A duplicate delivery of a finished job changes nothing.
    import_job_task.call_local(job.pk)
    assert AuditEvent.objects.count() == 2


def test_a_file_that_no_longer_reads_fails_the_job_and_writes_nothing(
    justice_client, justice_user, places, media_root
):
    sha256 = check(justice_client, [row(1)])
    (media_root / "imports" / sha256).write_bytes(b"")
    job = services_jobs.import_job_create(
        actor=justice_user, target="enterprises", sha256=sha256, filename="企业.csv", rows=1
    )

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.error.startswith("文件未导入：")
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize("who", ["dept_admin", "street_user", "enterprise_user"])
def test_non_justice_users_get_403_on_the_status_page(client, justice_user, who, request):
    job = ImportJob.objects.create(
        target="enterprises", filename="企业.csv", sha256="0" * 64, requested_by=justice_user
    )
    client.force_login(request.getfixturevalue(who))

    assert client.get(f"/imports/jobs/{job.pk}/").status_code == 403


def test_another_justice_user_may_follow_the_job(client, justice_user):
    job = ImportJob.objects.create(
        target="enterprises", filename="企业.csv", sha256="0" * 64, requested_by=justice_user
    )
    client.force_login(UserFactory(username="sfj2", role=Role.JUSTICE))

    assert client.get(f"/imports/jobs/{job.pk}/").status_code == 200

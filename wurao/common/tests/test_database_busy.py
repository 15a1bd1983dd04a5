"""A request that finds SQLite locked by a long write (a large import committing) is told to
retry: 503 with Retry-After and a Chinese reason, on pages and in the API, not a server error.
The lock is real: another connection holds the database file's write lock."""

import contextlib
import datetime
import hashlib
import sqlite3

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.imports.models import ImportJob
from wurao.imports.services import upload_path
from wurao.imports.tests.files import ENTERPRISE_HEADER, csv_bytes
from wurao.registry.models import Enterprise
from wurao.registry.tests.factories import InspectorFactory
from wurao.visits.models import Visit
from wurao.visits.tests.support import _body

pytestmark = pytest.mark.django_db(transaction=True)

BUSY = "系统正忙（另一项任务正在写入），请稍后重试"
GOOD = ["91440300708461136T", "深圳市甲科技有限公司", "企业", "福城街道", "", "", "", ""]


@pytest.fixture(autouse=True)
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL has no database-wide write lock")


@contextlib.contextmanager
def on_file(tmp_path):
    """The test database, as set up so far, moved to a file that another connection can
    lock as a long import's write locks it; a request waits 0.2 s for the lock (DATABASES
    timeout) instead of 20."""
    connection.ensure_connection()
    memory = connection.connection
    path = tmp_path / "wurao.sqlite3"
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")  # as settings open it: readers never wait
    copy.close()
    saved = {**connection.settings_dict, "OPTIONS": dict(connection.settings_dict["OPTIONS"])}
    # Detached, not closed: closing an in-memory database would drop it.
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    connection.settings_dict["OPTIONS"]["timeout"] = 0.2
    connection.ensure_connection()
    try:
        yield path
    finally:
        connection.close()
        connection.settings_dict.update(saved)
        connection.connection = memory


class WriteLock:
    """Another process's long write: BEGIN IMMEDIATE holds SQLite's one write lock."""

    def __init__(self, path):
        self.holder = sqlite3.connect(path, isolation_level=None)

    def __enter__(self):
        self.holder.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *exc):
        self.holder.execute("ROLLBACK")
        self.holder.close()


@pytest.fixture
def justice_client(client, justice_user):
    client.force_login(justice_user)
    return client


def test_a_page_that_writes_during_a_long_write_says_busy_and_to_retry(
    justice_client, street, settings, tmp_path
):
    # Given a checked upload waiting for its confirmation, on a database file
    settings.MEDIA_ROOT = tmp_path / "media"
    data = csv_bytes([ENTERPRISE_HEADER, GOOD])
    checked = justice_client.post("/imports/", {"target": "enterprises", "file": _file(data)})
    sha256 = checked.context["report"].sha256

    with on_file(tmp_path) as path:
        with WriteLock(path):
            # When it is confirmed while another connection writes
            busy = justice_client.post(
                "/imports/confirm/", {"sha256": sha256, "target": "enterprises"}
            )

        # Then the answer is 503, retry later, and nothing was written
        assert busy.status_code == 503
        assert busy["Retry-After"] == "5"
        assert BUSY in busy.content.decode() and "<html" in busy.content.decode()
        assert not Enterprise.objects.exists()

        # and retrying once the write is over succeeds.
        done = justice_client.post(
            "/imports/confirm/", {"sha256": sha256, "target": "enterprises"}, follow=True
        )
        assert done.redirect_chain == [("/imports/result/", 302)]
        assert Enterprise.objects.count() == 1


def test_a_session_saved_during_a_long_write_says_busy_too(
    justice_client, justice_user, tmp_path, settings
):
    # Given a finished background check: its page saves the upload to the session to confirm
    settings.MEDIA_ROOT = tmp_path / "media"
    data = csv_bytes([ENTERPRISE_HEADER, GOOD])
    sha256 = hashlib.sha256(data).hexdigest()
    upload_path(sha256).parent.mkdir(parents=True)
    upload_path(sha256).write_bytes(data)
    report = {"target": "enterprises", "rows": 1, "valid": 1, "errors": [], "file": {}}
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.CHECK,
        target="enterprises",
        filename="企业.csv",
        sha256=sha256,
        requested_by=justice_user,
        status=ImportJob.Status.DONE,
        report=report,
    )

    # (The test client would re-raise what the server answers with a page.)
    justice_client.raise_request_exception = False
    with on_file(tmp_path) as path, WriteLock(path):
        busy = justice_client.get(f"/imports/jobs/{job.pk}/")

    # The view read what it needed; the session's save at the end found the lock, and
    # Django's "session deleted before the request completed" (400) is not what is said.
    assert busy.status_code == 503 and BUSY in busy.content.decode()


def test_an_api_write_during_a_long_write_answers_503_in_json(department, enterprise, tmp_path):
    inspector = UserFactory(username="yj_officer", role=Role.INSPECTOR, department=department)
    far = datetime.date(2099, 12, 31)
    officers = [
        InspectorFactory(department=department, name=n, certificate_valid_until=far)
        for n in ("李明", "王芳")
    ]
    item = InspectionItemFactory(department=department, code="YJ-001", name="安全生产责任制落实")
    api = APIClient()
    api.force_authenticate(inspector)
    body = _body(enterprise, officers, [item])

    with on_file(tmp_path) as path:
        with WriteLock(path):
            busy = api.post("/api/visits/", body, format="json")

        assert busy.status_code == 503
        assert busy["Retry-After"] == "5"
        assert busy.json() == {"detail": BUSY}
        assert not Visit.objects.exists()
        assert api.post("/api/visits/", body, format="json").status_code == 201


def _file(data):
    return SimpleUploadedFile("企业.csv", data)

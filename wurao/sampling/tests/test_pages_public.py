"""Public disclosure (一公开): no login, the seed hidden until the draw, a bundle anyone can verify."""

import json

import pytest
from django.urls import reverse

from wurao.sampling.bundle import verify_bundle
from wurao.sampling.choices import ResultCategory
from wurao.sampling.services import draw_task_close
from wurao.sampling.tests import test_pages
from wurao.sampling.tests.test_pages import _committed, _drawn, _record_all, _task

pytestmark = pytest.mark.django_db

# The same small district as the department pages' tests.
district = test_pages.district


def test_the_public_list_needs_no_login_and_leaves_drafts_out(client, district, dept_admin):
    draft = _task(district, dept_admin)
    committed = _committed(district, dept_admin)

    response = client.get(reverse("sampling_public:task-list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert committed.code in html and committed.commitment[:16] in html
    assert draft.code not in html
    assert client.get(reverse("sampling_public:task-detail", args=[draft.code])).status_code == 404


def test_before_the_draw_the_public_page_shows_the_commitment_but_never_the_seed(
    client, district, dept_admin
):
    task = _committed(district, dept_admin)

    page = client.get(reverse("sampling_public:task-detail", args=[task.code])).content.decode()
    verify = client.get(reverse("sampling_public:task-verify", args=[task.code])).content.decode()
    bundle = client.get(reverse("sampling_public:task-bundle", args=[task.code]))

    assert task.commitment in page and task.snapshot_digest in page
    assert 'id="awaiting-draw"' in page
    for html in (page, verify, bundle.content.decode()):
        assert task.server_seed not in html
    assert "server_seed" not in bundle.json() and "selected" not in bundle.json()
    assert 'data-autorun="true"' not in verify


def test_after_the_draw_the_public_page_shows_enterprises_teams_and_the_revealed_seed(
    client, district, dept_admin
):
    task = _drawn(district, dept_admin)

    html = client.get(reverse("sampling_public:task-detail", args=[task.code])).content.decode()

    assert task.server_seed in html and task.result_digest in html
    for selection in task.selections.select_related("enterprise"):
        assert selection.enterprise.name in html and selection.enterprise.credit_code in html
        for member in selection.team.select_related("inspector"):
            assert member.inspector.badge_no in html
    assert "/registry/enterprises/" not in html  # no links into the signed-in registry


def test_results_are_published_when_the_task_closes(client, district, dept_admin):
    task = _drawn(district, dept_admin)
    _record_all(task, dept_admin)
    draw_task_close(actor=dept_admin, task=task)

    html = client.get(reverse("sampling_public:task-detail", args=[task.code])).content.decode()

    assert html.count(f'data-category="{ResultCategory.NO_PROBLEM}"') == 8


def test_the_bundle_downloads_as_json_that_verifies_with_no_mismatch(client, district, dept_admin):
    task = _drawn(district, dept_admin)

    response = client.get(reverse("sampling_public:task-bundle", args=[task.code]))

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == f'attachment; filename="{task.code}.json"'
    bundle = json.loads(response.content.decode("utf-8"))
    assert bundle["task_id"] == task.code and bundle["server_seed"] == task.server_seed
    assert verify_bundle(bundle) == []


def test_the_verify_pages_load_the_browser_verifier(client, district, dept_admin):
    task = _drawn(district, dept_admin)

    own = client.get(reverse("sampling_public:task-verify", args=[task.code])).content.decode()
    any_bundle = client.get(reverse("sampling_public:verify")).content.decode()

    bundle_url = reverse("sampling_public:task-bundle", args=[task.code])
    assert f'data-bundle-url="{bundle_url}"' in own and 'data-autorun="true"' in own
    for html in (own, any_bundle):
        assert "sampling/draw-verify-page.js" in html
        assert 'id="bundle-file"' in html and 'id="bundle-json"' in html
        assert 'id="verify-button"' in html and 'id="verify-results"' in html
    assert "data-bundle-url" not in any_bundle


def test_every_page_links_to_the_public_disclosure(client, street_user):
    anonymous = client.get(reverse("sampling_public:verify")).content.decode()
    client.force_login(street_user)
    signed_in = client.get("/registry/enterprises/").content.decode()

    public_url = reverse("sampling_public:task-list")
    assert f'href="{public_url}"' in anonymous and f'href="{public_url}"' in signed_in
    # a street coordinator has no draw tasks of its own
    assert f'href="{reverse("sampling:task-list")}"' not in signed_in


def test_results_are_published_only_when_the_task_closes(client, district, dept_admin):
    # Given a drawn task with one department's results recorded but the task not yet closed
    task = _drawn(district, dept_admin)
    _record_all(task, dept_admin, department=district[0])

    # When a visitor opens the public page
    page = client.get(f"/public/draws/{task.code}/").content.decode()

    # Then no result is shown yet
    assert "未发现问题" not in page
    assert "结果于任务办结后公示" in page

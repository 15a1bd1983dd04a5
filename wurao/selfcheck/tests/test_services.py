import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wurao.accounts.choices import Role
from wurao.accounts.scope import Scope
from wurao.accounts.tests.factories import UserFactory
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    ParkFactory,
    RiskTagFactory,
)
from wurao.selfcheck import selectors, services
from wurao.selfcheck.choices import EntryResult, InspectionStatus
from wurao.selfcheck.tests.factories import (
    JPEG,
    PNG,
    inspection_completed,
    inspection_started,
    items_for,
)

pytestmark = pytest.mark.django_db


def test_checklist_holds_the_items_that_apply_to_the_enterprise(enterprise, department):
    # given an enterprise with the 危化品 tag in manufacturing, and items of each kind
    hazchem, food = RiskTagFactory(code="hazchem"), RiskTagFactory(code="food")
    enterprise.industry_section = "C"
    enterprise.save()
    enterprise.risk_tags.add(hazchem)
    general = InspectionItemFactory(department=department, name="通用事项")
    tagged = InspectionItemFactory(department=department, name="危化品事项")
    tagged.applicable_tags.add(hazchem)
    other_tag = InspectionItemFactory(department=department, name="食品事项")
    other_tag.applicable_tags.add(food)
    industry = InspectionItemFactory(department=department, applicable_industries=["C"])
    InspectionItemFactory(department=department, applicable_industries=["H"])
    InspectionItemFactory(department=department, active=False)
    # when the applicable items are asked for
    items = selectors.items_applicable(enterprise=enterprise)
    # then the general one, the tagged one and the industry's one apply, no other
    assert {i.pk for i in items} == {general.pk, tagged.pk, industry.pk}


def test_start_makes_one_entry_per_item_of_the_chosen_departments(enterprise_user, department):
    # given items of two departments
    items_for(department, 3)
    other = DepartmentFactory()
    items_for(other, 2)
    # when the enterprise chooses one department
    inspection = inspection_started(enterprise_user, department_ids=[other.pk])
    # then it gets that department's two items, numbered, unanswered
    entries = list(inspection.entries.order_by("position"))
    assert [e.position for e in entries] == [1, 2]
    assert {e.department_id for e in entries} == {other.pk}
    assert all(e.result == "" for e in entries)


def test_start_refuses_a_second_one_while_one_is_in_progress(enterprise_user, department):
    items_for(department)
    inspection_started(enterprise_user)
    with pytest.raises(ValidationError) as refused:
        inspection_started(enterprise_user)
    assert "进行中" in str(refused.value)


def test_start_refuses_when_nothing_applies(enterprise_user, department):
    InspectionItemFactory(department=department, applicable_industries=["B"])
    with pytest.raises(ValidationError) as refused:
        inspection_started(enterprise_user)
    assert "departments" in refused.value.message_dict


def test_another_enterprise_cannot_start_or_answer_for_it(enterprise_user, department):
    items_for(department)
    inspection = inspection_started(enterprise_user)
    stranger = UserFactory(role=Role.ENTERPRISE, enterprise=EnterpriseFactory())
    with pytest.raises(PermissionDenied):
        services.inspection_start(actor=stranger, enterprise=enterprise_user.enterprise)
    with pytest.raises(PermissionDenied):
        services.entry_record(
            actor=stranger, entry=inspection.entries.first(), result=EntryResult.COMPLIANT
        )


def test_completion_needs_every_entry_answered(enterprise_user, department):
    # given a checklist of two items with one answered
    items_for(department, 2)
    inspection = inspection_started(enterprise_user)
    first = inspection.entries.order_by("position").first()
    services.entry_record(actor=enterprise_user, entry=first, result=EntryResult.COMPLIANT)
    # when the enterprise completes it, then it is told how many are left
    with pytest.raises(ValidationError) as refused:
        services.inspection_complete(actor=enterprise_user, inspection=inspection)
    assert "还有 1 个事项未填写" in str(refused.value)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS


def test_a_problem_without_a_fix_completes_but_stays_open(enterprise_user, department):
    items_for(department, 2)
    inspection = inspection_completed(enterprise_user, problem=True)
    assert inspection.status == InspectionStatus.COMPLETED
    listed = selectors.inspection_get(
        scope=Scope(enterprise_id=enterprise_user.enterprise_id), pk=inspection.pk
    )
    assert (listed.problem_count, listed.open_count) == (1, 1)


def test_a_fix_may_be_added_after_completion_but_the_answer_stays(enterprise_user, department):
    # given a completed self-inspection with an open problem
    items_for(department, 2)
    inspection = inspection_completed(enterprise_user, problem=True)
    problem = inspection.entries.get(result=EntryResult.PROBLEM)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    # when the fix is added, then the problem is closed
    services.entry_record(
        actor=enterprise_user,
        entry=problem,
        result=EntryResult.PROBLEM,
        note="灭火器过期",
        fix_action="更换了 4 具灭火器",
        fixed_on=yesterday,
    )
    problem.refresh_from_db()
    assert not problem.open_problem
    # and an answer cannot be changed any more
    with pytest.raises(ValidationError) as refused:
        services.entry_record(actor=enterprise_user, entry=problem, result=EntryResult.COMPLIANT)
    assert "result" in refused.value.message_dict


def test_a_problem_needs_a_note_and_a_fix_date_needs_the_fix(enterprise_user, department):
    items_for(department, 1)
    entry = inspection_started(enterprise_user).entries.get()
    with pytest.raises(ValidationError) as refused:
        services.entry_record(
            actor=enterprise_user,
            entry=entry,
            result=EntryResult.PROBLEM,
            fixed_on=timezone.localdate() + datetime.timedelta(days=3),
        )
    assert {"note", "fix_action", "fixed_on"} <= set(refused.value.message_dict)
    entry.refresh_from_db()
    assert entry.result == ""


def test_photos_are_stored_when_they_are_images(enterprise_user, department, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    items_for(department, 1)
    entry = inspection_started(enterprise_user).entries.get()
    photos = [
        SimpleUploadedFile("a.jpg", JPEG, content_type="image/jpeg"),
        SimpleUploadedFile("b.png", PNG, content_type="image/png"),
    ]
    services.entry_record(
        actor=enterprise_user, entry=entry, result=EntryResult.PROBLEM, note="x", photos=photos
    )
    stored = list(entry.photos.all())
    assert len(stored) == 2
    assert stored[0].image.name.startswith("selfcheck/photos/")


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("report.pdf", b"%PDF-1.4", "只能上传 JPG、PNG 或 WebP 图片"),
        ("fake.jpg", b"MZ\x90\x00 not a photo", "不是有效的图片"),
    ],
)
def test_a_non_image_is_refused_with_a_clear_message(
    enterprise_user, department, settings, tmp_path, name, content, says
):
    settings.MEDIA_ROOT = tmp_path
    items_for(department, 1)
    entry = inspection_started(enterprise_user).entries.get()
    with pytest.raises(ValidationError) as refused:
        services.entry_record(
            actor=enterprise_user,
            entry=entry,
            result=EntryResult.PROBLEM,
            note="x",
            photos=[SimpleUploadedFile(name, content)],
        )
    assert says in refused.value.message_dict["photos"][0]
    entry.refresh_from_db()
    assert entry.result == "" and not entry.photos.exists()


def test_a_photo_over_the_size_limit_is_refused(enterprise_user, department):
    items_for(department, 1)
    entry = inspection_started(enterprise_user).entries.get()
    big = SimpleUploadedFile("big.jpg", JPEG + b"\x00" * services.PHOTO_MAX_BYTES)
    with pytest.raises(ValidationError) as refused:
        services.entry_record(
            actor=enterprise_user, entry=entry, result=EntryResult.PROBLEM, note="x", photos=[big]
        )
    assert "8 MB" in refused.value.message_dict["photos"][0]


def test_campaign_invites_the_parks_live_enterprises(street, street_user):
    # given a park of the street with two live enterprises and a closed one
    park = ParkFactory(street=street)
    live = [EnterpriseFactory(street=street, park=park) for _ in range(2)]
    EnterpriseFactory(street=street, park=park, status="cancelled")
    # when the street starts a campaign
    today = timezone.localdate()
    campaign = services.campaign_start(
        actor=street_user, park=park, title="园区自查", starts_on=today, ends_on=today
    )
    # then the live ones are invited
    assert set(campaign.invited.values_list("pk", flat=True)) == {e.pk for e in live}


def test_another_street_cannot_run_a_campaign_in_the_park(street_user):
    park = ParkFactory()
    EnterpriseFactory(street=park.street, park=park)
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.campaign_start(
            actor=street_user, park=park, title="x", starts_on=today, ends_on=today
        )


def test_an_invited_enterprise_answers_the_campaign(street, street_user, department):
    park = ParkFactory(street=street)
    enterprise = EnterpriseFactory(street=street, park=park)
    user = UserFactory(role=Role.ENTERPRISE, enterprise=enterprise)
    items_for(department, 1)
    today = timezone.localdate()
    campaign = services.campaign_start(
        actor=street_user, park=park, title="园区自查", starts_on=today, ends_on=today
    )
    inspection = inspection_completed(user)
    assert inspection.campaign_id == campaign.pk
    progress = selectors.campaign_progress(campaign=campaign)
    assert progress[0]["inspection"].status == InspectionStatus.COMPLETED

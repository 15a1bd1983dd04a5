import datetime

import pytest
from django.utils import timezone

from wurao.credit.services_grading import grades_recompute
from wurao.enforcement.choices import ActionKind
from wurao.enforcement.tests.factories import EnforcementActionFactory
from wurao.visits.tests.factories import NonEnforcementVisitFactory, VisitFactory

pytestmark = pytest.mark.django_db


def test_home_shows_the_year_against_the_caps_and_the_grade_with_its_reasons(
    client, enterprise_user, enterprise, justice_user
):
    today = timezone.localdate()
    VisitFactory.create_batch(2, enterprise=enterprise, date=today.replace(day=1))
    NonEnforcementVisitFactory(enterprise=enterprise, date=today.replace(day=1))
    EnforcementActionFactory(
        enterprise=enterprise,
        kind=ActionKind.PENALTY,
        date=today - datetime.timedelta(days=30),
        summary="罚款",
    )
    grades_recompute(actor=justice_user, as_of=today)
    client.force_login(enterprise_user)

    page = client.get("/portal/").content.decode()

    assert enterprise.name in page
    assert 'id="portal-inspections">2' in page
    assert "非执法入企 1 次" in page
    assert 'id="portal-grade-value"' in page
    assert "行政处罚" in page  # the penalty is among the reasons that moved the grade


def test_home_before_any_grade_says_so(client, enterprise_user):
    client.force_login(enterprise_user)

    page = client.get("/portal/").content.decode()

    assert "尚未评定信用等级" in page
    assert "目前没有安排联合检查" in page


def test_home_is_for_enterprise_accounts_only(client, dept_admin, street_user):
    for user in (dept_admin, street_user):
        client.force_login(user)

        assert client.get("/portal/").status_code == 403


@pytest.mark.today("2026-12-07")
def test_home_lists_its_bookings_complaints_and_consultations(client, enterprise_user, enterprise):
    from wurao.bookings.tests.factories import BookingFactory
    from wurao.complaints.tests.factories import complaint_filed
    from wurao.rulemaking.tests.factories import CommentFactory, ConsultationFactory

    BookingFactory(enterprise=enterprise, slot__team__name="应急体检队")
    BookingFactory(slot__team__name="别家的体检队")  # another enterprise's
    _, named = complaint_filed(anonymous=False, enterprise=enterprise, name="张三")
    ConsultationFactory(title="正在征求意见的修订稿")
    CommentFactory(
        enterprise=enterprise,
        consultation=ConsultationFactory(title="本企业评论过的修订稿"),
    )
    client.force_login(enterprise_user)

    page = client.get("/portal/").content.decode()

    assert "应急体检队" in page
    assert "别家的体检队" not in page
    assert named.receipt in page
    assert "正在征求意见的修订稿" in page
    assert "本企业评论过的修订稿" in page
    assert "尚未做过自查" in page

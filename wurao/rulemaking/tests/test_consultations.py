"""Consultations: comments only while open, an answer to every comment before adoption, the
public page names enterprises and organisations (never accounts), departments manage their own."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.registry.tests.factories import DepartmentFactory
from wurao.rulemaking.choices import AnswerKind, CommenterKind, ConsultationStatus
from wurao.rulemaking.services_consultations import (
    comment_answer,
    comment_submit,
    consultation_save,
    consultation_transition,
    meeting_record,
)
from wurao.rulemaking.tests.factories import CommentFactory, ConsultationFactory

pytestmark = pytest.mark.django_db

IN_PERIOD = datetime.date(2026, 12, 10)
AFTER = datetime.date(2027, 1, 5)


def test_an_enterprise_comments_while_the_period_is_open(enterprise_user):
    consultation = ConsultationFactory()
    comment = comment_submit(
        actor=enterprise_user, consultation=consultation, text="建议明确", today=IN_PERIOD
    )
    assert comment.commenter_name == enterprise_user.enterprise.name


@pytest.mark.parametrize(
    "status, day",
    [
        (ConsultationStatus.OPEN, AFTER),
        (ConsultationStatus.OPEN, datetime.date(2026, 11, 30)),
        (ConsultationStatus.DRAFT, IN_PERIOD),
        (ConsultationStatus.CLOSED, IN_PERIOD),
    ],
)
def test_comments_are_refused_outside_the_open_period(enterprise_user, status, day):
    consultation = ConsultationFactory(status=status)
    with pytest.raises(ValidationError, match="当前不接受意见"):
        comment_submit(actor=enterprise_user, consultation=consultation, text="x", today=day)
    assert not consultation.comments.exists()


def test_an_enterprise_may_speak_for_an_association_by_its_name(enterprise_user):
    consultation = ConsultationFactory()
    comment = comment_submit(
        actor=enterprise_user,
        consultation=consultation,
        text="协会意见",
        commenter_kind=CommenterKind.ORGANISATION,
        organisation="龙华区锂电池行业协会",
        today=IN_PERIOD,
    )
    assert comment.commenter_name == "龙华区锂电池行业协会"
    with pytest.raises(ValidationError) as refused:
        comment_submit(
            actor=enterprise_user,
            consultation=consultation,
            text="x",
            commenter_kind=CommenterKind.ORGANISATION,
            today=IN_PERIOD,
        )
    assert "organisation" in refused.value.message_dict


def test_officers_and_visitors_cannot_comment(client, dept_admin):
    consultation = ConsultationFactory()
    with pytest.raises(PermissionDenied):
        comment_submit(actor=dept_admin, consultation=consultation, text="x", today=IN_PERIOD)
    response = client.post(f"/consultations/{consultation.pk}/comments/", {"text": "匿名"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not consultation.comments.exists()


def test_adoption_is_refused_until_every_comment_is_answered(dept_admin):
    consultation = ConsultationFactory(department=dept_admin.department)
    first, _second, _third = CommentFactory.create_batch(3, consultation=consultation)
    comment_answer(actor=dept_admin, comment=first, kind=AnswerKind.ADOPTED, answer="已采纳")
    with pytest.raises(ValidationError, match="还有 2 条意见未答复"):
        consultation_transition(
            actor=dept_admin, consultation=consultation, action="adopt", today=AFTER
        )
    for comment in consultation.comments.filter(answered_at=None):
        comment_answer(
            actor=dept_admin, comment=comment, kind=AnswerKind.NOT_ADOPTED, answer="上位法已规定"
        )
    adopted = consultation_transition(
        actor=dept_admin, consultation=consultation, action="adopt", today=AFTER
    )
    assert adopted.status == ConsultationStatus.ADOPTED


def test_adoption_is_refused_before_the_period_closes(dept_admin):
    consultation = ConsultationFactory(department=dept_admin.department)
    with pytest.raises(ValidationError, match="截止后才能通过"):
        consultation_transition(
            actor=dept_admin, consultation=consultation, action="adopt", today=IN_PERIOD
        )


def test_the_adopt_refusal_is_shown_on_the_page(client, dept_admin, settings):
    consultation = ConsultationFactory(
        department=dept_admin.department,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2020, 2, 1),
        effective_on=None,
    )
    CommentFactory(consultation=consultation)
    client.force_login(dept_admin)
    page = client.post(f"/consultations/{consultation.pk}/status/", {"action": "adopt"})
    assert page.status_code == 400 and "还有 1 条意见未答复" in page.content.decode()


def test_the_public_page_shows_answers_and_names_never_accounts(client, enterprise_user):
    consultation = ConsultationFactory()
    comment = comment_submit(
        actor=enterprise_user, consultation=consultation, text="请明确期限", today=IN_PERIOD
    )
    admin = UserFactory(role=Role.DEPT_ADMIN, department=consultation.department)
    comment_answer(
        actor=admin, comment=comment, kind=AnswerKind.PARTLY, answer="部分采纳：改为30日"
    )
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    assert enterprise_user.enterprise.name in page and "部分采纳：改为30日" in page
    assert enterprise_user.username not in page
    api = client.get(f"/api/consultations/{consultation.pk}/").json()
    assert api["comments"][0]["commenter"] == enterprise_user.enterprise.name
    assert enterprise_user.username not in str(api)


def test_a_department_manages_only_its_own(dept_admin):
    own = ConsultationFactory(department=dept_admin.department, status=ConsultationStatus.DRAFT)
    other = ConsultationFactory(department=DepartmentFactory(), status=ConsultationStatus.DRAFT)
    consultation_transition(actor=dept_admin, consultation=own, action="publish")
    with pytest.raises(PermissionDenied):
        consultation_transition(actor=dept_admin, consultation=other, action="publish")
    comment = CommentFactory(consultation=ConsultationFactory())
    with pytest.raises(PermissionDenied):
        comment_answer(actor=dept_admin, comment=comment, kind=AnswerKind.ADOPTED, answer="x")


def test_a_draft_is_seen_only_by_its_department(client, dept_admin, enterprise_user):
    draft = consultation_save(
        actor=dept_admin,
        department=dept_admin.department,
        title="未发布的草稿标题",
        text="正文",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 1, 31),
    )
    assert client.get(f"/consultations/{draft.pk}/").status_code == 404
    client.force_login(enterprise_user)
    assert "未发布的草稿标题" not in client.get("/consultations/").content.decode()
    client.force_login(dept_admin)
    assert client.get(f"/consultations/{draft.pk}/").status_code == 200


def test_a_hearing_is_listed_with_its_minutes(client, dept_admin):
    consultation = ConsultationFactory(department=dept_admin.department)
    meeting_record(
        actor=dept_admin,
        consultation=consultation,
        kind="hearing",
        held_on=datetime.date(2026, 12, 20),
        place="区政府一楼会议室",
        minutes="与会企业12家",
    )
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    assert "区政府一楼会议室" in page and "与会企业12家" in page


def test_the_period_must_end_after_it_starts_and_before_it_applies(dept_admin):
    with pytest.raises(ValidationError) as refused:
        consultation_save(
            actor=dept_admin,
            department=dept_admin.department,
            title="t",
            text="x",
            starts_on=datetime.date(2027, 1, 31),
            ends_on=datetime.date(2027, 1, 1),
            effective_on=datetime.date(2026, 12, 1),
        )
    assert set(refused.value.message_dict) == {"ends_on", "effective_on"}


def test_the_portal_lists_the_consultations_an_enterprise_commented_on(enterprise_user):
    from wurao.accounts.scope import scope_for
    from wurao.rulemaking.selectors import consultation_followed_list

    commented, _other = ConsultationFactory(), ConsultationFactory()
    comment_submit(actor=enterprise_user, consultation=commented, text="意见", today=IN_PERIOD)
    followed = consultation_followed_list(scope=scope_for(enterprise_user))
    assert [c.pk for c in followed] == [commented.pk]
    assert followed[0].n_comments == 1

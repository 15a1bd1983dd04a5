"""Contact-point enterprises: the bureau designates, feedback and follow-up, who sees which."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wurao.accounts.choices import Role
from wurao.accounts.tests.factories import UserFactory
from wurao.registry.tests.factories import EnterpriseFactory
from wurao.rulemaking.services_contacts import (
    contact_point_designate,
    feedback_follow_up,
    feedback_log,
)
from wurao.rulemaking.tests.factories import ContactPointFactory

pytestmark = pytest.mark.django_db


def test_the_bureau_designates_and_logs_feedback_and_follow_up(justice_user, enterprise):
    point = contact_point_designate(
        actor=justice_user,
        enterprise=enterprise,
        term_from=datetime.date(2026, 1, 1),
        term_to=datetime.date(2027, 12, 31),
    )
    assert point.street_id == enterprise.street_id
    feedback = feedback_log(
        actor=justice_user,
        contact_point=point,
        received_on=datetime.date(2026, 5, 6),
        channel="meeting",
        topic="检查频次",
        text="一个月内三个部门分别来查消防",
    )
    feedback = feedback_follow_up(
        actor=justice_user,
        feedback=feedback,
        follow_up_by="区司法局执法监督科",
        follow_up="已纳入联合检查",
        closed_on=datetime.date(2026, 5, 20),
    )
    assert feedback.closed_on is not None


def test_designation_is_refused_to_others_and_overlaps_are_refused(
    justice_user, street_user, enterprise
):
    with pytest.raises(PermissionDenied):
        contact_point_designate(
            actor=street_user,
            enterprise=enterprise,
            term_from=datetime.date(2026, 1, 1),
            term_to=datetime.date(2026, 12, 31),
        )
    ContactPointFactory(enterprise=enterprise)
    with pytest.raises(ValidationError) as refused:
        contact_point_designate(
            actor=justice_user,
            enterprise=enterprise,
            term_from=datetime.date(2026, 6, 1),
            term_to=datetime.date(2026, 12, 31),
        )
    assert "enterprise" in refused.value.message_dict


def test_each_sees_its_own_contact_points(client, justice_user, street_user, enterprise_user):
    own = ContactPointFactory(enterprise=enterprise_user.enterprise)
    other = ContactPointFactory(enterprise=EnterpriseFactory())
    other_ent_user = UserFactory(role=Role.ENTERPRISE, enterprise=other.enterprise)
    cases = {
        justice_user: (200, 200),
        street_user: (200, 404),
        enterprise_user: (200, 404),
        other_ent_user: (404, 200),
    }
    for who, expected in cases.items():
        client.force_login(who)
        got = tuple(client.get(f"/contact-points/{p.pk}/").status_code for p in (own, other))
        assert got == expected, who.username
    client.force_login(street_user)
    listed = client.get("/contact-points/").content.decode()
    assert own.enterprise.name in listed and other.enterprise.name not in listed


def test_a_department_has_no_contact_point_pages(client, dept_admin):
    client.force_login(dept_admin)
    assert client.get("/contact-points/").status_code == 403


def test_a_street_logs_feedback_for_its_own_points_only(street_user, enterprise_user):
    own = ContactPointFactory(enterprise=enterprise_user.enterprise)
    other = ContactPointFactory(enterprise=EnterpriseFactory())
    kwargs = dict(received_on=datetime.date(2026, 3, 1), channel="phone", topic="t", text="x")
    feedback_log(actor=street_user, contact_point=own, **kwargs)
    with pytest.raises(PermissionDenied):
        feedback_log(actor=street_user, contact_point=other, **kwargs)


def test_a_feedback_form_names_the_wrong_field(client, justice_user):
    point = ContactPointFactory()
    client.force_login(justice_user)
    page = client.post(f"/contact-points/{point.pk}/feedback/", {"received_on": "2026-13-01"})
    assert page.status_code == 400
    assert 'data-field="received_on"' in page.content.decode()
    assert not point.feedback.exists()

"""Helpers shared by the visits tests (not fixtures: those are in conftest.py). They keep the
names they had in the modules they came from, so the moved tests read exactly as before."""

import datetime
import uuid

from django.utils import timezone
from rest_framework.test import APIClient

from wurao.accounts.services import user_token_obtain
from wurao.audit.models import AuditEvent
from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.registry.tests.factories import InspectorFactory
from wurao.visits import services
from wurao.visits.choices import CheckInMethod, VisitKind, VisitOrigin

# --- services ---------------------------------------------------------------------------------


def _today():
    return timezone.localdate()


def _reg(enterprise, department, *, day=None, origin=VisitOrigin.PLAN, **extra):
    officers = extra.pop("officers", None) or tuple(
        InspectorFactory.create_batch(2, department=department)
    )
    items = extra.pop("items", None) or (InspectionItemFactory(department=department),)
    return services.Registration(
        enterprise=enterprise,
        kind=VisitKind.INSPECTION,
        department=department,
        day=day or _today(),
        origin=origin,
        officers=tuple(officers),
        items=tuple(items),
        approver="张科长",
        approval_ref="龙应急审〔2026〕12号",
        approved_on=_today(),
        **extra,
    )


def _audited(verb, obj) -> bool:
    return AuditEvent.objects.filter(verb=verb, object_id=str(obj.pk)).exists()


def _started(visit, actor):
    return services.visit_check_in(
        actor=actor,
        visit=visit,
        method=CheckInMethod.CREDIT_CODE,
        scanned=visit.enterprise.credit_code,
    )


# --- the API ----------------------------------------------------------------------------------

VALID_UNTIL = datetime.date(2099, 12, 31)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def token_client(user) -> APIClient:
    """As the mobile client signs in: with the API token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {user_token_obtain(user=user)}")
    return client


def _body(enterprise, officers, items, **extra) -> dict:
    today = timezone.localdate().isoformat()
    return {
        "client_id": str(uuid.uuid4()),
        "enterprise": enterprise.credit_code,
        "kind": "inspection",
        "origin": "plan",
        "date": today,
        "officers": [o.badge_no for o in officers],
        "items": [i.code for i in items],
        "approver": "张科长",
        "approval_ref": "龙应急审〔2026〕12号",
        "approved_on": today,
        **extra,
    }


# --- the officers' pages ----------------------------------------------------------------------

NEW = "/visits/new/"


def _form(firm, officers, items, day, **changes):
    data = {
        "kind": VisitKind.INSPECTION,
        "enterprise": firm.credit_code,
        "day": day.isoformat(),
        "origin": VisitOrigin.PLAN,
        "items": [i.pk for i in items],
        "officers": [o.pk for o in officers],
        "approver": "张科长",
        "approval_ref": "龙应急审〔2026〕12号",
        "approved_on": day.isoformat(),
        "note": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}

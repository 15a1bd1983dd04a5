"""Visits the platform planned: the visit a random-draw task or a scheduled joint visit was
carried out on, and a joint visit the street coordinator confirmed from the plans."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from wurao.audit.services import audit_record
from wurao.visits import rules as visit_rules
from wurao.visits import selectors
from wurao.visits.choices import VisitKind, VisitOrigin, VisitStatus
from wurao.visits.models import Visit
from wurao.visits.services.registration import VisitRefused, actor_user


@transaction.atomic
def visit_record_planned(
    *,
    actor,
    source_ref: str,
    enterprise,
    department,
    day: date,
    origin: str,
    officers=(),
    items=(),
    note: str = "",
) -> Visit:
    """The visit on which a platform-planned inspection (a random-draw task, a scheduled joint
    visit) was carried out, found by its source or recorded now: every department reporting
    on the same source joins the same visit, so a joint inspection counts once."""
    visit = Visit.objects.select_for_update().filter(source_ref=source_ref).first()
    created = visit is None
    if created:
        visit = Visit.objects.create(
            source_ref=source_ref,
            enterprise=enterprise,
            kind=VisitKind.INSPECTION,
            origin=origin,
            department=department,
            date=day,
            note=note,
            status=VisitStatus.COMPLETED,
            rule_version=selectors.rules_current(as_of=day).version,
            registered_by=actor_user(actor),
        )
    elif visit.enterprise_id != enterprise.pk:
        raise ValidationError(
            {
                "source_ref": gettext("来源 %(source)s 已登记为另一企业的入企")
                % {"source": source_ref}
            }
        )
    visit.departments.add(department)
    visit.officers.add(*officers)
    visit.items.add(*items)
    audit_record(
        actor=actor,
        verb="visit.record_planned" if created else "visit.join",
        obj=visit,
        payload={
            "code": visit.code,
            "source": source_ref,
            "enterprise": enterprise.credit_code,
            "department": department.code,
            "date": day.isoformat(),
            "officers": sorted(o.badge_no for o in officers),
            "items": sorted(i.code for i in items),
        },
    )
    return visit


def visit_register_joint(
    *, actor, source_ref: str, enterprise, departments, items, day: date, note: str = ""
) -> Visit:
    """Register a joint visit the street coordinator confirmed from the plans: one Visit with
    every department on it, judged by the same rules as any inspection (the visit counts once
    toward each department's cap). Officers join later, each department its own."""
    departments = list(departments)
    rules = selectors.rules_current(as_of=day)
    grade, limits = selectors.enterprise_limits(enterprise_id=enterprise.pk, rules=rules)
    proposal = visit_rules.Proposal(
        date=day,
        origin=VisitOrigin.JOINT,
        grade=grade,
        departments=frozenset(d.pk for d in departments),
        matters=frozenset((selectors.matter_key(i), i.department.level) for i in items),
    )
    history = selectors.enterprise_history(enterprise_id=enterprise.pk, around=day)
    found = visit_rules.violations(
        rules,
        proposal,
        history,
        limits=limits,
        department_names={d.pk: d.name for d in departments},
    )
    if found:
        raise VisitRefused(found, rules)
    with transaction.atomic():
        visit = Visit.objects.create(
            source_ref=source_ref,
            enterprise=enterprise,
            kind=VisitKind.INSPECTION,
            origin=VisitOrigin.JOINT,
            department=departments[0],
            date=day,
            note=note,
            status=VisitStatus.REGISTERED,
            rule_version=rules.version,
            registered_by=actor_user(actor),
        )
        visit.departments.set(departments)
        visit.items.set(items)
        audit_record(
            actor=actor,
            verb="visit.register_joint",
            obj=visit,
            payload={
                "code": visit.code,
                "source": source_ref,
                "enterprise": enterprise.credit_code,
                "date": day.isoformat(),
                "departments": sorted(d.code for d in departments),
                "items": sorted(i.code for i in items),
            },
        )
    return visit

"""The officers' visit pages (入企登记): the list, and registering a visit from a phone
(or joining an open one instead). One visit's pages are in views_visit.

Who may do what is wurao.accounts.policy.visits: an inspector or a department admin registers
for their own department; a street sees the visits in its area; the justice bureau sees all.
The page and the API register through the same service (services.visit_register).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, DateField, F, IntegerField, Value, When, prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from wurao.accounts.policy import allows, policy, require
from wurao.accounts.scope import scope_for
from wurao.common.pagination import page_range, paginate
from wurao.common.rendering import render_page_or_partial
from wurao.registry import selectors as registry_selectors
from wurao.visits import selectors, services
from wurao.visits.choices import VisitKind, VisitStatus
from wurao.visits.forms import (
    RegistrationForm,
    VisitFilterForm,
)

ENTERPRISE_MATCHES = 8

# ---------------------------------------------------------------- who may do what
# The rules are wurao.accounts.policy.visits; out of scope looks like missing (the selectors).


def _registrant_department(user):
    require(user, "visits.register")
    return user.department


# ---------------------------------------------------------------- the list


def _today_first(visits):
    """Today's visits first, then the coming ones soonest first, then the past ones latest
    first: an officer opening the list on the way out finds today's visit on top."""
    today = timezone.localdate()
    when = Case(
        When(date=today, then=Value(0)),
        When(date__gt=today, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    coming = Case(When(date__gt=today, then=F("date")), default=None, output_field=DateField())
    return visits.annotate(when_group=when).order_by("when_group", coming.asc(), "-date", "-id")


@policy("visits.browse")
def visit_list(request):
    scope = scope_for(request.user)
    form = VisitFilterForm(request.GET or None)
    visits = selectors.visit_list(scope=scope, filters=form.filters())
    if not scope.sees_all:
        # A department's or a street's list; the whole district's stays latest first, where
        # sorting every visit ever registered on each page load would cost more than it helps.
        visits = _today_first(visits)
    page = paginate(request, visits)
    # Upcoming inspections still waiting for this department's officers (or approval) say so.
    waiting = [
        v
        for v in page.object_list
        if v.status == VisitStatus.REGISTERED and v.kind == VisitKind.INSPECTION
    ]
    prefetch_related_objects(waiting, "departments", "officers")
    for visit in waiting:
        visit.unready = allows(request.user, "visits.take_part", visit) and bool(
            selectors.visit_unready(visit)
        )
    context = {
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "scope": scope,
        "today_first": not scope.sees_all,
    }
    return render_page_or_partial(
        request, "visits/visit_list.html", "visits/_visit_results.html", context
    )


# ---------------------------------------------------------------- registration


def _registration_form(request, data=None) -> RegistrationForm:
    department = _registrant_department(request.user)
    return RegistrationForm(
        data,
        department=department,
        enterprises=registry_selectors.enterprise_list(scope=scope_for(request.user)),
        items=selectors.registration_items(department_id=department.pk),
        officers=selectors.registration_officers(department_id=department.pk),
    )


def _refusal_context(refused: services.VisitRefused) -> dict:
    return {
        "violations": [v.as_json() for v in refused.violations],
        "exempt": refused.exempt,
        "joinable": [v.joinable for v in refused.violations if v.joinable],
    }


def _form_page(request, form, *, refusal=None, status=200):
    context = {
        "form": form,
        "refusal": refusal,
        "department": request.user.department,
        "exact": form.enterprise_obj,
    }
    return render(request, "visits/visit_form.html", context, status=status)


@policy("visits.register")
def visit_new(request):
    if request.method != "POST":
        form = _registration_form(request)
        # A link may pre-fill the enterprise and the origin (a rectification's re-check).
        for name in ("enterprise", "origin"):
            if value := request.GET.get(name, "").strip()[:200]:
                form.initial[name] = value
        return _form_page(request, form)
    form = _registration_form(request, request.POST)
    if not form.is_valid():
        partial = form.registration()
        errors = services.registration_errors(partial) if partial else {}
        if errors:
            form.add_service_error(ValidationError(errors), keep_own=True)
        return _form_page(request, form)
    reg = form.registration()
    if form.wants_override and not reg.override_reason.strip():
        # Asking to override without a reason: show the refusal again, nothing recorded twice.
        found = services.visit_check(reg=reg)
        form.add_error("override_reason", gettext("申请突破规则须说明理由"))
        refused = services.VisitRefused(found, selectors.rules_current(as_of=reg.day))
        return _form_page(request, form, refusal=_refusal_context(refused) if found else None)
    try:
        visit = services.visit_register(actor=request.user, reg=reg)
    except services.VisitRefused as refused:
        return _form_page(request, form, refusal=_refusal_context(refused))
    except ValidationError as error:
        form.add_service_error(error)
        return _form_page(request, form)
    if visit.status == VisitStatus.PENDING_OVERRIDE:
        messages.warning(
            request,
            gettext(
                "已提交突破规则的入企申请（入企码 %(code)s），"
                "须由部门负责人或司法局第二人审批；审批前入企码显示为“尚未获批”。"
            )
            % {"code": visit.code_display},
        )
    elif visit.status == VisitStatus.COMPLETED:
        messages.success(
            request,
            gettext(
                "已事后补登入企，入企码 %(code)s，记为已完成；请录入检查结果。"
                "本次补登列入司法局的“事后补登”预警。"
            )
            % {"code": visit.code_display},
        )
    else:
        messages.success(
            request,
            gettext("已登记入企，入企码 %(code)s。请在入企时向企业出示二维码，企业可扫码核验。")
            % {"code": visit.code_display},
        )
    return redirect("visits:detail", code=visit.code)


@policy("visits.register")
@require_GET
def enterprise_lookup(request):
    """Candidates for the enterprise field as the officer types a credit code or a name."""
    scope = scope_for(request.user)
    q = request.GET.get("enterprise", "").strip()
    if request.GET.get("pick"):
        # A candidate was tapped: the field again, filled in and confirmed.
        form = _registration_form(request, {"enterprise": q})
        exact = registry_selectors.enterprise_list(scope=scope).filter(credit_code=q).first()
        return render(request, "visits/_enterprise_field.html", {"form": form, "exact": exact})
    matches, exact = [], None
    if q:
        found = registry_selectors.enterprise_list(scope=scope, filters={"q": q})
        matches = list(found.order_by("name")[:ENTERPRISE_MATCHES])
        exact = next((e for e in matches if e.credit_code == q.upper()), None)
        exact = exact or next((e for e in matches if e.name == q), None)
    return render(
        request,
        "visits/_enterprise_matches.html",
        {"matches": matches, "exact": exact, "q": q},
    )


@policy("visits.register")
@require_GET
def late_reason(request):
    """The late-registration reason, shown only when the date entered is before today."""
    form = _registration_form(request, request.GET)
    return render(request, "visits/_late_reason.html", {"form": form})


@policy("visits.register")
@require_POST
def visit_join(request, code: str):
    """Join the open visit a refusal offered instead of coming again (进一次门，查多项事)."""
    department = _registrant_department(request.user)
    target = selectors.visit_join_target(code=code)
    form = _registration_form(request, request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    if target is None:
        form.add_error(
            None, gettext("入企码 %(code)s 的检查已开始、结束或撤销，不能再加入") % {"code": code}
        )
        return _form_page(request, form)
    if form.enterprise_obj is not None and form.enterprise_obj.pk != target.enterprise_id:
        form.add_error(
            None,
            gettext("入企码 %(code)s 是另一企业的入企，不能加入") % {"code": target.code_display},
        )
        return _form_page(request, form)
    try:
        visit = services.visit_join(
            actor=request.user,
            visit=target,
            department=department,
            officers=list(data.get("officers") or []),
            items=list(data.get("items") or []),
        )
    except ValidationError as error:
        form.add_service_error(error)
        return _form_page(request, form)
    messages.success(
        request,
        gettext("已加入入企码 %(code)s 的检查：同一次入企完成各部门检查，不再另行入企。")
        % {"code": visit.code_display},
    )
    return redirect("visits:detail", code=visit.code)

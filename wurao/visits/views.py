"""The officers' visit pages (入企登记): the list, registering a visit from a phone, one visit
with its code, check-in, check-out and results, and the queue of overrides.

Who may do what: an inspector or a department admin registers for their own department and
works on the visits their department takes part in; a street sees the visits in its area; the
justice bureau sees all. The lead department's admin (or the justice bureau) decides overrides,
never the person who registered. A visit outside a user's scope looks exactly like a missing one.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, DateField, F, IntegerField, Value, When, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from wurao.accounts.choices import Role
from wurao.accounts.scope import Scope, scope_for
from wurao.common.pagination import page_range, paginate
from wurao.common.qr import qr_svg
from wurao.common.rendering import render_page_or_partial
from wurao.registry import selectors as registry_selectors
from wurao.visits import selectors, services
from wurao.visits.choices import VisitKind, VisitStatus
from wurao.visits.forms import (
    CancelForm,
    CheckInForm,
    OverrideDecideForm,
    RegistrationForm,
    ResultCorrectForm,
    ResultForm,
    StaffForm,
    VisitFilterForm,
)
from wurao.visits.models import Visit

ENTERPRISE_MATCHES = 8

# ---------------------------------------------------------------- who may do what


def _officer_scope(user) -> Scope:
    """The officers' pages are for departments, streets and the justice bureau; an enterprise
    has its own list (/visits/mine/)."""
    scope = scope_for(user)
    if scope.sees_nothing or scope.enterprise_id:
        raise PermissionDenied
    return scope


def _registers(user) -> bool:
    return user.role in (Role.DEPT_ADMIN, Role.INSPECTOR) and bool(user.department_id)


def _registrant_department(user):
    if not _registers(user):
        raise PermissionDenied
    return user.department


def _decides_overrides(user) -> bool:
    return user.is_superuser or user.role in (Role.JUSTICE, Role.DEPT_ADMIN)


def _may_decide(user, visit: Visit) -> bool:
    if user.is_superuser or user.role == Role.JUSTICE:
        return True
    return user.role == Role.DEPT_ADMIN and user.department_id == visit.department_id


def _visible_visit(user, code: str) -> Visit:
    try:
        return selectors.visit_detail(scope=_officer_scope(user), code=code)
    except Visit.DoesNotExist:
        raise Http404 from None


def _takes_part(user, visit: Visit) -> bool:
    return _registers(user) and any(d.pk == user.department_id for d in visit.departments.all())


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


@login_required
def visit_list(request):
    scope = _officer_scope(request.user)
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
        visit.unready = _takes_part(request.user, visit) and bool(selectors.visit_unready(visit))
    context = {
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "scope": scope,
        "today_first": not scope.sees_all,
        "registers": _registers(request.user),
        "decides_overrides": _decides_overrides(request.user),
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


@login_required
def visit_new(request):
    if request.method != "POST":
        return _form_page(request, _registration_form(request))
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


@login_required
@require_GET
def enterprise_lookup(request):
    """Candidates for the enterprise field as the officer types a credit code or a name."""
    _registrant_department(request.user)
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


@login_required
@require_GET
def late_reason(request):
    """The late-registration reason, shown only when the date entered is before today."""
    form = _registration_form(request, request.GET)
    return render(request, "visits/_late_reason.html", {"form": form})


@login_required
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


# ---------------------------------------------------------------- one visit


def _qr_svg(request, visit: Visit) -> tuple[str, str]:
    url = request.build_absolute_uri(f"/v/{visit.code}/")
    return url, qr_svg(url, scale=4)


def _joint_form_id(visit: Visit) -> int | None:
    """The planned joint visit whose consolidated form this visit carries out, if any
    (its source is "joint:<id>")."""
    kind, _, ref = visit.source_ref.partition(":")
    return int(ref) if kind == "joint" and ref.isdigit() else None


def _staff_form(request, visit: Visit, data=None) -> StaffForm | None:
    """The department's officers (and the lead's approval) for an inspection not begun yet."""
    user = request.user
    if not (
        _takes_part(user, visit)
        and visit.kind == VisitKind.INSPECTION
        and visit.status == VisitStatus.REGISTERED
        and visit.date >= timezone.localdate()
    ):
        return None
    own = [o.pk for o in visit.officers.all() if o.department_id == user.department_id]
    return StaffForm(
        data,
        officers=selectors.registration_officers(
            department_id=user.department_id, valid_on=visit.date
        ),
        approving=user.department_id == visit.department_id,
        initial={
            "officers": own,
            "approver": visit.approver,
            "approval_ref": visit.approval_ref,
            "approved_on": visit.approved_on,
        },
    )


def _detail_context(request, visit: Visit, **forms) -> dict:
    user = request.user
    takes_part = _takes_part(user, visit)
    inspection = visit.kind == VisitKind.INSPECTION
    status = visit.status
    verify_url, qr = _qr_svg(request, visit)
    unready = selectors.visit_unready(visit) if status == VisitStatus.REGISTERED else []
    # A joint visit the street confirmed from the plans has its consolidated form (一表通查):
    # the departments record their results there, item by item.
    joint_form = _joint_form_id(visit)
    return {
        "visit": visit,
        "verify_url": verify_url,
        "qr_svg": qr,
        "takes_part": takes_part,
        "unready": unready,
        "staff_form": forms.get("staff") or _staff_form(request, visit),
        "check_in_form": forms.get("check_in") or CheckInForm()
        if takes_part and status == VisitStatus.REGISTERED
        else None,
        "may_check_out": takes_part and status == VisitStatus.IN_PROGRESS,
        "form_url": reverse("planning_forms:form", args=[joint_form]) if joint_form else "",
        "result_form": forms.get("result") or ResultForm()
        if takes_part
        and inspection
        and not joint_form
        and status in (VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED)
        and user.department.is_enforcement
        else None,
        "cancel_form": forms.get("cancel") or CancelForm()
        if takes_part
        and status in (VisitStatus.REGISTERED, VisitStatus.PENDING_OVERRIDE)
        # A joint visit is the lead department's to cancel.
        and (len(visit.departments.all()) == 1 or user.department_id == visit.department_id)
        else None,
        "decide_form": forms.get("decide") or OverrideDecideForm()
        if status == VisitStatus.PENDING_OVERRIDE and _may_decide(user, visit)
        else None,
        "errors": forms.get("errors") or [],
        "results": [
            (action, _correct_form(user, takes_part, action, forms.get("correct")))
            for action in visit.actions.all()
        ],
    }


def _correct_form(user, takes_part: bool, action, posted) -> ResultCorrectForm | None:
    """The correction form under a result, for the department that entered it."""
    if not (takes_part and action.department_id == user.department_id):
        return None
    if posted is not None and posted.action_pk == action.pk:
        return posted
    form = ResultCorrectForm(
        initial={"finding": action.finding, "summary": action.summary}, prefix=f"a{action.pk}"
    )
    form.action_pk = action.pk
    return form


def _detail_page(request, visit: Visit, **forms):
    return render(request, "visits/visit_detail.html", _detail_context(request, visit, **forms))


@login_required
def visit_detail(request, code: str):
    return _detail_page(request, _visible_visit(request.user, code))


def _must_take_part(request, visit: Visit) -> None:
    if not _takes_part(request.user, visit):
        raise PermissionDenied


@login_required
@require_POST
def visit_staff(request, code: str):
    visit = _visible_visit(request.user, code)
    form = _staff_form(request, visit, request.POST)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_staff(
                actor=request.user,
                visit=visit,
                department=request.user.department,
                officers=list(data["officers"]),
                approver=data.get("approver", ""),
                approval_ref=data.get("approval_ref", ""),
                approved_on=data.get("approved_on"),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext("已保存%(department)s的执法人员。")
                % {"department": request.user.department.name},
            )
            return redirect("visits:detail", code=visit.code)
    return _detail_page(request, visit, staff=form)


@login_required
@require_POST
def visit_check_in(request, code: str):
    visit = _visible_visit(request.user, code)
    _must_take_part(request, visit)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            services.visit_check_in(
                actor=request.user,
                visit=visit,
                method=form.cleaned_data["method"],
                scanned=form.cleaned_data["scanned"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("已签到：入企开始，企业扫码可见“检查进行中”。"))
            return redirect("visits:detail", code=visit.code)
    return _detail_page(request, visit, check_in=form)


@login_required
@require_POST
def visit_check_out(request, code: str):
    visit = _visible_visit(request.user, code)
    _must_take_part(request, visit)
    try:
        services.visit_check_out(actor=request.user, visit=visit)
    except ValidationError as error:
        return _detail_page(request, visit, errors=error.messages)
    if visit.actions.filter(department=request.user.department_id).exists():
        messages.success(request, gettext("已签退：本次入企结束。"))
    else:
        messages.success(request, gettext("已签退：本次入企结束，请录入本部门的检查结果。"))
    return redirect("visits:detail", code=visit.code)


@login_required
@require_POST
def visit_result(request, code: str):
    visit = _visible_visit(request.user, code)
    _must_take_part(request, visit)
    form = ResultForm(request.POST)
    if form.is_valid():
        try:
            action = services.visit_result_record(
                actor=request.user,
                visit=visit,
                department=request.user.department,
                kind=form.cleaned_data["kind"],
                finding=form.cleaned_data["finding"],
                summary=form.cleaned_data["summary"],
                severity=form.cleaned_data["severity"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext("已录入%(department)s的%(kind)s结果，记入企业档案。")
                % {"department": action.department.name, "kind": action.get_kind_display()},
            )
            return redirect("visits:detail", code=visit.code)
    return _detail_page(request, visit, result=form)


@login_required
@require_POST
def visit_result_correct(request, code: str, pk: str):
    visit = _visible_visit(request.user, code)
    _must_take_part(request, visit)
    action = next((a for a in visit.actions.all() if a.pk == int(pk)), None)
    if action is None or action.department_id != request.user.department_id:
        raise Http404
    form = ResultCorrectForm(request.POST, prefix=f"a{pk}")
    form.action_pk = action.pk
    if form.is_valid():
        try:
            services.visit_result_correct(
                actor=request.user, visit=visit, action=action, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext("已更正%(department)s的检查结果，原结果和理由记入审计日志。")
                % {"department": action.department.name},
            )
            return redirect("visits:detail", code=visit.code)
    return _detail_page(request, visit, correct=form)


@login_required
@require_POST
def visit_cancel(request, code: str):
    visit = _visible_visit(request.user, code)
    _must_take_part(request, visit)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.visit_cancel(
                actor=request.user, visit=visit, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("已撤销本次入企登记：企业扫码将看到“已撤销”。"))
            return redirect("visits:detail", code=visit.code)
    return _detail_page(request, visit, cancel=form)


# ---------------------------------------------------------------- overrides


def _override_scope(user) -> Scope:
    scope = _officer_scope(user)
    if not _decides_overrides(user):
        raise PermissionDenied
    return scope


@login_required
def override_queue(request):
    scope = _override_scope(request.user)
    return _queue_page(request, scope)


def _queue_page(request, scope: Scope, *, forms=None, status=200):
    forms = forms or {}
    rows = [
        {
            "visit": v,
            "form": forms.get(v.pk) or OverrideDecideForm(prefix=f"o{v.pk}"),
            "may_decide": _may_decide(request.user, v),
            "own": v.registered_by_id == request.user.pk,
        }
        for v in selectors.override_queue(scope=scope).select_related("registered_by")
    ]
    return render(
        request,
        "visits/override_queue.html",
        {"rows": rows, "scope": scope},
        status=status,
    )


@login_required
@require_POST
def override_decide(request, code: str):
    """Approve or reject an override, from the queue or from the visit's page."""
    scope = _override_scope(request.user)
    visit = _visible_visit(request.user, code)
    from_queue = request.POST.get("from") == "queue"
    form = OverrideDecideForm(request.POST, prefix=f"o{visit.pk}" if from_queue else None)
    if form.is_valid():
        try:
            visit = services.visit_override_decide(
                actor=request.user,
                visit=visit,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as error:
            form.add_error(None, str(error) or gettext("无权审批该入企"))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            outcome = (
                gettext("已批准，入企码生效")
                if visit.status != VisitStatus.REJECTED
                else gettext("未批准")
            )
            messages.success(
                request,
                gettext("入企码 %(code)s：%(outcome)s。")
                % {"code": visit.code_display, "outcome": outcome},
            )
            if from_queue:
                return redirect("visits:override-queue")
            return redirect("visits:detail", code=visit.code)
    if from_queue:
        return _queue_page(request, scope, forms={visit.pk: form})
    return _detail_page(request, visit, decide=form)

"""The officers' pages for one visit (入企登记): its code and QR, naming the department's
officers, check-in, check-out, results and their corrections, cancelling, and the queue of
overrides with their decisions.

Who may do what is wurao.accounts.policy.visits: the visit's departments' people work on it,
the lead department's admin (or the justice bureau) decides an override, never the person
who registered. A visit outside a user's scope looks exactly like a missing one.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from wurao.accounts.policy import allows, policy, require
from wurao.accounts.scope import Scope, scope_for
from wurao.common.qr import qr_svg
from wurao.enforcement.choices import ActionKind
from wurao.outcomes.choices import CheckResult
from wurao.outcomes.models import ItemCheck
from wurao.visits import selectors, services
from wurao.visits.choices import VisitKind, VisitStatus
from wurao.visits.forms import (
    CancelForm,
    CheckInForm,
    OverrideDecideForm,
    ResultCorrectForm,
    ResultForm,
    StaffForm,
)
from wurao.visits.models import Visit

# ---------------------------------------------------------------- one visit


def _visible_visit(user, code: str) -> Visit:
    try:
        return selectors.visit_detail(scope=scope_for(user), code=code)
    except Visit.DoesNotExist:
        raise Http404 from None


def _qr_svg(request, visit: Visit) -> tuple[str, str]:
    url = request.build_absolute_uri(f"/v/{visit.code}/")
    return url, qr_svg(url, scale=4)


def _joint_form_id(visit: Visit) -> int | None:
    """The planned joint visit whose consolidated form this visit carries out, if any
    (its source is "joint:<id>")."""
    kind, _, ref = visit.source_ref.partition(":")
    return int(ref) if kind == "joint" and ref.isascii() and ref.isdigit() else None


def _checks_url(action) -> str:
    """The action's per-item outcomes page (findings:action), where the officer records each
    item's result and the findings' rectification; "" while that page is not wired."""
    try:
        return reverse("findings:action", kwargs={"pk": action.pk})
    except NoReverseMatch:
        return ""


def _wanting(actions) -> dict[int, list[ItemCheck]]:
    """The items found wanting (发现问题) in each of the visit's actions that has its items'
    results, by action id (an action without any is left out). The actions are those the
    user may see: visit_detail scoped them."""
    by_action: dict[int, list[ItemCheck]] = {}
    checks = ItemCheck.objects.filter(action_id__in=[a.pk for a in actions]).select_related("item")
    for check in checks.order_by("action_id", "item__code"):
        rows = by_action.setdefault(check.action_id, [])
        if check.result == CheckResult.FINDING:
            rows.append(check)
    return by_action


def _staff_form(request, visit: Visit, data=None) -> StaffForm | None:
    """The department's officers (and the lead's approval) for an inspection not begun yet."""
    user = request.user
    if not (
        allows(user, "visits.take_part", visit)
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
    takes_part = allows(user, "visits.take_part", visit)
    inspection = visit.kind == VisitKind.INSPECTION
    status = visit.status
    verify_url, qr = _qr_svg(request, visit)
    unready = selectors.visit_unready(visit) if status == VisitStatus.REGISTERED else []
    # A joint visit the street confirmed from the plans has its consolidated form (一表通查):
    # the departments record their results there, item by item.
    joint_form = _joint_form_id(visit)
    actions = list(visit.actions.all())
    wanting = _wanting(actions)
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
        if status == VisitStatus.PENDING_OVERRIDE and allows(user, "visits.override_decide", visit)
        else None,
        "errors": forms.get("errors") or [],
        "results": [
            {
                "action": action,
                "correct_form": _correct_form(user, takes_part, action, forms.get("correct")),
                # None: no item recorded yet; []: every item checked, none found wanting.
                "wanting": wanting.get(action.pk),
                "checks_url": _checks_url(action)
                if not joint_form and action.kind == ActionKind.INSPECTION
                else "",
                "own": takes_part and action.department_id == user.department_id,
            }
            for action in actions
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


@policy("visits.browse")
def visit_detail(request, code: str):
    return _detail_page(request, _visible_visit(request.user, code))


def _must_take_part(request, visit: Visit) -> None:
    require(request.user, "visits.take_part", visit)


@policy("visits.browse")
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


@policy("visits.browse")
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


@policy("visits.browse")
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


@policy("visits.browse")
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
            checks_url = _checks_url(action) if action.kind == ActionKind.INSPECTION else ""
            if checks_url:
                # Next: each item's result, and what the enterprise must put right.
                messages.success(
                    request,
                    gettext(
                        "已录入%(department)s的%(kind)s结果，记入企业档案。"
                        "请逐项录入检查事项的结果，发现的问题将一次性告知企业。"
                    )
                    % {"department": action.department.name, "kind": action.get_kind_display()},
                )
                return redirect(checks_url)
            messages.success(
                request,
                gettext("已录入%(department)s的%(kind)s结果，记入企业档案。")
                % {"department": action.department.name, "kind": action.get_kind_display()},
            )
            return redirect("visits:detail", code=visit.code)
    return _detail_page(request, visit, result=form)


@policy("visits.browse")
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


@policy("visits.browse")
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


@policy("visits.override_decide")
def override_queue(request):
    scope = scope_for(request.user)
    return _queue_page(request, scope)


def _queue_page(request, scope: Scope, *, forms=None, status=200):
    forms = forms or {}
    rows = [
        {
            "visit": v,
            "form": forms.get(v.pk) or OverrideDecideForm(prefix=f"o{v.pk}"),
            "may_decide": allows(request.user, "visits.override_decide", v),
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


@policy("visits.override_decide")
@require_POST
def override_decide(request, code: str):
    """Approve or reject an override, from the queue or from the visit's page."""
    scope = scope_for(request.user)
    visit = _visible_visit(request.user, code)
    # Seeing the visit (a partner department does) is not deciding it: the rule is asked
    # about this visit, and a refusal is a 403 with its reason, not a form error.
    require(request.user, "visits.override_decide", visit)
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

"""The consolidated form of a joint visit (一表通查) as a page, a PDF and a workbook, with each
department's results; and the streets' joint park days (联合整园执法日).

Who sees a form (the scope's): the departments on the visit, the coordinator of its street,
the enterprise itself and the justice bureau — anyone else gets the page for a missing visit.
Only a department on the visit enters results ("planning.form_results_enter"), only its own
items, and only once its officers have checked in (the visit is in progress or over). A
proposal not yet confirmed shows as 待确认, without results. Park days are for the street's
coordinator and the bureau ("planning.park_day_arrange").
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.dates import WEEKDAYS  # 星期一… in Chinese, Monday… in English
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wurao.accounts.policy import SIGNED_IN, allows, policy, require
from wurao.accounts.scope import scope_for
from wurao.audit.services import audit_read
from wurao.common.pagination import page_range, paginate
from wurao.common.qr import qr_svg
from wurao.planning import exports, selectors, services_coordination, services_park_days
from wurao.planning.choices import JointVisitStatus, ParkDayStatus
from wurao.planning.forms_results import (
    CorrectionReasonForm,
    ObserverFormSet,
    ParkDayDrawForm,
    ParkDayForm,
    ParkDaySettingForm,
    ResultsForm,
    next_weekday,
    observers_cleaned,
)
from wurao.planning.models import JointVisit, ParkDay
from wurao.planning.public_views import observer_rows
from wurao.registry import selectors as registry_selectors
from wurao.visits.choices import VisitStatus

RESULTS_OPEN = (VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED)

# ---------------------------------------------------------------- the consolidated form


def _visible_visit(user, pk: int) -> JointVisit:
    scope = scope_for(user)
    if scope.sees_nothing:
        raise Http404
    try:
        return selectors.joint_visit_get(scope=scope, pk=pk)
    except JointVisit.DoesNotExist:
        raise Http404 from None


def _verify_url(request, visit: JointVisit) -> str:
    return request.build_absolute_uri(f"/v/{visit.visit.code}/") if visit.visit else ""


def _own_lines(user, form: selectors.ConsolidatedForm) -> list:
    """The user's department's lines, each with its number on the form."""
    if not allows(user, "planning.form_results_enter", form):
        return []
    name = user.department.name
    return [(n, line) for n, line in enumerate(form.lines, start=1) if line.department == name]


ENTER, CORRECT = "enter", "correct"


def _results_state(user, visit: JointVisit, own_lines) -> tuple[str, str]:
    """What this user may do with the department's results now (ENTER, CORRECT or nothing)
    and a note on it for department users."""
    if not own_lines:
        return "", ""
    if visit.status != JointVisitStatus.CONFIRMED or visit.visit is None:
        return "", _("入企经街道确认后，才能录入本部门的检查结果。")
    if all(line.entry for _n, line in own_lines):
        return CORRECT, _(
            "本部门的检查结果已录入，并已记入企业执法档案；如有错误，可在下方说明理由后更正。"
        )
    if visit.visit.status not in RESULTS_OPEN:
        return "", _("执法人员在入企码页面签到、开始检查后，才能录入检查结果。")
    return ENTER, ""


def _form_context(request, visit: JointVisit, *, results_form=None, reason_form=None) -> dict:
    form = selectors.consolidated_form(visit=visit)
    verify_url = _verify_url(request, visit)
    own_lines = _own_lines(request.user, form)
    mode, note = _results_state(request.user, visit, own_lines)
    if mode and results_form is None:
        results_form = ResultsForm(
            rows=own_lines, visit_date=visit.date, department=request.user.department
        )
    if mode == CORRECT and reason_form is None:
        reason_form = CorrectionReasonForm()
    return {
        "visit": visit,
        "form": form,
        "groups": exports.form_groups(form),
        "header_rows": exports.header_rows(exports.form_header(form, verify_url=verify_url)),
        "verify_url": verify_url,
        "qr_svg": qr_svg(verify_url, scale=3, border=2, sized=True) if verify_url else "",
        "confirmed": visit.status == JointVisitStatus.CONFIRMED,
        "results_mode": mode,
        "results_form": results_form if mode else None,
        "reason_form": reason_form if mode == CORRECT else None,
        "results_note": note,
        "own_department": request.user.department.name if own_lines else "",
    }


@policy(SIGNED_IN)
@require_GET
def form_detail(request, pk: int):
    visit = _visible_visit(request.user, pk)
    return render(request, "planning/form_detail.html", _form_context(request, visit))


def _results_post(request, pk: int, mode: str):
    """The department's results sent from the form page: entered (ENTER) or corrected with a
    reason (CORRECT); refused ones come back beside the rows they name."""
    visit = _visible_visit(request.user, pk)
    consolidated = selectors.consolidated_form(visit=visit)
    require(request.user, "planning.form_results_enter", consolidated)
    own_lines = _own_lines(request.user, consolidated)
    allowed, note = _results_state(request.user, visit, own_lines)
    if allowed != mode:
        messages.error(request, note or _("本部门的检查结果尚未录入，请先录入。"))
        return redirect("planning_forms:form", pk=visit.pk)
    department = request.user.department
    results = ResultsForm(
        request.POST, rows=own_lines, visit_date=visit.date, department=department
    )
    reason = CorrectionReasonForm(request.POST) if mode == CORRECT else None
    valid = results.is_valid()
    if reason is not None:
        valid = reason.is_valid() and valid
    if valid:
        try:
            if mode == ENTER:
                services_coordination.form_results_record(
                    actor=request.user,
                    visit=visit,
                    department=department,
                    results=results.results(),
                )
                done = _(
                    "已录入%(department)s的检查结果，并记入企业执法档案（本次联合入企计为一次）。"
                ) % {"department": department.name}
            else:
                changed = services_coordination.form_results_correct(
                    actor=request.user,
                    visit=visit,
                    department=department,
                    results=results.results(),
                    reason=reason.cleaned_data["reason"],
                )
                done = _("已更正%(department)s的 %(n)s 项检查结果，企业执法档案随之更新。") % {
                    "department": department.name,
                    "n": len(changed),
                }
        except ValidationError as error:
            if reason is not None and hasattr(error, "error_dict") and "reason" in error.error_dict:
                reason.add_error("reason", error.error_dict.pop("reason"))
            results.add_service_error(error)
        else:
            messages.success(request, done)
            return redirect("planning_forms:form", pk=visit.pk)
    visit.refresh_from_db()
    return render(
        request,
        "planning/form_detail.html",
        _form_context(request, visit, results_form=results, reason_form=reason),
    )


@policy(SIGNED_IN)
@require_POST
def form_results(request, pk: int):
    return _results_post(request, pk, ENTER)


@policy(SIGNED_IN)
@require_POST
def form_results_correct(request, pk: int):
    return _results_post(request, pk, CORRECT)


def _filename(visit: JointVisit, ext: str) -> str:
    code = visit.visit.code if visit.visit else f"draft-{visit.pk}"
    return f"yibiaotongcha-{visit.date:%Y%m%d}-{code}.{ext}"


@policy(SIGNED_IN)
@require_GET
def form_pdf(request, pk: int):
    visit = _visible_visit(request.user, pk)
    context = _form_context(request, visit)
    html = render_to_string("planning/form_print.html", context, request=request)
    pdf = exports.form_pdf(html=html, base_url=request.build_absolute_uri("/"))
    audit_read(request, "read.export", visit)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(visit, "pdf")}"'
    return response


@policy(SIGNED_IN)
@require_GET
def form_xlsx(request, pk: int):
    visit = _visible_visit(request.user, pk)
    form = selectors.consolidated_form(visit=visit)
    data = exports.form_xlsx(form, verify_url=_verify_url(request, visit))
    audit_read(request, "read.export", visit)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(visit, "xlsx")}"'
    return response


# ---------------------------------------------------------------- park days


def _coordinator(user):
    """The street whose park days the user arranges ("planning.park_day_arrange"): a street
    coordinator's own; None for the justice bureau, which picks one on the form."""
    return None if scope_for(user).sees_all else user.street


def _streets_choice(street):
    return None if street is not None else registry_selectors.street_list()


def _departments_for(street):
    """Enforcement units, the street's own team first (it leads a park day)."""
    qs = registry_selectors.department_list(enforcement_only=True)
    if street is None:
        return qs
    own_first = Case(When(street=street, then=Value(0)), default=Value(1))
    return qs.annotate(own_first=own_first).order_by("own_first", "level", "code")


def _visible_park_day(user, pk: int) -> ParkDay:
    street = _coordinator(user)
    qs = selectors.park_day_list()
    if street is not None:
        qs = qs.filter(street=street)
    try:
        return qs.get(pk=pk)
    except ParkDay.DoesNotExist:
        raise Http404 from None


def _setting_for(street):
    return selectors.park_day_setting_get(street_id=street.pk) if street else None


def _park_day_list_page(request, *, setting_form=None, status=200):
    street = _coordinator(request.user)
    setting = _setting_for(street)
    if setting_form is None:
        setting_form = ParkDaySettingForm(
            initial={"weekday": setting.weekday if setting else 2},
            streets=_streets_choice(street),
        )
    qs = selectors.park_day_list(scope=scope_for(request.user))
    page = paginate(request, qs)
    context = {
        "street": street,
        "setting": setting,
        "weekday_label": WEEKDAYS[setting.weekday] if setting else "",
        "setting_form": setting_form,
        "page_obj": page,
        "page_range": page_range(page),
        "upcoming": [d for d in page.object_list if d.status == ParkDayStatus.COMMITTED],
    }
    return render(request, "planning/parkday_list.html", context, status=status)


@policy("planning.park_day_arrange")
@require_GET
def park_day_list(request):
    return _park_day_list_page(request)


@policy("planning.park_day_arrange")
@require_POST
def park_day_setting(request):
    street = _coordinator(request.user)
    form = ParkDaySettingForm(request.POST, streets=_streets_choice(street))
    if not form.is_valid():
        return _park_day_list_page(request, setting_form=form)
    target = street or form.cleaned_data["street"]
    try:
        services_park_days.park_day_setting_set(
            actor=request.user, street=target, weekday=form.cleaned_data["weekday"]
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _park_day_list_page(request, setting_form=form)
    messages.success(
        request,
        _("已设定%(street)s每%(weekday)s为联合整园执法日。")
        % {"street": target.name, "weekday": WEEKDAYS[form.cleaned_data["weekday"]]},
    )
    return redirect("planning_forms:park-day-list")


def _add_errors(form, error: ValidationError, formset=None) -> None:
    """The service's errors beside the fields they name; anything else above the form."""
    for field, texts in error.message_dict.items() if hasattr(error, "error_dict") else []:
        for text in texts:
            if field == "observers" and formset is not None:
                formset._non_form_errors = formset.error_class([*formset.non_form_errors(), text])
            elif field in form.fields:
                form.add_error(field, text)
            else:
                form.add_error(None, text)
    if not hasattr(error, "error_dict"):
        for text in error.messages:
            form.add_error(None, text)


@policy("planning.park_day_arrange")
def park_day_new(request):
    street = _coordinator(request.user)
    departments = _departments_for(street)
    setting = _setting_for(street)
    if request.method != "POST":
        form = ParkDayForm(
            initial={"day": next_weekday(setting.weekday) if setting else None},
            departments=departments,
            streets=_streets_choice(street),
        )
        formset = ObserverFormSet(prefix="observers")
        return _new_page(request, form, formset, street, setting)
    data = request.POST.copy()
    if "add_observer" in data:
        # One more blank row, nothing judged yet (works without script).
        key = "observers-TOTAL_FORMS"
        data[key] = str(int(data.get(key) or 0) + 1)
        form = ParkDayForm(
            initial=_unbound(data), departments=departments, streets=_streets_choice(street)
        )
        return _new_page(request, form, ObserverFormSet(data, prefix="observers"), street, setting)
    form = ParkDayForm(data, departments=departments, streets=_streets_choice(street))
    formset = ObserverFormSet(data, prefix="observers")
    if form.is_valid() and formset.is_valid():
        target = street or form.cleaned_data["street"]
        try:
            park_day = services_park_days.park_day_commit(
                actor=request.user,
                street=target,
                day=form.cleaned_data["day"],
                departments=form.cleaned_data["departments"],
                observers=observers_cleaned(formset),
            )
        except ValidationError as error:
            _add_errors(form, error, formset)
        else:
            messages.success(
                request,
                _(
                    "已安排 %(day)s 的联合整园执法日，并公布了种子承诺值；抽取时请由见证人输入外部随机数。"
                )
                % {"day": park_day.date.isoformat()},
            )
            return redirect("planning_forms:park-day-detail", pk=park_day.pk)
    return _new_page(request, form, formset, street, setting)


def _unbound(data) -> dict:
    return {
        "day": data.get("day"),
        "departments": data.getlist("departments"),
        "street": data.get("street"),
    }


def _new_page(request, form, formset, street, setting):
    context = {
        "form": form,
        "formset": formset,
        "street": street,
        "setting": setting,
        "weekday_label": WEEKDAYS[setting.weekday] if setting else "",
        "candidates": list(registry_selectors.park_list().filter(street=street))
        if street
        else None,
    }
    return render(request, "planning/parkday_new.html", context)


def _park_rows(park_day: ParkDay) -> list[dict]:
    names = dict(
        registry_selectors.park_list()
        .filter(code__in=park_day.candidates)
        .values_list("code", "name")
    )
    return [
        {
            "code": code,
            "name": names.get(code, ""),
            "drawn": park_day.park and park_day.park.code == code,
        }
        for code in park_day.candidates
    ]


@policy("planning.park_day_arrange")
def park_day_detail(request, pk: int):
    park_day = _visible_park_day(request.user, pk)
    form = ParkDayDrawForm(request.POST or None)
    if request.method == "POST":
        if park_day.status != ParkDayStatus.COMMITTED:
            messages.error(request, _("该执法日的园区已经抽取"))
            return redirect("planning_forms:park-day-detail", pk=park_day.pk)
        if form.is_valid():
            try:
                park_day = services_park_days.park_day_draw(
                    actor=request.user,
                    park_day=park_day,
                    external_entropy=form.cleaned_data["external_entropy"],
                    observer=form.cleaned_data["observer"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("抽中园区：%(park)s。种子与外部随机数已公开，任何人可复核。")
                    % {"park": park_day.park.name},
                )
                return redirect("planning_forms:park-day-detail", pk=park_day.pk)
    context = {
        "park_day": park_day,
        "parks": _park_rows(park_day),
        "draw_form": form if park_day.status == ParkDayStatus.COMMITTED else None,
        "departments": list(park_day.departments.all()),
        "observers": observer_rows(park_day),
    }
    return render(request, "planning/parkday_detail.html", context)

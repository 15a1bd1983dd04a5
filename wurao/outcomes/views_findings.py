"""Findings and rectification pages: an inspection's item results and its one-time notice
(the department's), the rectification lists and pages (a department its own, a street its
area's, read only, the bureau all), the clashes the bureau decides, and the enterprise's own
notices and rectifications with its report form (phone first). Scoped by the selectors: out
of scope is a 404."""

import datetime
from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from wurao.accounts.policy import allows, policy, require
from wurao.accounts.scope import scope_for
from wurao.audit.services import audit_read
from wurao.common.pagination import page_range, paginate
from wurao.common.rendering import render_page_or_partial
from wurao.enforcement.models import EnforcementAction
from wurao.outcomes import selectors_findings as selectors
from wurao.outcomes import services_checks, services_findings
from wurao.outcomes.choices import CheckResult, ClashStatus, RectificationStatus
from wurao.outcomes.forms_findings import (
    ChecksForm,
    ClashDecideForm,
    DocumentaryForm,
    NoticeForm,
    RecheckForm,
    RectificationFilterForm,
    RejectForm,
    ReportForm,
)
from wurao.outcomes.models import Evidence, FindingNotice, Rectification, RequirementClash

# The deadline a notice form proposes (the officer changes it per finding).
DEFAULT_DAYS = 15


def _action(request, pk: int) -> EnforcementAction:
    try:
        return selectors.action_for_findings(scope=scope_for(request.user), pk=pk)
    except EnforcementAction.DoesNotExist:
        raise Http404 from None


def _rectification(request, pk: int) -> Rectification:
    try:
        return selectors.rectification_get(scope=scope_for(request.user), pk=pk)
    except Rectification.DoesNotExist:
        raise Http404 from None


def _messages_of(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# ---------------------------------------------------------------- one inspection's findings


def _action_page(request, action, *, checks_form=None, notice_form=None, status=200):
    checks = selectors.checks_of(action)
    recorded = {c.item_id for c in checks}
    pending = [i for i in action.items.all() if i.pk not in recorded]
    notice = selectors.notice_of(action)
    findings = [c for c in checks if c.result == CheckResult.FINDING]
    may_record = allows(request.user, "findings.record", action)
    if may_record and checks_form is None and pending:
        checks_form = ChecksForm(items=pending)
    if may_record and notice_form is None and findings and notice is None and not pending:
        notice_form = NoticeForm(
            findings=findings,
            default_deadline=timezone.localdate() + datetime.timedelta(days=DEFAULT_DAYS),
        )
    rectifications = (
        list(selectors.rectification_list(scope=scope_for(request.user)).filter(notice=notice))
        if notice
        else []
    )
    return render(
        request,
        "outcomes/findings/action.html",
        {
            "action": action,
            "checks": checks,
            "pending": pending,
            "checks_form": checks_form if pending else None,
            "notice": notice,
            "notice_form": notice_form,
            "findings": findings,
            "rectifications": rectifications,
            "may_record": may_record,
        },
        status=status,
    )


@policy("findings.record")
@require_GET
def action_page(request, pk: int):
    return _action_page(request, _action(request, pk))


@policy("findings.record")
@require_POST
def action_checks(request, pk: int):
    action = _action(request, pk)
    require(request.user, "findings.record", action)
    recorded = set(action.checks.values_list("item_id", flat=True))
    pending = [i for i in action.items.all() if i.pk not in recorded]
    form = ChecksForm(request.POST, request.FILES, items=pending)
    if pending and form.is_valid():
        try:
            services_checks.checks_record(actor=request.user, action=action, rows=form.rows())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("检查结果已保存。"))
            return redirect("findings:action", pk=action.pk)
    elif not pending:
        messages.error(request, gettext("本次检查的事项都已录入结果。"))
        return redirect("findings:action", pk=action.pk)
    return _action_page(request, action, checks_form=form, status=400)


@policy("findings.record")
@require_POST
def action_notice(request, pk: int):
    action = _action(request, pk)
    require(request.user, "findings.record", action)
    findings = [c for c in selectors.checks_of(action) if c.result == CheckResult.FINDING]
    form = NoticeForm(request.POST, findings=findings)
    if findings and form.is_valid():
        try:
            notice = services_checks.notice_issue(
                actor=request.user, action=action, orders=form.orders(), day=timezone.localdate()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext(
                    "已一次性告知企业全部 %(n)s 个问题（%(number)s），企业可在门户查看并报告整改。"
                )
                % {"n": len(findings), "number": notice.number},
            )
            return redirect("findings:action", pk=action.pk)
    elif not findings:
        messages.error(request, gettext("本次检查没有发现问题，无需告知整改"))
        return redirect("findings:action", pk=action.pk)
    return _action_page(request, action, notice_form=form, status=400)


# ---------------------------------------------------------------- the government side's lists


@policy("findings.browse")
def rectification_list(request):
    scope = scope_for(request.user)
    form = RectificationFilterForm(request.GET or None)
    filters = form.filters()
    page = paginate(request, selectors.rectification_list(scope=scope, filters=filters))
    context = {
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "scope": scope,
        "counts": selectors.rectification_counts(scope=scope),
        "open_clashes": selectors.clash_list(scope=scope, status=ClashStatus.OPEN).count()
        if scope.sees_all
        else 0,
    }
    return render_page_or_partial(
        request,
        "outcomes/findings/rectification_list.html",
        "outcomes/findings/_rectification_results.html",
        context,
    )


def _recheck_link(rectification: Rectification) -> str:
    """/visits/new/ pre-filled for a re-check visit of this enterprise."""
    query = urlencode({"enterprise": rectification.enterprise.credit_code, "origin": "recheck"})
    return f"{reverse('visits:new')}?{query}"


def _rectification_page(request, rectification, *, forms=None, status=200):
    forms = forms or {}
    may_close = (
        allows(request.user, "findings.close", rectification)
        and rectification.status != RectificationStatus.CLOSED
    )
    rechecks = list(selectors.rechecks_for(rectification=rectification)) if may_close else []
    if may_close:
        forms.setdefault("reject", RejectForm())
        forms.setdefault("documentary", DocumentaryForm())
        forms.setdefault("recheck", RecheckForm(actions=rechecks))
    return render(
        request,
        "outcomes/findings/rectification_detail.html",
        {
            "r": rectification,
            "check": rectification.item_check,
            "reports": selectors.reports_of(rectification),
            "may_close": may_close,
            "rechecks": rechecks,
            "recheck_link": _recheck_link(rectification),
            "forms": forms,
            "today": timezone.localdate(),
            "sees_action": allows(request.user, "findings.record", rectification),
        },
        status=status,
    )


@policy("findings.browse")
@require_GET
def rectification_detail(request, pk: int):
    rectification = _rectification(request, pk)
    audit_read(request, "read.rectification", rectification)
    return _rectification_page(request, rectification)


def _decided(request, rectification, done: str):
    messages.success(request, done)
    return redirect("findings:rectification", pk=rectification.pk)


@policy("findings.close")
@require_POST
def rectification_reject(request, pk: int):
    rectification = _rectification(request, pk)
    require(request.user, "findings.close", rectification)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services_findings.report_reject(
                actor=request.user,
                rectification=rectification,
                reason=form.cleaned_data["reason"],
                new_deadline=form.cleaned_data["new_deadline"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return _decided(request, rectification, gettext("已退回整改报告，企业可重新报告。"))
    return _rectification_page(request, rectification, forms={"reject": form}, status=400)


@policy("findings.close")
@require_POST
def rectification_close(request, pk: int):
    rectification = _rectification(request, pk)
    require(request.user, "findings.close", rectification)
    form = DocumentaryForm(request.POST)
    if form.is_valid():
        try:
            services_findings.rectification_close_documentary(
                actor=request.user, rectification=rectification, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return _decided(request, rectification, gettext("已书面核查，整改关闭。"))
    return _rectification_page(request, rectification, forms={"documentary": form}, status=400)


@policy("findings.close")
@require_POST
def rectification_recheck(request, pk: int):
    rectification = _rectification(request, pk)
    require(request.user, "findings.close", rectification)
    rechecks = list(selectors.rechecks_for(rectification=rectification))
    form = RecheckForm(request.POST, actions=rechecks)
    if form.is_valid():
        data = form.cleaned_data
        chosen = next(a for a in rechecks if a.pk == data["action"])
        try:
            services_findings.rectification_recheck(
                actor=request.user,
                rectification=rectification,
                action=chosen,
                passed=data["passed"],
                note=data["note"],
                new_deadline=data["new_deadline"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            done = (
                gettext("复查通过，整改关闭。")
                if data["passed"]
                else gettext("复查未通过，已重新限期整改。")
            )
            return _decided(request, rectification, done)
    return _rectification_page(request, rectification, forms={"recheck": form}, status=400)


@policy("findings.read")
@require_GET
def evidence(request, pk: int):
    """A file, served only to whoever may see what it is evidence of (never from MEDIA_URL)."""
    try:
        item = selectors.evidence_get(scope=scope_for(request.user), pk=pk)
    except (Evidence.DoesNotExist, Rectification.DoesNotExist, EnforcementAction.DoesNotExist):
        raise Http404 from None
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if item.report_id:
        subject = item.report.rectification
    else:
        subject = item.item_check.action if item.item_check_id else item.action
    audit_read(request, "read.outcomes_evidence", subject)
    return FileResponse(handle, filename=Path(item.file.name).name)


# ---------------------------------------------------------------- the bureau: clashes


@policy("findings.clashes")
@require_GET
def clash_list(request):
    scope = scope_for(request.user)
    status = request.GET.get("status", ClashStatus.OPEN)
    if status not in ClashStatus.values and status != "all":
        status = ClashStatus.OPEN
    clashes = list(
        selectors.clash_list(scope=scope, status="" if status == "all" else status)[:100]
    )
    return render(
        request,
        "outcomes/findings/clash_list.html",
        {
            "clashes": clashes,
            "status": status,
            "statuses": [("open", ClashStatus.OPEN.label), ("all", gettext("全部"))],
            "form": ClashDecideForm(),
        },
    )


@policy("findings.clashes")
@require_POST
def clash_decide(request, pk: int):
    try:
        clash = selectors.clash_get(scope=scope_for(request.user), pk=pk)
    except RequirementClash.DoesNotExist:
        raise Http404 from None
    form = ClashDecideForm(request.POST)
    if form.is_valid():
        try:
            services_findings.clash_decide(
                actor=request.user,
                clash=clash,
                confirmed=form.cleaned_data["decision"] == ClashStatus.CONFIRMED,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            _messages_of(request, error)
        else:
            messages.success(request, gettext("已处理整改要求冲突。"))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("findings:clash-list")


# ---------------------------------------------------------------- the enterprise's own


@policy("findings.mine")
@require_GET
def mine(request):
    scope = scope_for(request.user)
    return render(
        request,
        "outcomes/findings/mine.html",
        {
            "notices": list(selectors.notice_list_mine(scope=scope)[:50]),
            "open": list(selectors.rectification_list(scope=scope, filters={"status": "open"})),
            "closed": list(
                selectors.rectification_list(
                    scope=scope, filters={"status": RectificationStatus.CLOSED}
                ).order_by("-closed_on", "-pk")[:20]
            ),
        },
    )


@policy("findings.mine")
@require_GET
def mine_notice(request, pk: int):
    scope = scope_for(request.user)
    try:
        notice = selectors.notice_get(scope=scope, pk=pk)
    except FindingNotice.DoesNotExist:
        raise Http404 from None
    if scope.enterprise_id != notice.action.enterprise_id:
        raise Http404
    services_findings.notice_seen(actor=request.user, notice=notice)
    return render(
        request,
        "outcomes/findings/mine_notice.html",
        {
            "notice": notice,
            "rectifications": list(selectors.rectification_list(scope=scope).filter(notice=notice)),
        },
    )


def _mine_page(request, rectification, *, form=None, status=200):
    may_report = rectification.status != RectificationStatus.CLOSED
    return render(
        request,
        "outcomes/findings/mine_rectification.html",
        {
            "r": rectification,
            "reports": selectors.reports_of(rectification),
            "form": (form or ReportForm()) if may_report else None,
            "today": timezone.localdate(),
        },
        status=status,
    )


def _own_rectification(request, pk: int) -> Rectification:
    rectification = _rectification(request, pk)
    if scope_for(request.user).enterprise_id != rectification.enterprise_id:
        raise Http404
    return rectification


@policy("findings.mine")
@require_GET
def mine_rectification(request, pk: int):
    return _mine_page(request, _own_rectification(request, pk))


@policy("findings.report")
@require_POST
def mine_report(request, pk: int):
    rectification = _own_rectification(request, pk)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services_findings.rectification_report(
                actor=request.user,
                rectification=rectification,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, gettext("整改情况已报告，执法部门将核查；如材料不足会退回并说明理由。")
            )
            return redirect("findings:mine-rectification", pk=rectification.pk)
    return _mine_page(request, rectification, form=form, status=400)

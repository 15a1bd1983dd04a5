"""Pages of consultations (征求意见): open and past drafts for everyone, comments by enterprises,
the department's answers, hearings and the decision. A commenter is shown by the enterprise's
or organisation's name, never by the account."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from wurao.accounts.policy import PUBLIC, allows, policy, require
from wurao.accounts.scope import scope_for
from wurao.common.pagination import page_range, paginate
from wurao.rulemaking import selectors
from wurao.rulemaking.choices import ConsultationStatus
from wurao.rulemaking.forms import (
    AnswerForm,
    CommentForm,
    ConsultationFilterForm,
    ConsultationForm,
    MeetingForm,
    TransitionForm,
)
from wurao.rulemaking.models import Comment, Consultation
from wurao.rulemaking.services_consultations import (
    LIVE,
    comment_answer,
    comment_submit,
    consultation_accepts_comments,
    consultation_save,
    consultation_transition,
    meeting_record,
)

# What the drafting department may do next, by status (the service has the last word).
NEXT_ACTIONS = {
    ConsultationStatus.DRAFT: ("publish", "withdraw"),
    ConsultationStatus.OPEN: ("close", "adopt", "withdraw"),
    ConsultationStatus.CLOSED: ("adopt", "withdraw"),
}


def _visible(request, pk: int) -> Consultation:
    try:
        return selectors.consultation_get(scope=scope_for(request.user), pk=pk)
    except Consultation.DoesNotExist:
        raise Http404 from None


@policy(PUBLIC)
def consultation_list(request):
    scope = scope_for(request.user)
    form = ConsultationFilterForm(request.GET or None)
    page = paginate(request, selectors.consultation_list(scope=scope, filters=form.valid_data()))
    today = timezone.localdate()
    for c in page.object_list:
        c.accepting = consultation_accepts_comments(c, today=today)
    context = {
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "manages": allows(request.user, "rulemaking.consultation_manage"),
    }
    return render(request, "rulemaking/consultation_list.html", context)


@policy("rulemaking.consultation_manage")
def consultation_new(request):
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = consultation_save(
                actor=request.user, department=request.user.department, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("草稿已保存，发布后开始征求意见。"))
            return redirect("rulemaking:consultation-detail", pk=consultation.pk)
    return render(request, "rulemaking/consultation_form.html", {"form": form})


@policy("rulemaking.consultation_manage")
def consultation_edit(request, pk: int):
    consultation = _visible(request, pk)
    require(request.user, "rulemaking.consultation_manage", consultation)
    initial = {
        f: getattr(consultation, f)
        for f in ("title", "text", "document", "starts_on", "ends_on", "effective_on")
    }
    form = ConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            consultation_save(
                actor=request.user,
                department=consultation.department,
                consultation=consultation,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("草稿已保存。"))
            return redirect("rulemaking:consultation-detail", pk=consultation.pk)
    context = {"form": form, "consultation": consultation}
    return render(request, "rulemaking/consultation_form.html", context)


def _detail_context(request, consultation, *, comment_form=None, forms=None) -> dict:
    user = request.user
    manages = allows(user, "rulemaking.consultation_manage", consultation)
    comments = list(selectors.comment_list(consultation=consultation))
    forms = forms or {}
    for c in comments:
        c.article_url = selectors.article_url(c.article) if c.article else ""
        answers = manages and consultation.status in LIVE
        c.answer_form = forms.get(c.pk) or (
            AnswerForm(prefix=f"c{c.pk}", initial={"kind": c.answer_kind, "answer": c.answer})
            if answers
            else None
        )
    accepting = consultation_accepts_comments(consultation)
    comments_allowed = accepting and allows(user, "rulemaking.consultation_comment")
    transition_form = forms.get("transition") or (TransitionForm() if manages else None)
    actions = NEXT_ACTIONS.get(consultation.status, ())
    if transition_form is not None and actions:
        field = transition_form.fields["action"]
        field.choices = [(a, label) for a, label in field.choices if a in actions]
    elif not actions:
        transition_form = None
    return {
        "consultation": consultation,
        "comments": comments,
        "unanswered": sum(1 for c in comments if not c.answered_at),
        "meetings": consultation.meetings.all(),
        "accepting": accepting,
        "comment_form": comment_form or (CommentForm() if comments_allowed else None),
        "manages": manages,
        "transition_form": transition_form,
        "meeting_form": forms.get("meeting")
        or (MeetingForm() if manages and consultation.status != ConsultationStatus.DRAFT else None),
        "signed_in": user.is_authenticated,
    }


@policy(PUBLIC)
def consultation_detail(request, pk: int):
    consultation = _visible(request, pk)
    return render(
        request,
        "rulemaking/consultation_detail.html",
        _detail_context(request, consultation),
    )


def _again(request, consultation, **kwargs):
    context = _detail_context(request, consultation, **kwargs)
    return render(request, "rulemaking/consultation_detail.html", context, status=400)


@policy("rulemaking.consultation_comment")
@require_POST
def comment_new(request, pk: int):
    consultation = _visible(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment_submit(actor=request.user, consultation=consultation, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("意见已提交，起草部门将逐条公开答复。"))
            return redirect("rulemaking:consultation-detail", pk=pk)
    return _again(request, consultation, comment_form=form)


@policy("rulemaking.consultation_manage")
@require_POST
def comment_answer_view(request, pk: int, comment_pk: int):
    consultation = _visible(request, pk)
    require(request.user, "rulemaking.consultation_manage", consultation)
    try:
        comment = consultation.comments.get(pk=comment_pk)
    except Comment.DoesNotExist:
        raise Http404 from None
    form = AnswerForm(request.POST, prefix=f"c{comment.pk}")
    if form.is_valid():
        try:
            comment_answer(actor=request.user, comment=comment, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("答复已公开。"))
            return redirect("rulemaking:consultation-detail", pk=pk)
    return _again(request, consultation, forms={comment.pk: form})


@policy("rulemaking.consultation_manage")
@require_POST
def consultation_transition_view(request, pk: int):
    consultation = _visible(request, pk)
    require(request.user, "rulemaking.consultation_manage", consultation)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            consultation_transition(
                actor=request.user, consultation=consultation, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("状态已更新。"))
            return redirect("rulemaking:consultation-detail", pk=pk)
    return _again(request, consultation, forms={"transition": form})


@policy("rulemaking.consultation_manage")
@require_POST
def meeting_new(request, pk: int):
    consultation = _visible(request, pk)
    require(request.user, "rulemaking.consultation_manage", consultation)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting_record(actor=request.user, consultation=consultation, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("已记录。"))
            return redirect("rulemaking:consultation-detail", pk=pk)
    return _again(request, consultation, forms={"meeting": form})

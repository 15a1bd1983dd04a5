"""Credit pages for the justice bureau: points table versions (read by every signed-in user,
edited by the bureau), regrading, and the list of who moved to which grade and why.
Who sees what: see `views_common`.
"""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from wurao.accounts.policy import SIGNED_IN, policy
from wurao.accounts.scope import scope_for
from wurao.common.pagination import page_range, paginate
from wurao.common.rendering import render_page_or_partial
from wurao.credit import selectors
from wurao.credit.choices import Grade
from wurao.credit.forms import GradeChangeFilterForm, PointsTableForm, RegradeForm
from wurao.credit.points import DEFAULT_TABLE
from wurao.credit.points_catalogue import DECAY_LABELS, INDICATORS
from wurao.credit.points_json import table_from_dict
from wurao.credit.points_json import table_to_dict as points_table_to_dict
from wurao.credit.services_grading import grades_recompute, points_table_publish
from wurao.credit.views_backtest import draft_get
from wurao.credit.views_common import GRADES
from wurao.registry import selectors as registry_selectors

# ---------------------------------------------------------------- points tables


def kind_label(table, code) -> str:
    """A kind of record's name in the reader's language: the catalogue's, or the table's own
    (a kind the version declares carries its English name)."""
    info = table.info(str(code))
    if info is None:
        return str(code)
    if info.label_en and code not in INDICATORS and get_language().startswith("en"):
        return info.label_en
    return gettext(info.label)


def table_display(version) -> dict:
    """A stored table for reading: each indicator's rule in words, tags, industries, effects."""
    table = table_from_dict(version.table)
    rules = [
        {
            "label": kind_label(table, r.indicator),
            "points": r.points,
            "per_severity": r.per_severity,
            "window_days": r.window_days,
            "decay": gettext(DECAY_LABELS[r.decay]),
            "half_life_days": r.half_life_days,
            "cap": r.cap,
        }
        for r in table.rules
    ]
    scored = {str(r.indicator) for r in table.rules}
    return {
        "table": table,
        "rules": rules,
        "unscored": [kind_label(table, code) for code in table.codes if code not in scored],
        "effects": [
            {"effect": e, "label": Grade(str(e.grade)).label, "flags": e.flags}
            for e in table.effects
        ],
    }


@policy(SIGNED_IN)
def table_list(request):
    # The rules an enterprise is graded by are public to every signed-in user; only the
    # justice bureau changes them.
    current = selectors.points_table_current()
    context = {
        "versions": selectors.points_table_versions(),
        "current": current,
        "regrade_form": RegradeForm(initial={"as_of": timezone.localdate()}),
    }
    return render(request, "credit/table_list.html", context)


@policy(SIGNED_IN)
def table_detail(request, version: int):
    row = selectors.points_table_versions().filter(version=version).first()
    if row is None:
        raise Http404
    current = selectors.points_table_current()
    context = {
        "version": row,
        "is_current": current is not None and current.pk == row.pk,
        **table_display(row),
    }
    return render(request, "credit/table_detail.html", context)


@policy("credit.table_publish")
def table_new(request):
    """The editor of a new version, prefilled from the one in force, or from a calibration's
    draft (?draft=<id>, "采用此草案"): the person still sets the effective date and publishes."""
    current = selectors.points_table_current() or selectors.points_table_versions().first()
    table = current.table if current else points_table_to_dict(DEFAULT_TABLE)
    initial = {"effective_from": timezone.localdate()}
    draft = None
    if "draft" in request.GET:
        draft = draft_get(request.GET["draft"])
        table = draft.table
        initial["note"] = draft.note
    risk_tags = list(registry_selectors.risk_tag_list().values_list("code", "name"))
    form = PointsTableForm(request.POST or None, table=table, risk_tags=risk_tags, initial=initial)
    if request.method == "POST" and form.ready():
        try:
            published = points_table_publish(
                actor=request.user,
                table=form.table(),
                effective_from=form.cleaned_data["effective_from"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                gettext(
                    "已发布第 %(version)s 版计分表，自 %(day)s 起生效。"
                    "已有的等级不变；重新评级后按新版计分。"
                )
                % {"version": published.version, "day": published.effective_from},
            )
            return redirect("credit:table-detail", version=published.version)
    return render(
        request,
        "credit/table_form.html",
        {"form": form, "based_on": None if draft else current, "draft": draft},
    )


@policy("credit.regrade")
@require_POST
def regrade(request):
    form = RegradeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, gettext("评价基准日：%(message)s") % {"message": message})
        return redirect("credit:table-list")
    as_of = form.cleaned_data["as_of"]
    try:
        summary = grades_recompute(actor=request.user, as_of=as_of)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("credit:table-list")
    spread = gettext("，").join(
        gettext("%(grade)s 级 %(count)s 家") % {"grade": g, "count": f"{n:,}"}
        for g, n in summary["by_grade"].items()
    )
    messages.success(
        request,
        gettext(
            "已按第 %(version)s 版计分表重新评级 %(enterprises)s 家企业"
            "（评价基准日 %(as_of)s）：%(spread)s；等级变动 %(changed)s 家。"
        )
        % {
            "version": summary["table_version"],
            "enterprises": f"{summary['enterprises']:,}",
            "as_of": summary["as_of"],
            "spread": spread,
            "changed": f"{summary['changed']:,}",
        },
    )
    return redirect(f"{reverse('credit:change-list')}?as_of={as_of.isoformat()}")


# ---------------------------------------------------------------- grade changes


@policy("credit.browse")
def change_list(request):
    """Who moved to which grade at a regrade, and why. Departments see every enterprise's
    changes (the registry is shared), a street its area; by default the latest regrade."""
    scope = scope_for(request.user)
    if scope.enterprise_id:
        return redirect("credit:portal")
    changes = selectors.grade_change_list(scope=scope)
    dates = list(changes.order_by("-as_of").values_list("as_of", flat=True).distinct())
    data = request.GET.copy()
    # The latest regrade is the one that wrote the last change (ids grow with each regrade).
    as_of_is_default = "as_of" not in data
    if as_of_is_default and (latest := changes.order_by("-pk").first()):
        data["as_of"] = latest.as_of.isoformat()
    form = GradeChangeFilterForm(data, dates=dates)
    filters = form.filters()
    moves = (
        selectors.grade_change_list(scope=scope, filters={"as_of": filters.get("as_of")})
        .values_list("previous_grade", "grade")
        .annotate(n=Count("id"))
        .order_by()
    )
    summary: Counter = Counter()
    by_grade: Counter = Counter()
    for previous, grade, n in moves:
        by_grade[grade] += n
        summary["new" if not previous else "down" if grade > previous else "up"] += n
    changes = selectors.grade_change_list(scope=scope, filters=filters)
    if filters.get("as_of"):
        # One regrade: the riskiest first, "who moved to D today".
        changes = changes.order_by("-grade", "score", "pk")
    page = paginate(request, changes)
    context = {
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "summary": summary,
        "by_grade": [(g, by_grade.get(g, 0)) for g in GRADES],
        "as_of": filters.get("as_of"),
        "as_of_is_default": as_of_is_default,
        "regrade_form": RegradeForm(initial={"as_of": timezone.localdate()}),
        "scope": scope,
    }
    return render_page_or_partial(
        request, "credit/change_list.html", "credit/_change_results.html", context
    )

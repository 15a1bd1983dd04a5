"""Visit pages beside the officers' registry: the enterprise's own visits, counts against its
caps and its anonymous ratings (/visits/mine/); and the justice bureau's supervision — the
rules and their versions, alerts with drill-down, ratings, refusals and overrides.

Who sees what: the enterprise itself only; the rules, alerts, individual ratings, refusals and
overrides the justice bureau only (403 for anyone else); a department admin its own
department's rating aggregate, and only over enough ratings (k-anonymity).
"""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wurao.accounts.policy import allows, policy
from wurao.accounts.scope import scope_for
from wurao.common.pagination import page_range, paginate
from wurao.common.periods import latest_year_until
from wurao.common.qr import qr_svg_kept
from wurao.credit import selectors as credit_selectors
from wurao.visits import rules as visit_rules
from wurao.visits import selectors, services
from wurao.visits.choices import RatingTag, VisitOrigin, VisitStatus
from wurao.visits.forms_supervision import GRADE_LABELS, RatingForm, RulesForm
from wurao.visits.models import Visit

PENDING_RATINGS_SHOWN = 10
TAG_LABELS = dict(RatingTag.choices)

# Who may do what: wurao.accounts.policy.visits.


def _year_param(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _default_year(scope) -> int:
    """Where a supervision page starts: the latest year with a visit up to today, or this year.
    Visits registered ahead (next January's joint visits) must not move the page to a year
    that has not begun and so has nothing to supervise yet."""
    today = timezone.localdate()
    return latest_year_until(selectors.visit_list(scope=scope), until=today) or today.year


# ---------------------------------------------------------------- enterprise portal


def _rating_id(code: str) -> str:
    """Several rating forms share the page: each its own element ids."""
    return f"id_{''.join(ch for ch in code if ch.isalnum())}_%s"


def _portal_context(request, scope, *, rating_form=None) -> dict:
    enterprise_id = scope.enterprise_id
    years = [d.year for d in selectors.visit_list(scope=scope).dates("date", "year", order="DESC")]
    this_year = timezone.localdate().year
    # This year when it has visits, else the latest past year that has (never one to come).
    default = (
        this_year
        if this_year in years or not years
        else next((y for y in years if y < this_year), this_year)
    )
    year = _year_param(request, default)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    visits = (
        selectors.visit_list(scope=scope, filters={"year": year})
        .select_related("rating")
        .prefetch_related(Prefetch("departments", to_attr="department_list"))
    )
    page = paginate(request, visits)
    pending = list(
        selectors.visits_pending_rating(enterprise_id=enterprise_id)
        .select_related("department")
        .order_by("-date", "-id")[:PENDING_RATINGS_SHOWN]
    )
    forms = []
    for visit in pending:
        bound = rating_form if rating_form and rating_form["code"].value() == visit.code else None
        forms.append(
            (
                visit,
                bound or RatingForm(initial={"code": visit.code}, auto_id=_rating_id(visit.code)),
            )
        )
    counts = selectors.enterprise_counts(enterprise_id=enterprise_id, year=year)
    return {
        "year": year,
        "years": years,
        "counts": counts,
        "grade_label": GRADE_LABELS.get(counts.grade, counts.grade),
        # The caps follow the grade as of its date: say which date.
        "grade_as_of": getattr(
            credit_selectors.enterprise_grade_get(enterprise_id=enterprise_id), "as_of", None
        ),
        "page_obj": page,
        "page_range": page_range(page),
        "rating_forms": forms,
        "rating_form": rating_form,
        "pending_total": selectors.visits_pending_rating(enterprise_id=enterprise_id).count(),
        "tag_choices": RatingTag.choices,
        # The enterprise's own code, which officers scan to check in: its credit code.
        "enterprise_qr": qr_svg_kept(request.user.enterprise.credit_code, scale=5),
        "credit_code": request.user.enterprise.credit_code,
        "rating_days": settings.VISIT_RATING_DAYS,
        "rating_since": timezone.localdate() - datetime.timedelta(days=settings.VISIT_RATING_DAYS),
        "rating_min_count": selectors.rules_current().rating_min_count,
    }


@policy("visits.portal")
def portal(request):
    """The enterprise's own visits, its year against the caps, and ratings of finished visits."""
    scope = scope_for(request.user)
    rating_form = None
    if request.method == "POST":
        code = request.POST.get("code", "")
        rating_form = RatingForm(request.POST, auto_id=_rating_id(code))
        try:
            visit = selectors.visit_get(scope=scope, code=code)
        except Visit.DoesNotExist:
            raise Http404 from None
        if rating_form.is_valid():
            data = rating_form.cleaned_data
            try:
                services.visit_rate(
                    actor=request.user,
                    visit=visit,
                    score=data["score"],
                    tags=data["tags"],
                    comment=data["comment"],
                )
            except ValidationError as error:
                rating_form.add_service_error(error)
            else:
                messages.success(
                    request,
                    gettext(
                        "已匿名提交对入企 %(code)s 的评价。评价不记录评价人；"
                        "执法部门只能看到不少于规定条数的评价汇总。"
                    )
                    % {"code": visit.code_display},
                )
                return redirect(reverse("visits_supervision:portal") + "#ratings")
    context = _portal_context(request, scope, rating_form=rating_form)
    status = 400 if rating_form is not None else 200
    return render(request, "visits/portal_mine.html", context, status=status)


# ---------------------------------------------------------------- rules


RULE_FIELD_LABELS = {
    "duplicate_window_days": _("跨层级重复检查的比对期（日）"),
    "late_registration_days": _("事后补登期限（日）"),
    "min_officers": _("检查最少执法人员数"),
    "high_frequency_visits": _("高频预警：期间内超过的入企次数"),
    "high_frequency_days": _("高频预警：期间（日）"),
    "rating_min_count": _("部门可见评价汇总的最少评价数"),
}


def rules_display(doc: dict) -> dict:
    """A stored rules document in words, for reading."""
    grades = [
        {"label": label, **(doc.get("limits", {}).get(grade) or {})}
        for grade, label in GRADE_LABELS.items()
    ]
    return {
        "grades": grades,
        "from_credit": doc.get("limits_from_credit_table", True),
        "exempt_origins": [VisitOrigin(o).label for o in doc.get("exempt_origins", [])],
        "exempt_grades": [GRADE_LABELS[g] for g in doc.get("exempt_grades", [])],
        "quiet_days": doc.get("monthly_quiet_days", []),
        "offsite_only_items": doc.get("offsite_only_items") or [],
        "share": doc.get("non_enforcement_share"),
        "numbers": [(label, doc.get(key)) for key, label in RULE_FIELD_LABELS.items()],
    }


@policy("visits.rules_publish")
def rules(request):
    """The visit rules in force, every past version, and a form to publish the next one."""
    versions = list(selectors.rules_versions())
    current = selectors.rules_version_current()
    latest_doc = versions[0].rules if versions else visit_rules.DEFAULT_RULES_JSON
    if request.method == "POST":
        form = RulesForm(request.POST, latest=versions[0] if versions else None)
        if form.is_valid():
            try:
                row = services.visit_rules_publish(
                    actor=request.user,
                    doc=form.doc(),
                    effective_from=form.cleaned_data["effective_from"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    gettext("已发布入企规则第 %(version)s 版，自 %(day)s 起生效。")
                    % {"version": row.version, "day": row.effective_from},
                )
                return redirect("visits_supervision:rules")
    else:
        initial = RulesForm.initial_from(latest_doc)
        initial["effective_from"] = timezone.localdate()
        form = RulesForm(initial=initial)
    context = {
        "form": form,
        "current": current,
        "current_rules": rules_display(
            current.rules if current else visit_rules.DEFAULT_RULES_JSON
        ),
        "versions": [(v, rules_display(v.rules)) for v in versions],
        "upcoming": [v for v in versions if current is None or v.version > current.version],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "visits/supervision_rules.html", context, status=status)


# ---------------------------------------------------------------- alerts


# The old page's parameters on the oversight dashboard's 规则执行 tab, where the alerts live now.
ALERT_PARAMS = {
    "date_from": "date_from",
    "date_to": "date_to",
    "kind": "alert",
    "page": "alert_page",
}


@policy("oversight.supervise")
def alerts(request):
    """The visit alerts moved to the oversight dashboard's 规则执行 tab (/oversight/rules/),
    beside the refusals and overrides: the same period, kind and page, scoped as the tab is.
    Whoever may open the tab is sent there (the bureau as before, and now a department's admin
    and a street's coordinator over their own scope)."""
    query = {new: request.GET[old] for old, new in ALERT_PARAMS.items() if request.GET.get(old, "")}
    target = reverse("oversight:rules")
    return redirect(f"{target}?{urlencode(query)}#alerts" if query else f"{target}#alerts")


# ---------------------------------------------------------------- ratings


def _summary_rows(summaries) -> list[dict]:
    return [
        {
            "summary": s,
            "tags": [(TAG_LABELS.get(tag, tag), n) for tag, n in sorted(s.tags.items())],
        }
        for s in summaries
    ]


@policy("visits.ratings_browse")
def ratings(request):
    """Ratings per department; the justice bureau also sees each rating. A department admin
    sees its own department's aggregate, only over at least `rating_min_count` ratings."""
    user = request.user
    justice = allows(user, "visits.supervise")
    scope = scope_for(user)
    year = _year_param(request, 0) or None
    summaries = selectors.rating_summary(scope=scope, filters={"year": year})
    context = {
        "justice": justice,
        "year": year,
        "years": range(timezone.localdate().year, 2018, -1),
        "rows": _summary_rows(summaries),
        "shown": [s for s in summaries if not s.hidden],
        "minimum": selectors.rules_current().rating_min_count,
    }
    if justice:
        listed = selectors.ratings_list(scope=scope).order_by("-rated_on", "-id")
        if year:
            listed = listed.filter(visit__date__year=year)
        page = paginate(request, listed)
        context.update(
            page_obj=page,
            page_range=page_range(page),
            ratings=[(r, [TAG_LABELS.get(t, t) for t in r.tags]) for r in page],
        )
    return render(request, "visits/supervision_ratings.html", context)


# ---------------------------------------------------------------- refusals and overrides


@policy("visits.supervise")
def refusals(request):
    """Registrations the rules refused, and those let through with a reason and a second
    approver (overrides), with the rules each broke."""
    scope = scope_for(request.user)
    year = _year_param(request, _default_year(scope))
    show = "overrides" if request.GET.get("show") == "overrides" else "refusals"
    refused = selectors.refusal_list(scope=scope, year=year)
    overridden = selectors.override_list(scope=scope, year=year).order_by("-date", "-id")
    page = paginate(request, overridden if show == "overrides" else refused)
    context = {
        "year": year,
        "years": range(timezone.localdate().year + 1, 2018, -1),
        "show": show,
        "refusal_count": refused.count(),
        "override_count": overridden.count(),
        "override_pending": overridden.filter(status=VisitStatus.PENDING_OVERRIDE).count(),
        "page_obj": page,
        "page_range": page_range(page),
    }
    return render(request, "visits/supervision_refusals.html", context)

"""The justice bureau's backtest page (回测与校准), beside the table versions: two points tables
backtested on a period of the district's own inspections, side by side, with what each measure
means; and calibration, which proposes a draft table from a training period and compares it with
the table in force on a held-out period. A draft grades nobody: "采用此草案" opens the
new-version editor prefilled with it, and a person publishes it there.

A one-year backtest of the whole district takes seconds to a minute and a calibration longer,
so each runs as a background job (tasks.py): the page starts it, keeps its id in the person's
session and polls it with htmx until it is done (as the policy simulator does). A job is its
starter's only: another person's job id is a 404.
"""

import datetime

from django.apps import apps
from django.db.models import Max, Min
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from wurao.accounts.policy import policy
from wurao.accounts.scope import scope_for
from wurao.common.forms import INTEGER_MAX
from wurao.common.jobs import SessionJobs
from wurao.credit.forms_backtest import (
    CURRENT,
    BacktestForm,
    CalibrateForm,
    last_full_year,
    table_choices,
)
from wurao.credit.models import PointsTableDraft
from wurao.credit.points_catalogue import DECAY_LABELS
from wurao.credit.services_calibration import draft_table
from wurao.credit.tasks import UNEXPECTED, backtest_compare_job, table_calibrate_job
from wurao.enforcement import selectors as enforcement_selectors
from wurao.enforcement.choices import ActionKind, Finding

JOBS = "credit_backtest_jobs"  # session: huey task id -> what the person started
# No answer by then: the worker is not running, or lost the job (a district's calibration
# fits each kind's shapes in turn, and takes longer than its backtests).
STALE_SECONDS = {"backtest": 600, "calibrate": 3600}
_JOBS = SessionJobs(JOBS, UNEXPECTED, STALE_SECONDS)
DRAFTS_LISTED = 20
GRADES = ("A", "B", "C", "D")


# ---------------------------------------------------------------- the jobs in the session


# ---------------------------------------------------------------- figures in words


def _days(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _spread(mean, sd, fmt) -> str:
    if mean is None:
        return "—"
    return fmt(mean) if sd is None else f"{fmt(mean)} ± {fmt(sd)}"


def measure_rows(a: dict, b: dict) -> list[dict]:
    """One row per measure, the two backtests' values in words (A, then B)."""

    def lift(x: dict) -> str:
        return "—" if x.get("lift_sd") is None else f"{x['lift_sd']:.1f}"

    specs = [
        (
            "days_earlier",
            gettext("发现违法的检查平均提前（天）"),
            lambda x: _days(x["days_earlier"]),
        ),
        (
            "days_earlier_serious",
            gettext("其中严重违法的平均提前（天）"),
            lambda x: _days(x["days_earlier_serious"]),
        ),
        (
            "random_days_earlier",
            gettext("随机排序：平均提前（天），均值 ± 标准差"),
            lambda x: _spread(x["random_days_earlier_mean"], x["random_days_earlier_sd"], _days),
        ),
        ("lift_sd", gettext("比随机高出几个标准差"), lift),
        (
            "first_half_share",
            gettext("前半期发现的违法占比：按计分排序"),
            lambda x: _pct(x["first_half_share"]),
        ),
        (
            "first_half_share_actual",
            gettext("前半期发现的违法占比：实际"),
            lambda x: _pct(x["first_half_share_actual"]),
        ),
        (
            "random_first_half_share",
            gettext("前半期发现的违法占比：随机排序，均值 ± 标准差"),
            lambda x: _spread(
                x["random_first_half_share_mean"], x["random_first_half_share_sd"], _pct
            ),
        ),
        (
            "first_half_share_serious",
            gettext("前半期发现的严重违法占比：按计分排序"),
            lambda x: _pct(x["first_half_share_serious"]),
        ),
        ("coverage", gettext("覆盖率（受检企业中有计分记录的）"), lambda x: _pct(x["coverage"])),
        ("inspections", gettext("检查次数"), lambda x: f"{x['inspections']:,}"),
        ("violations", gettext("发现违法的检查"), lambda x: f"{x['violations']:,}"),
        ("serious", gettext("其中严重违法"), lambda x: f"{x['serious']:,}"),
    ]
    return [{"key": k, "label": label, "a": read(a), "b": read(b)} for k, label, read in specs]


def grade_rows(a: dict, b: dict) -> list[dict]:
    def cell(x: dict, grade: str) -> dict:
        hits = (x.get("hit_rate_by_grade") or {}).get(grade) or {}
        return {
            "inspections": f"{hits.get('inspections', 0):,}",
            "violations": f"{hits.get('violations', 0):,}",
            "rate": _pct(hits.get("rate")),
        }

    return [{"grade": g, "a": cell(a, g), "b": cell(b, g)} for g in GRADES]


def grade_chart(a: dict, b: dict, names: tuple[str, str]) -> dict:
    """The hit rate per grade of both tables, in percent, for the bar chart."""

    def rates(x: dict) -> list:
        hits = x.get("hit_rate_by_grade") or {}
        return [
            None if (hits.get(g) or {}).get("rate") is None else round(hits[g]["rate"] * 100, 1)
            for g in GRADES
        ]

    return {"labels": list(GRADES), "a": rates(a), "b": rates(b), "names": list(names)}


def comparison(a: dict, b: dict, names: tuple[str, str], short: tuple[str, str] | None = None):
    """Two backtests side by side; `short` names head the columns (and a phone's cards), the
    full `names` go under them."""
    return {
        "names": names,
        "short": short or names,
        "rows": measure_rows(a, b),
        "grades": grade_rows(a, b),
        "chart": grade_chart(a, b, short or names),
        "period": a,
    }


def _field_labels(form_class) -> dict:
    labels = {name: field.label for name, field in form_class.base_fields.items()}
    return {**labels, "end": labels.get("end", ""), "table": gettext("计分表")}


def _errors_in_words(job: dict) -> list[str]:
    outcome = job.get("outcome") or {}
    if outcome.get("error"):
        return [gettext(outcome["error"])]
    form_class = BacktestForm if job.get("kind") == "backtest" else CalibrateForm
    labels = _field_labels(form_class)
    # A refusal comes in the reader's language; one the catalogue has is translated here.
    return [
        gettext("%(field)s：%(message)s") % {"field": labels[field], "message": gettext(message)}
        if labels.get(field)
        else gettext(message)
        for field, message in outcome.get("errors", [])
    ]


# ---------------------------------------------------------------- drafts


def _kind_label(table, code: str) -> str:
    info = table.info(code) if table is not None else None
    if info is None:
        return code
    if info.label_en and translation.get_language().startswith("en"):
        return info.label_en
    return gettext(info.label)


def draft_report(draft: PointsTableDraft) -> dict:
    """A draft's report for reading: the fit per kind of record, and both tables' backtests on
    the held-out period, side by side."""
    report = draft.report or {}
    fit, test = report.get("fit") or {}, report.get("test") or {}
    try:
        table = draft_table(draft)
    except Exception:  # a draft stored by hand that no longer reads: show the codes
        table = None
    before = {}
    if draft.based_on is not None:
        before_table = draft.based_on.table
        before = {r["indicator"]: r for r in before_table.get("indicators", [])}
    kinds = []
    for k in fit.get("kinds", []):
        old = before.get(k["code"], {})
        kinds.append(
            {
                **k,
                "label": _kind_label(table, k["code"]),
                "decay_label": gettext(DECAY_LABELS.get(k["decay"], k["decay"])),
                "window_before": old.get("window_days"),
                "decay_before": gettext(DECAY_LABELS[old["decay"]])
                if old.get("decay") in DECAY_LABELS
                else None,
                "changed": k["points_after"] != k["points_before"],
            }
        )
    names = (gettext("现行版本"), gettext("草案"))
    compared = (
        comparison(test["in_force"], test["draft"], names)
        if test.get("in_force") and test.get("draft")
        else None
    )
    return {"draft": draft, "fit": fit, "kinds": kinds, "test": compared}


def _drafts():
    return PointsTableDraft.objects.select_related("based_on", "created_by").order_by(
        "-created_at", "-pk"
    )


def draft_get(pk) -> PointsTableDraft:
    """The draft, or 404: for ids from a URL or a query string (digits only, within range)."""
    text = str(pk)
    # ASCII digits only: "²" is a digit to str.isdigit and no number to int().
    if not (text.isascii() and text.isdigit()) or int(text) > INTEGER_MAX:
        raise Http404
    draft = _drafts().filter(pk=int(text)).first()
    if draft is None:
        raise Http404
    return draft


def _draft_rows() -> list[dict]:
    rows = []
    for d in _drafts()[:DRAFTS_LISTED]:
        test = (d.report or {}).get("test") or {}
        rows.append(
            {
                "draft": d,
                "in_force": _days((test.get("in_force") or {}).get("days_earlier")),
                "proposed": _days((test.get("draft") or {}).get("days_earlier")),
            }
        )
    return rows


# ---------------------------------------------------------------- the default periods


def inspection_dates(user) -> dict:
    """The first and last inspection with a recorded finding, and the last one before this
    year began: where the page's default periods come from."""
    inspections = enforcement_selectors.action_list(
        scope=scope_for(user), filters={"kind": ActionKind.INSPECTION}
    ).filter(finding__in=[Finding.CLEAN, Finding.PROBLEMS])
    year_start = datetime.date(timezone.localdate().year, 1, 1)
    bounds = inspections.aggregate(first=Min("date"), last=Max("date"))
    before = inspections.filter(date__lt=year_start).aggregate(last=Max("date"))
    return {**bounds, "last_before_this_year": before["last"]}


def default_periods(user) -> dict | None:
    dates = inspection_dates(user)
    period = last_full_year(dates["last_before_this_year"], dates["last"])
    if period is None:
        return None
    start, end = period
    if dates["first"] < start:
        # Train on the year before, hold out the backtest's year.
        train = (datetime.date(start.year - 1, 1, 1), datetime.date(start.year - 1, 12, 31))
        test = (start, end)
    else:
        # One year of inspections only: its first half trains, its second half tests.
        middle = start + (end - start) // 2
        train, test = (start, middle), (middle + datetime.timedelta(days=1), end)
    return {"backtest": (start, end), "train": train, "test": test}


# ---------------------------------------------------------------- pages


def _default_b(choices: list[tuple[str, str]]) -> str:
    """The latest draft, else the previous version, else the system's default table."""
    keys = [k for k, _label in choices]
    drafts = [k for k in keys if k.startswith("d")]
    versions = [k for k in keys if k.startswith("v")]
    if drafts:
        return drafts[0]
    if len(versions) > 1:
        return versions[1]
    return keys[-1]


def _page(request, *, backtest_form=None, calibrate_form=None, job=None, status=200):
    choices = table_choices()
    periods = default_periods(request.user)
    if backtest_form is None:
        keys = [k for k, _label in choices]
        initial = {
            "table_a": CURRENT if CURRENT in keys else keys[0],
            "table_b": _default_b(choices),
        }
        if periods:
            initial.update(start=periods["backtest"][0], end=periods["backtest"][1])
        if job and job.get("kind") == "backtest":
            # The settings of the job shown, so that a rerun starts from them.
            initial.update(start=job["start"], end=job["end"])
            initial.update({f"table_{side}": key for side, key in job["tables"].items()})
        backtest_form = BacktestForm(choices=choices, initial=initial)
    if calibrate_form is None:
        initial = {}
        if periods:
            initial = {
                "train_from": periods["train"][0],
                "train_to": periods["train"][1],
                "test_from": periods["test"][0],
                "test_to": periods["test"][1],
            }
        if job and job.get("kind") == "calibrate":
            initial.update({k: v for k, v in job["periods"].items()})
        calibrate_form = CalibrateForm(initial=initial)
    context = {
        "backtest_form": backtest_form,
        "calibrate_form": calibrate_form,
        "has_inspections": periods is not None,
        "job": job,
        "drafts": _draft_rows(),
        "demo": apps.is_installed("wurao.demo"),
    }
    if job:
        context.update(_job_context(job))
    return render(request, "credit/backtest.html", context, status=status)


def _job_context(job: dict) -> dict:
    outcome = job.get("outcome") or {}
    context: dict = {"job": job, "errors": _errors_in_words(job) if outcome else []}
    if outcome.get("result"):
        result = outcome["result"]
        names = (job["labels"]["a"], job["labels"]["b"])
        short = (gettext("计分表 A"), gettext("计分表 B"))
        context["compared"] = comparison(result["a"], result["b"], names, short)
    elif outcome.get("draft"):
        draft = _drafts().filter(pk=outcome["draft"]).first()
        if draft is None:
            context["errors"] = [gettext("该次校准生成的草案已被删除。")]
        else:
            context["report"] = draft_report(draft)
    return context


@policy("credit.table_backtest")
def backtest_page(request):
    task_id = request.GET.get("job", "")
    job = _JOBS.resolve(request, task_id) if task_id else _JOBS.latest(request)
    if task_id and job is None:
        raise Http404
    return _page(request, job=job)


def _refuse_while_running(request, form) -> dict | None:
    running = _JOBS.running(request)
    if running is not None:
        # One computation at a time per person: the machine's cores are shared.
        form.add_error(None, gettext("上一次计算仍在进行，请等它完成后再开始新的计算。"))
    return running


@policy("credit.table_backtest")
@require_POST
def backtest_run(request):
    """Both tables' backtests on the period, as one job; the page polls it."""
    form = BacktestForm(request.POST, choices=table_choices())
    if not form.is_valid():
        return _page(request, backtest_form=form)
    if (running := _refuse_while_running(request, form)) is not None:
        return _page(request, backtest_form=form, job=running)
    data = form.cleaned_data
    start, end = data["start"].isoformat(), data["end"].isoformat()
    tables = {"a": data["table_a"], "b": data["table_b"]}
    result = backtest_compare_job(request.user.pk, translation.get_language(), start, end, tables)
    _JOBS.keep(
        request,
        result.id,
        {
            "kind": "backtest",
            "start": start,
            "end": end,
            "tables": tables,
            "labels": {"a": form.choice_label("table_a"), "b": form.choice_label("table_b")},
        },
    )
    return redirect(f"{reverse('credit:table-backtest')}?job={result.id}")


@policy("credit.table_backtest")
@require_POST
def calibrate_run(request):
    """A calibration as a job; the page then shows the draft it stored."""
    form = CalibrateForm(request.POST)
    if not form.is_valid():
        return _page(request, calibrate_form=form)
    if (running := _refuse_while_running(request, form)) is not None:
        return _page(request, calibrate_form=form, job=running)
    periods = {
        k: (form.cleaned_data[k].isoformat() if form.cleaned_data.get(k) else "")
        for k in ("train_from", "train_to", "test_from", "test_to")
    }
    result = table_calibrate_job(request.user.pk, translation.get_language(), periods)
    _JOBS.keep(request, result.id, {"kind": "calibrate", "periods": periods})
    return redirect(f"{reverse('credit:table-backtest')}?job={result.id}")


@policy("credit.table_backtest")
def backtest_result(request):
    """The job's state for the page's polling (?job=), its figures once in."""
    task_id = request.GET.get("job", "")
    if not task_id:
        return redirect("credit:table-backtest")
    job = _JOBS.resolve(request, task_id)
    if job is None:
        raise Http404
    if not request.headers.get("HX-Request"):
        return redirect(f"{reverse('credit:table-backtest')}?job={task_id}")
    return render(request, "credit/_backtest_job.html", _job_context(job))


@policy("credit.table_backtest")
def draft_detail(request, pk: str):
    draft = draft_get(pk)
    return render(
        request,
        "credit/draft_detail.html",
        {"draft": draft, "report": draft_report(draft), "demo": apps.is_installed("wurao.demo")},
    )

"""The policy simulator page (政策模拟): the justice bureau replays a year of the visit registry
under two rule sets, A and B, and reads their figures side by side (what `wurao simulate`
prints, for two rule sets at once).

A district-year takes up to a minute, so the run is a background job (tasks.py): the page
starts it, keeps its id in the person's session and polls it with htmx until the figures are
in. A job is its starter's only: another person's job id is a 404.
"""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from wurao.accounts.policy import policy
from wurao.common.jobs import SessionJobs
from wurao.oversight.exports import xlsx_response
from wurao.oversight.forms_simulator import BASELINE, CUSTOM, SIDES, SimulatorForm
from wurao.oversight.simulation.service import simulation_years
from wurao.oversight.tasks import UNEXPECTED, simulation_run_job

JOBS = "oversight_simulator_jobs"  # session: huey task id -> the comparison the user started
EXPECTED_SECONDS = 60
_JOBS = SessionJobs(JOBS, UNEXPECTED)
EXPORT_TABLES = ("figures", "by_rule")


# ---------------------------------------------------------------- the jobs in the session


def _job_asked(request) -> dict | None:
    """The job named by ?job=, or else the person's latest one; None if there is none."""
    task_id = request.GET.get("job", "")
    return _JOBS.resolve(request, task_id) if task_id else _JOBS.latest(request)


# ---------------------------------------------------------------- the figures, side by side


def _percent(fraction) -> float | None:
    return None if fraction is None else 100 * fraction


def _change(a, b) -> dict:
    if a is None or b is None:
        return {"diff": None, "relative": None}
    return {"diff": b - a, "relative": _percent((b - a) / a) if a else None}


def figure_rows(result: dict) -> list[dict]:
    """The comparison table: one row per figure, A's value, B's value and the change."""
    a, b = result.get("baseline", {}), result.get("proposal", {})

    def per(figures: dict, key: str):
        return (figures.get("visits_per_enterprise") or {}).get(key)

    specs = [
        ("onsite_visits", gettext("现场入企次数"), "int", lambda f: f.get("onsite_visits")),
        ("enterprises", gettext("企业数"), "int", lambda f: f.get("enterprises")),
        (
            "enterprises_visited",
            gettext("被入企的企业"),
            "int",
            lambda f: f.get("enterprises_visited"),
        ),
        (
            "enterprises_never_disturbed",
            gettext("全年未被打扰的企业"),
            "int",
            lambda f: f.get("enterprises_never_disturbed"),
        ),
        ("visits_mean", gettext("每企入企次数：平均"), "dec", lambda f: per(f, "mean")),
        ("visits_p95", gettext("每企入企次数：95 分位"), "dec", lambda f: per(f, "p95")),
        ("visits_max", gettext("每企入企次数：最多"), "int", lambda f: per(f, "max")),
        (
            "department_days",
            gettext("部门人日（部门·天）"),
            "int",
            lambda f: f.get("department_days"),
        ),
        ("d_grade_enterprises", gettext("D 级企业"), "int", lambda f: f.get("d_grade_enterprises")),
        (
            "d_grade_inspected",
            gettext("其中被检查的 D 级企业"),
            "int",
            lambda f: f.get("d_grade_inspected"),
        ),
        (
            "d_grade_inspected_share",
            gettext("D 级企业受检比例"),
            "pct",
            # no D-grade enterprise: no share to speak of (not 0%)
            lambda f: (
                _percent(f.get("d_grade_inspected_share")) if f.get("d_grade_enterprises") else None
            ),
        ),
        ("findings", gettext("发现违法的检查"), "int", lambda f: f.get("findings")),
    ]
    rows = []
    for key, label, kind, read in specs:
        va, vb = read(a), read(b)
        rows.append({"key": key, "label": label, "kind": kind, "a": va, "b": vb, **_change(va, vb)})
    return rows


def rule_rows(result: dict) -> list[dict]:
    """Which rule removed how many on-site visits under A and under B (each against the year as
    recorded), B's largest first."""
    labels = result.get("rule_labels") or {}
    base = (result.get("baseline") or {}).get("onsite_visits") or 0
    removed_a = (result.get("baseline") or {}).get("by_rule") or {}
    removed_b = (result.get("proposal") or {}).get("by_rule") or result.get("by_rule") or {}
    order = list(labels) + [c for c in (*removed_a, *removed_b) if c not in labels]
    rows = [
        {
            "code": code,
            "label": gettext(labels[code]) if code in labels else code,
            "a": removed_a.get(code, 0),
            "b": removed_b.get(code, 0),
            "share": _percent(removed_b.get(code, 0) / base) if base else None,
        }
        for code in dict.fromkeys(order)
        if removed_a.get(code) or removed_b.get(code)
    ]
    return sorted(rows, key=lambda r: (-r["b"], -r["a"]))


def headline(result: dict) -> list[dict]:
    """The four fractions the issue's targets are stated in, as percentages."""
    return [
        {
            "id": "onsite-reduction",
            "label": gettext("现场入企减少"),
            "value": _percent(result.get("onsite_visits_reduction")),
        },
        {
            "id": "max-reduction",
            "label": gettext("入企最多企业的入企减少"),
            "value": _percent(result.get("max_visits_reduction")),
        },
        {
            "id": "d-coverage-kept",
            "label": gettext("仍受检查的 D 级企业"),
            "value": _percent(result.get("d_coverage_kept")),
        },
        {
            "id": "findings-kept",
            "label": gettext("保留的发现违法的检查"),
            "value": _percent(result.get("findings_kept")),
        },
    ]


def result_context(job: dict) -> dict:
    result = job["outcome"]["result"]
    rules = rule_rows(result)
    top = result.get("max_enterprise_visits") or {}
    return {
        "result": result,
        "headline": headline(result),
        "rows": figure_rows(result),
        "rules": rules,
        "chart": {
            "labels": [r["label"] for r in rules],
            "a": [r["a"] for r in rules] if any(r["a"] for r in rules) else None,
            "b": [r["b"] for r in rules],
        },
        "top": top,
        "top_diff": (top.get("proposal") or 0) - (top.get("baseline") or 0),
        "chart_height": max(220, (52 if any(r["a"] for r in rules) else 34) * len(rules) + 80),
        "max_enterprises": [
            {"side": side, **((result.get(key) or {}).get("max_enterprise") or {})}
            for side, key in (("a", "baseline"), ("b", "proposal"))
        ],
    }


# ---------------------------------------------------------------- exports


def _export(job: dict, table: str) -> HttpResponse:
    result = job["outcome"]["result"]
    year = job["year"]
    label_a, label_b = job["rules"]["a"]["label"], job["rules"]["b"]["label"]
    if table == "figures":
        headers = [
            gettext("指标"),
            gettext("规则集 A：%(label)s") % {"label": label_a},
            gettext("规则集 B：%(label)s") % {"label": label_b},
            gettext("变化（B − A）"),
        ]
        rows = [[r["label"], r["a"], r["b"], r["diff"]] for r in figure_rows(result)]
        for side, figures in (("A", result.get("baseline")), ("B", result.get("proposal"))):
            most = (figures or {}).get("max_enterprise") or {}
            if most:
                rows.append(
                    [
                        gettext("入企最多的企业（%(side)s）") % {"side": side},
                        most.get("name"),
                        most.get("visits"),
                        None,
                    ]
                )
        top = result.get("max_enterprise_visits") or {}
        if top.get("id"):
            rows.append(
                [
                    gettext("A 中入企最多的企业：%(name)s") % {"name": top.get("name")},
                    top.get("baseline"),
                    top.get("proposal"),
                    (top.get("proposal") or 0) - (top.get("baseline") or 0),
                ]
            )
        rows += [
            [h["label"], None, None, h["value"] / 100 if h["value"] is not None else None]
            for h in headline(result)
        ]
        return xlsx_response(gettext("政策模拟-%(year)s-全年数字") % {"year": year}, headers, rows)
    headers = [
        gettext("规则代码"),
        gettext("规则"),
        gettext("规则集 A 减少的现场入企：%(label)s") % {"label": label_a},
        gettext("规则集 B 减少的现场入企：%(label)s") % {"label": label_b},
    ]
    rows = [[r["code"], r["label"], r["a"], r["b"]] for r in rule_rows(result)]
    return xlsx_response(gettext("政策模拟-%(year)s-各规则效果") % {"year": year}, headers, rows)


# ---------------------------------------------------------------- pages


def _form_for_job(job: dict | None, years: list[int]) -> SimulatorForm:
    """The empty form, or the settings of the job shown, so that a rerun starts from them."""
    form = SimulatorForm(years=years)
    if job:
        form.initial["year"] = job["year"]
        for side in SIDES:
            rule = job["rules"][side]
            form.initial[f"{side}_source"] = rule["source"]
            if rule["source"] == CUSTOM and rule.get("doc") is not None:
                form.initial[f"{side}_json"] = json.dumps(rule["doc"], ensure_ascii=False, indent=2)
    return form


def _page(request, form: SimulatorForm, years: list[int], job: dict | None, status: int = 200):
    context = {
        "form": form,
        "years": years,
        "job": job,
        "expected_seconds": EXPECTED_SECONDS,
        "baseline": BASELINE,
        "custom": CUSTOM,
        "tab": "simulator",
        "perms_simulate": True,  # the page's own rule: whoever sees it may simulate
    }
    if job and (job.get("outcome") or {}).get("result") is not None:
        context.update(result_context(job))
    return render(request, "oversight/simulator.html", context, status=status)


@policy("oversight.simulate")
def simulator(request):
    years = simulation_years()
    job = _job_asked(request)
    if request.GET.get("job") and job is None:
        raise Http404
    return _page(request, _form_for_job(job, years), years, job)


@policy("oversight.simulate")
@require_POST
def simulator_run(request):
    """Start the comparison as a job; the page then polls it until the figures are in."""
    years = simulation_years()
    form = SimulatorForm(request.POST, request.FILES, years=years)
    if not form.is_valid():
        return _page(request, form, years, None)
    running = _JOBS.running(request)
    if running is not None:
        # One district-year at a time per person: the machine's cores are shared.
        form.add_error(None, gettext("上一次模拟仍在计算中，请等它完成后再开始新的模拟。"))
        return _page(request, form, years, running)
    year, rules = form.cleaned_data["year"], form.cleaned_data["rules"]
    result = simulation_run_job(request.user.pk, year, rules)
    _JOBS.keep(request, result.id, {"year": year, "rules": rules})
    return redirect(f"{reverse('oversight:simulator')}?job={result.id}")


@policy("oversight.simulate")
def simulator_result(request):
    """The job's state for the page's polling (?job=), its figures once in, or a table of
    them as XLSX (&export=xlsx&table=figures|by_rule)."""
    task_id = request.GET.get("job", "")
    if not task_id:
        return redirect("oversight:simulator")
    job = _JOBS.resolve(request, task_id)
    if job is None:
        raise Http404
    done = (job.get("outcome") or {}).get("result") is not None
    if request.GET.get("export") == "xlsx":
        table = request.GET.get("table", "figures")
        if not done or table not in EXPORT_TABLES:
            raise Http404
        return _export(job, table)
    if not request.headers.get("HX-Request"):
        return redirect(f"{reverse('oversight:simulator')}?job={task_id}")
    context = {"job": job, "expected_seconds": EXPECTED_SECONDS}
    if done:
        context.update(result_context(job))
    return render(request, "oversight/simulator_job.html", context)

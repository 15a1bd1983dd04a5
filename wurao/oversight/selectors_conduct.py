"""部门比较's conduct figures: complaints found true (in whole or in part) per department and
per officer, from the complaints app (issue [portal]). Counts only: never who complained, and
never an input of any enterprise's grade."""

from __future__ import annotations

from wurao.accounts.scope import Scope
from wurao.complaints import selectors as complaint_selectors
from wurao.registry import selectors as registry_selectors


def conduct_data(*, scope: Scope, slice, rows: list[dict]) -> dict:
    """Per department: complaints filed in the slice's period, those substantiated, and per
    1,000 inspections (the tab's `rows`); the officers with substantiated complaints. The
    bureau sees every department complained about, a department itself only (a street none)."""
    counts = complaint_selectors.conduct_counts(date_from=slice.date_from, date_to=slice.date_to)
    inspections = {x["department_id"]: x.get("inspections") or 0 for x in rows}
    names = {x["department_id"]: x["department"] for x in rows}
    if scope.sees_all:
        visible = set(names) | set(counts["filed"])
    elif scope.department_id:
        visible = {scope.department_id}
    else:
        visible = set()
    missing = visible - set(names)
    if missing:
        names |= dict(
            registry_selectors.department_list().filter(pk__in=missing).values_list("pk", "name")
        )
    table = []
    for pk in sorted(visible, key=lambda pk: names.get(pk, "")):
        substantiated = counts["substantiated"].get(pk, 0)
        done = inspections.get(pk, 0)
        table.append(
            {
                "department_id": pk,
                "department": names.get(pk, ""),
                "filed": counts["filed"].get(pk, 0),
                "substantiated": substantiated,
                "per_thousand": round(substantiated * 1000 / done, 2) if done else None,
            }
        )
    officers = [o for o in counts["officers"] if o["officer__department_id"] in visible]
    return {"rows": table, "officers": officers[:20]}

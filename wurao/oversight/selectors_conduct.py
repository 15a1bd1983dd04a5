"""部门比较's conduct figures: complaints found true (in whole or in part) per department and
per officer, from the complaints app (issue [portal]). Counts only: never who complained, and
never an input of any enterprise's grade."""

from __future__ import annotations

from wurao.accounts.scope import Scope
from wurao.complaints import selectors as complaint_selectors


def conduct_data(*, scope: Scope, slice, rows: list[dict]) -> dict:
    """Per department of `rows` (the tab's, already scoped): complaints filed in the slice's
    period, those substantiated, and per 1,000 inspections; the officers with substantiated
    complaints, within the same departments."""
    counts = complaint_selectors.conduct_counts(date_from=slice.date_from, date_to=slice.date_to)
    visible = {x["department_id"] for x in rows}
    if not scope.sees_all:
        visible &= {scope.department_id} if scope.department_id else set()
    table = []
    for x in rows:
        pk = x["department_id"]
        if pk not in visible:
            continue
        substantiated = counts["substantiated"].get(pk, 0)
        filed = counts["filed"].get(pk, 0)
        inspections = x.get("inspections") or 0
        table.append(
            {
                "department_id": pk,
                "department": x["department"],
                "filed": filed,
                "substantiated": substantiated,
                "per_thousand": round(substantiated * 1000 / inspections, 2)
                if inspections
                else None,
            }
        )
    officers = [o for o in counts["officers"] if o["officer__department_id"] in visible]
    return {"rows": table, "officers": officers[:20]}

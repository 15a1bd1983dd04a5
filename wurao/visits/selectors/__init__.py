"""Reads on the visit registry, by sub-domain: what a registration reads (registration), the
visits a person may see (visits) and what the supervision pages read (supervision). The
registration's hand-written SQL is in wurao/visits/sql.py; locks are the services' to take.

`from wurao.visits import selectors` keeps working for every caller: the names are here."""

from wurao.visits.selectors.registration import (
    COUNTED_STATUSES,
    enterprise_grade,
    enterprise_history,
    enterprise_limits,
    matter_key,
    registration_items,
    registration_officers,
    rules_cache_clear,
    rules_current,
    rules_version_current,
    rules_versions,
    visit_join_target,
)
from wurao.visits.selectors.supervision import (
    AlertView,
    CapUse,
    EnterpriseCounts,
    RatingSummary,
    enterprise_counts,
    rating_summary,
    ratings_list,
    refusal_list,
    visit_alerts_list,
    visits_pending_rating,
)
from wurao.visits.selectors.visits import (
    CodeCheck,
    non_enforcement_list,
    override_list,
    override_queue,
    visit_code_check,
    visit_detail,
    visit_get,
    visit_list,
    visit_unready,
)

__all__ = [
    "COUNTED_STATUSES",
    "AlertView",
    "CapUse",
    "CodeCheck",
    "EnterpriseCounts",
    "RatingSummary",
    "enterprise_counts",
    "enterprise_grade",
    "enterprise_history",
    "enterprise_limits",
    "matter_key",
    "non_enforcement_list",
    "override_list",
    "override_queue",
    "rating_summary",
    "ratings_list",
    "refusal_list",
    "registration_items",
    "registration_officers",
    "rules_cache_clear",
    "rules_current",
    "rules_version_current",
    "rules_versions",
    "visit_alerts_list",
    "visit_code_check",
    "visit_detail",
    "visit_get",
    "visit_join_target",
    "visit_list",
    "visit_unready",
    "visits_pending_rating",
]

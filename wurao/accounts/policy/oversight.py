"""The oversight rules: the justice bureau's dashboard and its figures over the API."""

from django.utils.translation import gettext_lazy

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import is_bureau

# The justice bureau supervises all departments; no department reads the others' totals.
declare(
    "oversight.supervise",
    is_bureau,
    message=gettext_lazy("仅司法局（执法监督）可查看执法监督汇总"),
)

# The policy simulator replays a whole district-year: the justice bureau's tool, nobody else's.
declare(
    "oversight.simulate",
    is_bureau,
    message=gettext_lazy("仅司法局（执法监督）可使用政策模拟"),
)

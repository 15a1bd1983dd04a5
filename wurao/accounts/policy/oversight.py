"""The oversight rules: the justice bureau's dashboard and its figures over the API."""

from django.utils.translation import gettext_lazy

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import is_bureau, is_department_admin, is_street

# The justice bureau supervises all departments; a department's admin and a street's
# coordinator see the same dashboard over their own scope (wurao/accounts/scope.py): a
# department its own records, a street its own area. Inspectors and enterprises do not.
declare(
    "oversight.supervise",
    is_bureau | is_department_admin | is_street,
    message=gettext_lazy("仅司法局、部门管理员和街道统筹人员可查看执法监督看板"),
)

# The policy simulator replays a whole district-year: the justice bureau's tool, nobody else's.
declare(
    "oversight.simulate",
    is_bureau,
    message=gettext_lazy("仅司法局（执法监督）可使用政策模拟"),
)

"""The rules of [outcomes] (cases): penalties and coercive measures, discretion standards
(裁量基准), exemption lists (免罚清单) and observation periods (新业态观察期).

- A department's officers open and decide their own department's cases; the bureau reads
  every case; an enterprise reads its own decided cases (the selectors keep the rest away).
- A department admin keeps the department's discretion standards; they are published rules,
  read by every officer and enterprise.
- The justice bureau keeps the city's and the district's exemption lists, a department admin
  the department's own: a department adds to the lists above it, never removes or
  deactivates their entries (the upper list's rule refuses it).
- The justice bureau keeps the observation periods of new business types.

What a person sees stays the selectors' (out of scope is a 404)."""

import rules
from django.utils.translation import gettext_lazy as _

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import (
    is_bureau,
    is_department_admin,
    is_department_staff,
    is_enterprise,
    is_officer,
    of_own_department,
)


@rules.predicate
def keeps_the_list(user, exemption_list) -> bool:
    """The city's and the district's lists are the bureau's; a department's list its admin's."""
    if exemption_list is None:
        return is_bureau(user) or is_department_admin(user)
    if exemption_list.level in ("city", "district"):
        return is_bureau(user)
    return is_department_admin(user) and exemption_list.department_id == user.department_id


declare("cases.browse", is_bureau | is_department_staff | is_enterprise)
declare(
    "cases.handle",
    is_department_staff & of_own_department,
    message=_("只有本部门执法人员可以办理本部门的案件"),
)
declare("cases.standards_browse", is_officer | is_enterprise)
declare(
    "cases.standard_manage",
    is_department_admin & of_own_department,
    message=_("裁量基准由本部门管理员制定和修改"),
)
declare("cases.exemptions_browse", is_officer | is_enterprise)
declare(
    "cases.exemption_manage",
    keeps_the_list,
    message=_(
        "市级、区级免罚清单由司法局维护；部门只能在本部门清单中增加事项，不能删除或停用上级清单的事项"
    ),
)
declare("cases.observation_browse", is_officer | is_enterprise)
declare(
    "cases.observation_manage",
    is_bureau,
    message=_("新业态观察期由司法局确定"),
)

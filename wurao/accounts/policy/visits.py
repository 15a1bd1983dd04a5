"""The visit registry's rules (入企登记): who registers, who works on a visit, who decides an
override, who rates it, who supervises.

A department's people register in the name of their own department and work on the visits
their department takes part in; the justice bureau sees and may act on every visit; the lead
department's admin (or the bureau) decides an override; the enterprise rates its own visits."""

import rules
from django.utils.translation import gettext_lazy

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import (
    is_bureau,
    is_department_admin,
    is_department_staff,
    is_enterprise,
    is_officer,
    is_own_department,
    of_own_department,
    of_own_enterprise,
)


@rules.predicate
def takes_part(user, visit) -> bool:
    """The person's department is one of the visit's (departments prefetched or not)."""
    if visit is None:
        return True
    return any(d.pk == user.department_id for d in visit.departments.all())


# Registering, and every write from the field (check-in and out, officers, results, cancel).
declare(
    "visits.register",
    is_department_staff,
    message=gettext_lazy(
        "只有执法人员或部门管理员（以本人所在部门）可以登记入企、签到签退、录入检查结果和撤销登记"
    ),
)
# The officers' pages (list, one visit): an enterprise has its own (/visits/mine/).
declare("visits.browse", is_officer)
# The buttons on a visit's page: its departments' own people.
declare("visits.take_part", is_department_staff & takes_part)
# What the services allow on a visit: its departments' people, or the bureau.
declare(
    "visits.act_on",
    is_bureau | (is_department_staff & takes_part),
    message=gettext_lazy("只有参加本次入企的部门可以操作"),
)
# Acting in a department's name (joining, naming officers, results, a joint visit's cancel):
# its own people, or the bureau. The refusals name the department (the services word them).
declare("visits.act_for", is_bureau | (is_department_staff & is_own_department))
# A second approver for a registration that breaks a rule; without a visit: the queue.
declare(
    "visits.override_decide",
    is_bureau | (is_department_admin & of_own_department),
    message=gettext_lazy("只有牵头部门的管理员或司法局可以审批突破规则的入企"),
)
declare(
    "visits.rate",
    is_enterprise & of_own_enterprise,
    message=gettext_lazy("只有被检查企业可以评价本次入企"),
)
declare("visits.portal", is_enterprise)  # an enterprise's visits, caps and ratings
declare("visits.rules_publish", is_bureau, message=gettext_lazy("入企规则由司法局制定"))
declare("visits.supervise", is_bureau)  # rules, alerts, refusals
declare("visits.ratings_browse", is_bureau | is_department_admin)

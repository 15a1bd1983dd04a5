"""Planning's rules (联合检查统筹): monthly plans, campaigns and capacity; the month's schedule
and its joint visits; the consolidated form's results; park days; the enterprise's portal.

A department's admin and inspectors file their own department's plans; the justice bureau
reads every plan and writes none. A street coordinator schedules and adjusts the visits of
its street and arranges its park days, the bureau those of any street. An enterprise asks for
another date and declares its days, for itself only.

The services also let a superuser act on a department, street or enterprise named to them
(scripts, the shell); a superuser has none of their own, so the pages for one's own
department or enterprise stay closed to them.
"""

import rules
from django.utils.translation import gettext_lazy as _

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import (
    is_bureau,
    is_department_admin,
    is_department_staff,
    is_enterprise,
    is_officer,
    is_street,
    of_own_enterprise,
)


def _anchor_id(obj, anchor: str):
    """The department (or street) an object belongs to, or the object's own id when it is one."""
    if obj._meta.model_name == anchor:
        return obj.pk
    return getattr(obj, f"{anchor}_id", None)


@rules.predicate
def for_own_department(user, obj) -> bool:
    """The department itself, or an object of it (plan, campaign), is the person's own."""
    return obj is None or _anchor_id(obj, "department") == user.department_id


@rules.predicate
def for_own_street(user, obj) -> bool:
    """The street itself, or an object in it (a joint visit), is the person's own."""
    return obj is None or _anchor_id(obj, "street") == user.street_id


@rules.predicate
def is_superuser_on_a_named_one(user, obj) -> bool:
    """A superuser may act on a department, street or enterprise a script names, never
    without one (see the module's note)."""
    return obj is not None and bool(user.is_superuser)


@rules.predicate
def on_the_form(user, form) -> bool:
    """The person's department has lines on the consolidated form (it takes part in the
    visit); `form` is planning's ConsolidatedForm, read by its lines' department names."""
    if form is None:
        return True
    name = user.department.name if user.department_id else None
    return any(line.department == name for line in form.lines)


# ---------------------------------------------------------------- plans, campaigns, capacity

# Plans and campaigns: a department its own, the bureau all departments' (read-only).
declare("planning.plans_read", is_department_staff | is_bureau)
# The bureau's view over every department's plans (the department picker, no forms).
declare("planning.plans_review", is_bureau)
# Filing: entries, withdrawals, submitting, the import, campaigns and their publication.
declare(
    "planning.plan",
    (is_department_staff & for_own_department) | is_superuser_on_a_named_one,
    message=_("只能填报本部门的检查计划"),
)
declare(
    "planning.capacity_set",
    (is_department_admin & for_own_department) | is_superuser_on_a_named_one,
    message=_("只能由本部门管理员设置检查能力"),
)

# ---------------------------------------------------------------- the month and its joint visits

# The month's schedule: its pages, the scheduler run and the duplicate check.
declare("planning.schedule", is_bureau | is_street, message=_("排期由司法局或街道协调员发起"))
# Move, split, merge and confirm a proposed visit: the coordinator of the enterprise's street.
declare(
    "planning.joint_visit_coordinate",
    is_bureau | (is_street & for_own_street),
    message=_("只有企业所在街道的协调员可以调整联合入企"),
)
# A department's own assignments (the dates it was given and who else comes).
declare("planning.assignments", is_department_staff)
# Links into the visit's registration page (签到、结果): the government side's, not the
# enterprise's, which has its portal.
declare("planning.visit_registration_open", is_officer)

# ---------------------------------------------------------------- the consolidated form

# Entering or correcting results on the form page: a department on the visit.
declare(
    "planning.form_results_enter",
    is_department_staff & on_the_form,
    message=_("只有参加本次入企的部门可以录入检查结果"),
)
# The results service: only for the person's own department.
declare(
    "planning.form_results_record",
    (is_department_staff & for_own_department) | is_superuser_on_a_named_one,
    message=_("只能录入本部门的检查结果"),
)

# ---------------------------------------------------------------- park days

declare(
    "planning.park_day_arrange",
    is_bureau | (is_street & for_own_street),
    message=_("只有本街道的协调员可以安排联合整园执法日"),
)

# ---------------------------------------------------------------- the enterprise's portal

# Its joint visits (dates, departments, items, the visit code).
declare("planning.portal", is_enterprise)
declare(
    "planning.joint_visit_request_change",
    is_enterprise & of_own_enterprise,
    message=_("只有被检查企业可以申请改期"),
)
# Its days (不便接受检查 / 希望安排检查) for the scheduler to keep to.
declare(
    "planning.slot_declare",
    is_enterprise & of_own_enterprise,
    message=_("企业只能申报本企业的日期"),
)

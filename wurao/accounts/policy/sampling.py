"""The double-random draws' rules (双随机、一公开): who opens the draw pages, who creates a task,
who runs it (commit, draw, close), who records results.

The lead department's admins run a task; every department taking part records its own
results; the justice bureau reads every task. Which tasks a person sees stays the selectors'
(a task outside the scope is a 404); the public pages and the bundle are for anyone.
"""

import rules
from django.utils.translation import gettext_lazy as _

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import (
    is_bureau,
    is_department_admin,
    is_department_staff,
    is_own_department,
    of_own_department,
)


@rules.predicate
def leads_the_task(user, task) -> bool:
    return task is None or task.lead_department_id == user.department_id


@rules.predicate
def takes_part_in_the_task(user, task) -> bool:
    return task is None or any(
        p.department_id == user.department_id for p in task.participants.all()
    )


# The draw pages are for the enforcement departments and the bureau that supervises them.
declare("sampling.browse", is_bureau | is_department_staff)
# A department admin drafts a task for their own department (the form fixes the lead
# department to theirs; the other departments of a joint task take part, they do not run it).
# The object, for the service: the lead department.
declare(
    "sampling.create",
    is_department_admin & is_own_department,
    message=_("只有部门管理员可以创建抽查任务，且牵头部门须为本部门"),
)
declare(
    "sampling.run",
    is_department_admin & leads_the_task,
    message=_("只有牵头部门的管理员可以承诺、抽取和办结抽查任务"),
)
# The pages' rule (the task); the service's (a participant): each department its own results.
declare("sampling.record_results", is_department_staff & takes_part_in_the_task)
declare(
    "sampling.result_record",
    is_department_staff & of_own_department,
    message=_("只能录入本部门的抽查结果"),
)

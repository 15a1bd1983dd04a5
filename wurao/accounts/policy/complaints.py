"""The rules of 投诉与举报 (complaints and whistleblowing).

Anyone may file and follow a case by its receipt and secret (PUBLIC pages, rate-limited). The
justice bureau's supervision office handles every complaint and every report: a complaint
never reaches the department complained about (study 二.八). A department sees only the
statement requests and the whistleblowing reports addressed to it, never who filed them. An
enterprise sees the complaints it filed under its name.
"""

import rules
from django.utils.translation import gettext_lazy as _

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import (
    is_bureau,
    is_department_staff,
    is_enterprise,
    of_own_department,
)


@rules.predicate
def not_the_requester(user, reveal) -> bool:
    """A whistleblower's identity needs two people: the approver is not who asked."""
    return reveal is None or reveal.requested_by_id != user.pk


# The supervision office (司法局执法监督): the queue, acceptance, statements, answers, reveals.
declare("complaints.office", is_bureau, message=_("只有司法局执法监督机构可以办理投诉"))
# An enterprise's own complaints filed under its name.
declare("complaints.mine", is_enterprise)
# A department answers the statement requests addressed to it.
declare("complaints.statement_browse", is_department_staff)
declare(
    "complaints.statement_answer",
    is_department_staff & of_own_department,
    message=_("只有被要求说明情况的部门可以作出说明"),
)
# Whistleblowing: the bureau handles and assigns; the assigned department reports back.
declare("complaints.whistle_office", is_bureau, message=_("只有司法局可以办理内部举报"))
declare(
    "complaints.whistle_reveal_approve",
    is_bureau & not_the_requester,
    message=_("查看举报人身份须由申请人以外的另一名司法局人员批准"),
)
declare("complaints.whistle_assigned", is_department_staff)
declare(
    "complaints.whistle_report",
    is_department_staff & of_own_department,
    message=_("只有承办部门可以反馈核查情况"),
)

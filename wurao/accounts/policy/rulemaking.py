"""The rules of 标准冲突与征求意见 (rulemaking): the conflict register, consultations on draft
standards and the contact-point enterprises (龙华区司法局 2022 调研报告 二.五、三.五).

What a person sees is the selectors' (out of scope is a 404): the register and the published
consultations are public; a report not yet triaged is its reporter's and the bureau's; a draft
its department's; a contact point its enterprise's, its street's and the bureau's.
"""

import rules
from django.utils.translation import gettext_lazy as _

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import (
    is_bureau,
    is_department_staff,
    is_enterprise,
    is_officer,
    is_street,
    of_own_department,
    of_own_street,
)


@rules.predicate
def concerns_own_department(user, conflict) -> bool:
    """The person's department coordinates the conflict or applies one of its requirements."""
    if conflict is None:
        return True
    if conflict.coordinating_department_id == user.department_id:
        return True
    return any(r.department_id == user.department_id for r in conflict.requirements.all())


# Conflicts: anyone on either side reports; the bureau triages, coordinates and resolves.
declare("rulemaking.conflict_report", is_officer | is_enterprise)
declare(
    "rulemaking.conflict_triage",
    is_bureau,
    message=_("标准冲突由区司法局受理和协调"),
)
declare(
    "rulemaking.conflict_statement",
    is_department_staff & concerns_own_department,
    message=_("只有协调部门或适用该要求的部门可以发表意见"),
)
# Consultations: a department manages its own drafts; enterprises comment (named as the
# enterprise or an association), never anonymous visitors.
declare(
    "rulemaking.consultation_manage",
    is_department_staff & of_own_department,
    message=_("只有起草部门可以管理本部门的征求意见"),
)
declare(
    "rulemaking.consultation_comment",
    is_enterprise,
    message=_("请以企业账号登录后提交意见"),
)
# Contact points: the bureau designates; the bureau and the street log feedback.
declare("rulemaking.contact_points_browse", is_bureau | is_street | is_enterprise)
declare(
    "rulemaking.contact_point_designate",
    is_bureau,
    message=_("涉企执法联系点由区司法局确定"),
)
declare(
    "rulemaking.contact_feedback_log",
    is_bureau | (is_street & of_own_street),
    message=_("只有区司法局或联系点所在街道可以登记反映和跟进"),
)

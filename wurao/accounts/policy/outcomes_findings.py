"""The rules of [outcomes] (findings): what an inspection found, the one-time notice
(一次性告知) and each rectification's follow-up.

A department records its own actions' item results, issues their notice and decides its own
rectifications (rejects a report, closes it by a documentary check or a re-check); the
enterprise reads its notices and reports its rectification on the portal; the justice bureau
decides the clashes between departments' requirements. A street reads its area's
rectifications; the bureau reads all. What a person sees stays the selectors' (out of scope
is a 404)."""

from django.utils.translation import gettext_lazy as _

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import (
    is_bureau,
    is_department_staff,
    is_enterprise,
    is_officer,
    of_own_department,
    of_own_enterprise,
)

# The government side's lists and rectification pages (a street and the bureau read only).
declare("findings.browse", is_officer)
# Anyone with a scope reads rectifications and an action's item results through the API.
declare("findings.read", is_officer | is_enterprise)
# An action's item results and its notice: its own department only.
declare(
    "findings.record",
    is_department_staff & of_own_department,
    message=_("只有实施检查的部门可以录入检查结果、告知问题"),
)
# Rejecting a report, closing by a documentary check or a re-check: the ordering department.
declare(
    "findings.close",
    is_department_staff & of_own_department,
    message=_("只有下达整改的部门可以核查、退回或关闭整改"),
)
# The enterprise's own notices and rectifications, and its report.
declare("findings.mine", is_enterprise)
declare(
    "findings.report",
    is_enterprise & of_own_enterprise,
    message=_("只有被责令整改的企业本身可以报告整改情况"),
)
# Two departments asking different things of one enterprise: the justice bureau decides.
declare("findings.clashes", is_bureau, message=_("只有司法局可以处理整改要求冲突"))

"""The rules of [outcomes] (offsite): a department's staff record its own off-site inspections
(非现场检查); anyone on the government side reads them — a department its own, a street its
area's, the bureau all. What a person sees stays the selectors' (out of scope is a 404)."""

from django.utils.translation import gettext_lazy as _

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import is_department_staff, is_officer, is_own_department

declare("offsite.browse", is_officer)
declare(
    "offsite.record",
    is_department_staff & is_own_department,
    message=_("只有本部门的执法人员可以录入本部门的非现场检查"),
)

"""The credit rules (信用分级分类): the enterprise's portal, the departments' reviews and
commitments, the bureau's points tables and regrades.

What a person sees stays the selectors' (out of scope is a 404): a department the requests
addressed to it, a street its area, an enterprise itself, the bureau everything. The points
tables are readable by every signed-in user.
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
    of_own_department,
    of_own_enterprise,
)


@rules.predicate
def offers_the_item(user, commitment) -> bool:
    """A commitment is recorded by the department that offers its item."""
    return commitment is None or commitment.item.department_id == user.department_id


@rules.predicate
def answers_for_no_department(user) -> bool:
    """Someone with no department of their own (the bureau, an import or the demo's build) or
    a superuser: registering a decision is not limited to one department."""
    return getattr(user, "department_id", None) is None or getattr(user, "is_superuser", False)


# Anyone with a place on the credit pages: the government side and the enterprises.
declare("credit.browse", is_officer | is_enterprise)
# Who moved to which grade is the government side's list (an enterprise has its portal).
declare("credit.grade_changes", is_officer)
# The enterprise's own acts about its own record.
declare(
    "credit.review_request",
    is_enterprise & of_own_enterprise,
    message=_("只有企业本身可以对本企业的记录提出异议或申请信用修复"),
)
declare(
    "credit.commitment_sign",
    is_enterprise & of_own_enterprise,
    message=_("只有企业本身可以签署本企业的信用承诺"),
)
# Reviews and commitments are worked by the departments, supervised by the bureau.
declare("credit.reviews_browse", is_bureau | is_department_staff)
declare("credit.review_decide", is_department_admin & of_own_department)
# The service's own guard, for callers other than the page (which checks review_decide).
declare(
    "credit.review_register",
    answers_for_no_department | of_own_department,
    message=_("只有记录所属部门可以审核"),
)
declare(
    "credit.commitment_decide",
    is_department_admin & offers_the_item,
    message=_("只有承诺事项所属部门的管理员可以认定履约情况"),
)
# The rules enterprises are graded by, and the regrade that applies them, are the bureau's.
declare("credit.table_publish", is_bureau)
declare("credit.regrade", is_bureau)
# Backtesting tables on the district's inspections, and calibrating a draft from them: the
# bureau's evidence for a new version (a draft grades nobody; publishing is table_publish).
declare("credit.table_backtest", is_bureau)

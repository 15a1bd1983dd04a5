"""The rules of 执法标准与政策 (standards).

The library is read by anyone (PUBLIC): enterprises, officers and visitors read the law they are
held to. A department's administrator imports its own department's documents and links its own
items to the articles they enforce; the bureau imports and links any, and documents that belong
to no single department (general law such as 《行政处罚法》).
"""

from django.utils.translation import gettext_lazy as _

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import is_bureau, is_department_admin, of_own_department

declare(
    "standards.import",
    is_bureau | (is_department_admin & of_own_department),
    message=_("只有部门管理员（本部门文件）或司法局可以导入标准与政策"),
)
declare(
    "standards.item_link",
    is_bureau | (is_department_admin & of_own_department),
    message=_("只有事项所属部门的管理员或司法局可以关联条文"),
)

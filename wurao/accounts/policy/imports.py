"""The imports' rules: the bureau's import page rewrites the shared registry and catalogue."""

from django.utils.translation import gettext_lazy as _

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import is_bureau

# Imports rewrite the shared registry: only the justice bureau (or a superuser) may run them,
# and any of them may follow any background import.
declare("imports.run", is_bureau, message=_("数据导入会改写共用的两库和事项清单，仅限司法局操作"))

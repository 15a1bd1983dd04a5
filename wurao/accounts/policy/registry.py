"""The registry's rules (两库): enterprises, inspectors, streets.

The lists themselves are open to everyone signed in (SIGNED_IN): what each person sees in them
is the Scope's job. These rules say who *browses* a list, where the answer differs by role."""

import rules
from django.utils.translation import gettext_lazy

from wurao.accounts.choices import Role
from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import is_officer, is_signed_in


@rules.predicate
def acts_for_an_enterprise(user) -> bool:
    """An enterprise's own account, whether or not it is yet linked to its enterprise (a
    superuser counts as the bureau, whatever its role says)."""
    return is_signed_in(user) and user.role == Role.ENTERPRISE and not user.is_superuser


# An enterprise has one file, its own: the enterprise list sends it there, and no page offers
# it the list (the menu, the streets' enterprise counts, the file's breadcrumb).
declare("registry.enterprises_browse", is_signed_in & ~acts_for_an_enterprise)

# Staff lists are for the government side; an enterprise checks one badge at a time (/v/).
# The page and /api/inspectors/ alike.
declare(
    "registry.inspectors_browse",
    is_officer,
    message=gettext_lazy("执法人员名单仅供政府部门查看；企业可在入企码核验页核对执法人员"),
)

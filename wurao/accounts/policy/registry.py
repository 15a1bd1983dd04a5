"""The registry's rules (两库): enterprises, inspectors, streets."""

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import is_officer

# Staff lists are for the government side; an enterprise checks one badge at a time (/v/).
declare("registry.inspectors_browse", is_officer)

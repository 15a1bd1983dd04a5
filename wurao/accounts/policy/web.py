"""The menu's rules. Who sees an entry is the rule of the page it links to; the rules here are
for where the menu offers a page to fewer people than may open it, each role getting the
entries of its own work (an entry shows when both allow, so the menu never offers a page that
would refuse)."""

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import is_department_staff, is_street
from wurao.accounts.policy.registry import acts_for_an_enterprise

# An enterprise's menu is its own pages (its file, visits, joint inspections, credit), one link
# each; everyone else gets the officers' groups.
declare("web.enterprise_menu", acts_for_an_enterprise)

# /visits/ is open to the whole government side (visits.browse); the menu offers it to those
# who register visits and the streets that watch them: the bureau has 入企监督 instead.
declare("web.menu_visit_register", is_department_staff | is_street)

# A department answers reviews (/credit/reviews/, which the bureau may open too); everyone
# else's credit entry is the grade changes.
declare("web.menu_credit_reviews", is_department_staff)

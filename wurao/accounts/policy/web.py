"""The menu's rules: to whom each entry is offered, where the menu offers a page to fewer people
than may open it (each role gets the entries of its own work: the bureau supervises visits
rather than registering them). The page's own rule still has the last word, so the menu never
offers a page that would refuse: an entry shows when both allow. They are also the menu's
fallback for a page that does not name its rule yet."""

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import is_bureau, is_department_staff, is_street
from wurao.accounts.policy.registry import acts_for_an_enterprise

# An enterprise's menu is its own pages (its file, visits, joint inspections, credit), one link
# each; everyone else gets the officers' groups.
declare("web.enterprise_menu", acts_for_an_enterprise)

declare("web.menu_visit_supervision", is_bureau)  # /visits/alerts/
declare("web.menu_visit_register", is_department_staff | is_street)  # /visits/
declare("web.menu_draws", is_department_staff | is_bureau)  # /draws/
declare("web.menu_plans", is_department_staff | is_bureau)  # /planning/plans/
declare("web.menu_assignments", is_department_staff)  # /planning/assignments/
# /planning/schedule/ and /planning/park-days/: the streets coordinate, the bureau watches.
declare("web.menu_coordination", is_street | is_bureau)
# A department answers reviews (/credit/reviews/); the others follow the grade changes.
declare("web.menu_credit_reviews", is_department_staff)
# The big 登记入企 button on the home page: for those who register visits (/visits/new/).
declare("web.menu_register_button", is_department_staff)

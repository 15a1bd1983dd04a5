"""The rules of 预约服务 (bookings): enterprises book the service teams' slots; a team is run by
the department admin of its department, or by the street coordinator for a street's team; the
bureau sees all of it. What a person sees stays the selectors' (out of scope is a 404).

A team, a slot and a booking answer `department_id` and `street_id` with their team's owner, so
one predicate serves all three.
"""

from django.utils.translation import gettext_lazy as _

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import (
    is_bureau,
    is_department_admin,
    is_enterprise,
    is_street,
    of_own_department,
    of_own_enterprise,
    of_own_street,
)

runs_the_team = (is_department_admin & of_own_department) | (is_street & of_own_street)

# The enterprise's side: browse the slots, book, its own bookings.
declare(
    "bookings.slots_browse",
    is_enterprise,
    message=_("服务时段供企业浏览和预约；服务队伍请到“服务队伍”页"),
)
# Through the API, the teams' side and the bureau read the open slots in their scope too.
declare("bookings.slots_read", is_enterprise | is_department_admin | is_street | is_bureau)
declare(
    "bookings.book",
    is_enterprise & of_own_enterprise,
    message=_("只有企业本身可以为本企业预约服务"),
)
declare("bookings.mine", is_enterprise, message=_("“我的预约”是企业的页面"))
declare(
    "bookings.booking_change",
    is_enterprise & of_own_enterprise,
    message=_("只有预约的企业本身可以改约或取消"),
)
# A booking's page: the enterprise, the team that serves it, the bureau (scoped by the selector).
declare("bookings.booking_view", is_enterprise | is_department_admin | is_street | is_bureau)
# The teams' side: their teams, slots and the bookings to confirm and record.
declare("bookings.teams_browse", is_department_admin | is_street | is_bureau)
declare(
    "bookings.team_create",
    is_department_admin | is_street,
    message=_("只有部门管理员或街道统筹人员可以设立服务队伍"),
)
declare(
    "bookings.team_manage",
    runs_the_team,
    message=_("只有服务队伍所属部门的管理员或所属街道的统筹人员可以管理该队伍"),
)
declare("bookings.overview", is_bureau)

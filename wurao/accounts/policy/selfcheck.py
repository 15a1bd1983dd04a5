"""The rules of 自查自纠 (selfcheck): the enterprise runs its own self-inspections; the
departments read the completed ones that cover their items (their entries only), the street
its area's completion and its parks' rates, the bureau everything. A street runs park
campaigns in its own parks.

What a person sees stays the selectors' (out of scope is a 404)."""

from django.utils.translation import gettext_lazy as _

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import (
    is_bureau,
    is_enterprise,
    is_officer,
    is_street,
    of_own_enterprise,
    of_own_street,
)

declare("selfcheck.browse", is_officer | is_enterprise)
declare(
    "selfcheck.run",
    is_enterprise & of_own_enterprise,
    message=_("只有企业本身可以进行本企业的自查"),
)
declare("selfcheck.parks", is_bureau | is_street)
declare(
    "selfcheck.campaign_run",
    is_street & of_own_street,
    message=_("只有园区所在街道可以发起园区自查"),
)

"""The enterprise's home (企业服务): its own page, for its own account only."""

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import is_enterprise

declare("portal.home", is_enterprise)

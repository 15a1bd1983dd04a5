"""The authorisation matrix's later capabilities, one module each (authz_ext_<app>.py).

Each module declares, like authz_targets.py does for the first ones:

- ``build(world)``: its records of each scope, made through its services on the world's day,
  kept in ``world[k].extra`` (and ``world.extra`` for records of no scope);
- ``VISIBLE``: who sees a record of each of its kinds;
- ``TARGETS``: route name -> the records its URL names;
- ``BODIES``: route name -> a body valid for the writer's own scope;
- ``shown(world, k)``: text that would show a record of scope k, as {text: Target}, which no
  page served to an identity that may not see it may contain.
"""

from wurao.web.tests import (
    authz_ext_bookings,
    authz_ext_complaints,
    authz_ext_outcomes_cases,
    authz_ext_outcomes_documents,
    authz_ext_outcomes_findings,
    authz_ext_outcomes_offsite,
    authz_ext_rulemaking,
    authz_ext_selfcheck,
    authz_ext_standards,
)

EXTENSIONS = (
    authz_ext_standards,
    authz_ext_selfcheck,
    authz_ext_rulemaking,
    authz_ext_bookings,
    authz_ext_complaints,
    authz_ext_outcomes_documents,
    authz_ext_outcomes_findings,
    authz_ext_outcomes_offsite,
    authz_ext_outcomes_cases,
)

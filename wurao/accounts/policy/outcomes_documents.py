"""The rules of [outcomes] (documents and duty records): who may have the documents of a case, a
notice or an inspection, and a record's duty record (尽职记录).

Documents: the department of the record and the justice bureau; the enterprise its own (a case
once decided). A duty record: the department of the record (for a visit, any department on it),
the bureau, and an officer named on it. Streets neither. What a person sees stays the
selectors' (wurao/outcomes/documents/selectors.py, wurao/outcomes/duty.py: out of scope is a
404)."""

import rules
from django.utils.translation import gettext_lazy as _

from wurao.accounts.policy.core import declare
from wurao.accounts.policy.predicates import (
    is_bureau,
    is_department_staff,
    is_enterprise,
    of_own_department,
    of_own_enterprise,
)


@rules.predicate
def takes_part(user, obj) -> bool:
    """The record is the person's department's, names a department of theirs among those on
    it (a joint visit), or names the person among its officers."""
    if obj is None:
        return True
    if getattr(obj, "department_id", None) == user.department_id:
        return True
    departments = getattr(obj, "departments", None)
    if departments is not None and departments.filter(pk=user.department_id).exists():
        return True
    officers = getattr(obj, "officers", None)
    inspector_id = getattr(user, "inspector_id", None)
    return bool(inspector_id and officers is not None and officers.filter(pk=inspector_id).exists())


_documents = (
    is_bureau | (is_department_staff & of_own_department) | (is_enterprise & of_own_enterprise)
)
_refused = _("只有本案（本次检查）的执法部门、司法局和当事企业可以生成该文书")

declare("outcome_docs.decision", _documents, message=_refused)
declare("outcome_docs.notice", _documents, message=_refused)
declare("outcome_docs.record", _documents, message=_refused)
declare(
    "outcome_docs.duty",
    is_bureau | (is_department_staff & takes_part),
    message=_("尽职记录只对记录所属部门、司法局和参与的执法人员开放"),
)

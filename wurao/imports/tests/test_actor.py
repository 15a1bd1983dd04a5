"""import_run checks the actor itself ([hardening]), as the import page does: imports rewrite
the shared registry, so only the justice bureau (or the platform's own command) runs them."""

import pytest
from django.core.exceptions import PermissionDenied

from wurao.audit.models import AuditEvent
from wurao.imports.services import import_run
from wurao.imports.tests.files import ENTERPRISE_HEADER, csv_bytes
from wurao.registry.models import Enterprise

pytestmark = pytest.mark.django_db

ROW = ["91440300708461136T", "深圳市甲科技有限公司", "企业", "福城街道", "", "", "", "否"]


@pytest.mark.parametrize("who", ["dept_admin", "street_user", "enterprise_user"])
@pytest.mark.parametrize("commit", [True, False])
def test_only_the_bureau_runs_an_import(request, places, who, commit):
    actor = request.getfixturevalue(who)
    data = csv_bytes([ENTERPRISE_HEADER, ROW])
    enterprises = Enterprise.objects.count()

    with pytest.raises(PermissionDenied, match="仅限司法局"):
        import_run(
            actor=actor,
            target="enterprises",
            source=data,
            filename="企业.csv",
            commit=commit,
        )

    assert Enterprise.objects.count() == enterprises
    assert not AuditEvent.objects.filter(verb__startswith="enterprise").exists()


def test_the_bureau_and_the_command_line_run_it(places, justice_user):
    data = csv_bytes([ENTERPRISE_HEADER, ROW])

    checked = import_run(actor=justice_user, target="enterprises", source=data, filename="a.csv")
    written = import_run(actor="cli:ops", target="enterprises", source=data, commit=True)

    assert checked.valid == 1 and not checked.committed
    assert written.created == 1

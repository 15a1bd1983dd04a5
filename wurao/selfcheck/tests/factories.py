"""Self-inspections made through the services, as an enterprise would make them."""

import datetime

from wurao.catalogue.tests.factories import InspectionItemFactory
from wurao.selfcheck import services
from wurao.selfcheck.choices import EntryResult
from wurao.selfcheck.models import SelfInspection

# The smallest real JPEG header and PNG signature a photo check recognises.
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 60


def items_for(department, n: int = 2, **kwargs) -> list:
    """Items that apply to any enterprise (no tag, no industry)."""
    return [InspectionItemFactory(department=department, **kwargs) for _ in range(n)]


def inspection_started(user, *, department_ids=None, on=None) -> SelfInspection:
    return services.inspection_start(
        actor=user, enterprise=user.enterprise, department_ids=department_ids, on=on
    )


def inspection_completed(
    user, *, problem: bool = False, on: datetime.date | None = None
) -> SelfInspection:
    """Every entry answered (the first a problem when asked), then completed."""
    inspection = inspection_started(user, on=on)
    for n, entry in enumerate(inspection.entries.order_by("position")):
        if problem and n == 0:
            services.entry_record(
                actor=user, entry=entry, result=EntryResult.PROBLEM, note="灭火器过期"
            )
        else:
            services.entry_record(actor=user, entry=entry, result=EntryResult.COMPLIANT)
    return services.inspection_complete(actor=user, inspection=inspection, on=on)

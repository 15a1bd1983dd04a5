import pytest
from django.core.management import call_command

from wurao.demo.services import demo_build

DEMO_SCALE = 0.01
DEMO_SEED = 11


@pytest.fixture(scope="module")
def demo_district(django_db_setup, django_db_blocker):
    """The demo district, with its accounts, for a whole test module (built once, in a few
    seconds): what the crawl walks through. Committed, so it is flushed afterwards."""
    with django_db_blocker.unblock():
        result = demo_build(actor="test", scale=DEMO_SCALE, seed=DEMO_SEED)
    yield result
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)

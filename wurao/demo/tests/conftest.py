import pytest
from django.core.management import call_command

from wurao.demo.services import demo_build

DEMO_SCALE = 0.01
DEMO_SEED = 11


@pytest.fixture(scope="module")
def built_demo(django_db_setup, django_db_blocker):
    """One demo district for a whole test module (it takes a second or two to build);
    the tests only read it. Committed, so it is flushed afterwards."""
    with django_db_blocker.unblock():
        result = demo_build(actor="test", scale=DEMO_SCALE, seed=DEMO_SEED)
    yield result
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)

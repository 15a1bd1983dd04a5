import os
from pathlib import Path

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


@pytest.fixture
def district():
    """The demo district for one browser test (a live server's test commits, and is flushed
    after it)."""
    return demo_build(actor="test", scale=DEMO_SCALE, seed=DEMO_SEED)


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where a browser test keeps its screenshots: pytest's tmp_path, or WURAO_PHONE_SHOTS."""
    folder = Path(os.environ.get("WURAO_PHONE_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder

import pytest

from wurao.audit.tests.anchoring import key_pair, use_key


@pytest.fixture
def signing_key(settings) -> str:
    """A signing key configured as production would (AUDIT_SIGNING_KEY); returns its public key."""
    seed, public = key_pair()
    use_key(settings, seed)
    return public

import pytest

from tests.conftest import PRODUCTION_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def production_password_hashers(settings):
    """Logging in, its throttling and setting passwords are tested with the hasher the site runs, not the tests'
    fast one (tests/conftest.py)."""
    settings.PASSWORD_HASHERS = PRODUCTION_PASSWORD_HASHERS

import tempfile

import pytest

# The settings' hashers, kept for the tests of logging in and setting passwords (tests/accounts/conftest.py).
PRODUCTION_PASSWORD_HASHERS = []


def pytest_configure(config):
    """Tests run the production settings, but without a collectstatic manifest or an HTTPS proxy, and with a fast
    password hasher: the production one spends a third of a second of CPU on each password set or checked, and the
    demo, the role users and the logins of most tests set or check several. tests/accounts uses the real one."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    PRODUCTION_PASSWORD_HASHERS[:] = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="siplan-test-media-")

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its uploads and documents in a folder of its own, so no test sees another's files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="module")
def roles_after_the_flush(django_db_setup, django_db_blocker):
    """For a module whose tests commit (transaction=True): they end by emptying the database, the roles
    migration's groups included, so the tests after the module get the role groups back."""
    yield
    from tests.factories import restore_roles

    with django_db_blocker.unblock():
        restore_roles()


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language: a request in English leaves English active in the thread after it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: SQLite gives a rolled-back test's ids to the next test's records, so an
    entry keyed by an institution's id and version (goals.versions) could otherwise outlive its test. Only the
    in-memory cache: a Redis one (REDIS_URL, tests/test_scaling_out.py) may be shared, and clear() would empty it."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()

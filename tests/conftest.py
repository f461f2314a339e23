import tempfile


def pytest_configure(config):
    """Tests run the production settings, but without a collectstatic manifest or an HTTPS proxy."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="siplan-test-media-")

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

"""What the in-process benchmarks (page_profile, render_profile, request_overhead_profile, walk_profile) share:
siplan's settings as deployed (DEBUG off: cached templates, no query log) for Django's test client, and storages
that need no collectstatic."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def deployed_settings_for_the_test_client():
    """Set before Django is set up: production settings, with the test client's host and no HTTPS redirect."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siplan.settings")
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        os.environ[name] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DEBUG"] = "0"


def plain_storages():
    """Uploads on disk and static files by their plain names (no manifest: nothing was collected)."""
    from django.test.utils import override_settings

    return override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )

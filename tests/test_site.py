"""The site as a whole: login first, health check, error pages in Spanish, deploy checks."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory


def test_login_page_names_siplan(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "SIPLAN" in response.content.decode()


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(UserFactory())
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_unknown_page_is_a_spanish_404_without_details(client):
    client.force_login(UserFactory())
    response = client.get("/no-existe/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Página no encontrada" in page
    assert "Traceback" not in page


def test_production_settings_pass_the_deploy_checks():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "siplan.example.gob.gt",
    }
    result = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

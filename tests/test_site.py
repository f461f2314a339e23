"""The site as a whole: login first, health check, error pages in Spanish, deploy checks."""

import os
import secrets
import subprocess
import sys
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.test import Client
from django.urls import reverse

from tests.factories import InstitutionFactory, RoleUserFactory, UserFactory


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


def assert_spanish_error_page(response, status, title):
    assert response.status_code == status
    page = response.content.decode()
    assert title in page
    assert "Traceback" not in page and "SELECT" not in page and "settings" not in page


@pytest.mark.django_db
def test_a_page_the_role_does_not_allow_is_a_spanish_403(client):
    client.force_login(RoleUserFactory(institution=InstitutionFactory(), role="Lector"))
    assert_spanish_error_page(client.get(reverse("goals:import")), 403, "Acceso denegado")


@pytest.mark.django_db
def test_an_unknown_host_is_a_spanish_400(client):
    assert_spanish_error_page(client.get(reverse("login"), HTTP_HOST="otro.example.com"), 400, "Solicitud incorrecta")


@pytest.mark.django_db
def test_an_unexpected_error_is_a_spanish_500_without_details(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    response = client.get("/pagina-rota/")
    assert_spanish_error_page(response, 500, "Error del servidor")
    assert "secret detail" not in response.content.decode()


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_is_refused_in_spanish_and_nothing_changes():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post(reverse("logout"))
    assert_spanish_error_page(response, 403, "Formulario vencido")
    assert "Nada se guardó" in response.content.decode()
    assert client.get(reverse("home")).status_code == 200  # still logged in


@pytest.fixture
def running_site(settings):
    """The site served over HTTP in a thread, as gunicorn serves it in the container."""
    settings.ALLOWED_HOSTS = ["siplan.example.gob.gt"]
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.mark.django_db
def test_the_container_health_check_passes_while_the_database_answers(running_site):
    script = settings.BASE_DIR / "scripts" / "healthcheck.py"
    env = {
        **os.environ,
        "ALLOWED_HOSTS": "siplan.example.gob.gt,otro.example",
        "SIPLAN_HEALTHCHECK_URL": f"{running_site}/healthz",
    }
    assert subprocess.run([sys.executable, str(script)], env=env).returncode == 0
    env["SIPLAN_HEALTHCHECK_URL"] = f"{running_site}/no-existe"
    assert subprocess.run([sys.executable, str(script)], env=env, capture_output=True).returncode == 1
    env.update(ALLOWED_HOSTS="otro.example", SIPLAN_HEALTHCHECK_URL=f"{running_site}/healthz")
    assert subprocess.run([sys.executable, str(script)], env=env, capture_output=True).returncode == 1


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


def test_every_page_names_the_favicon_and_favicon_ico_serves_it(client, settings):
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get(reverse("login")).content.decode()
    settings.WHITENOISE_USE_FINDERS = True  # no collectstatic in tests: WhiteNoise serves from static/
    response = Client().get("/favicon.ico", follow=True)
    assert response.redirect_chain == [("/static/favicon.svg", 302)]
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(response.streaming_content)

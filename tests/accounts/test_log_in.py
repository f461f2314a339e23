"""Logging in: throttled after repeated failures (django-axes), sessions that last a working day."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-strong-password-1"  # tests.factories.UserFactory's


def log_in(client, username, password, address="10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_wrong_password_re_shows_the_form_in_spanish(client):
    user = UserFactory()
    response = log_in(client, user.username, "wrong")
    assert response.status_code == 200
    assert "Ingrese un nombre de usuario y una contraseña correctos" in response.content.decode()
    assert response.context["form"]["username"].value() == user.username


def test_repeated_failed_logins_lock_the_user_out_from_that_address(client):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, user.username, "wrong").status_code == 200
    locked = log_in(client, user.username, "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert "Ingreso bloqueado" in page and f"espere {minutes} minutos" in page
    # Even the right password is refused while locked, and no session starts.
    assert log_in(client, user.username, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # A colleague behind the same public address, and the same user from elsewhere, still get in.
    colleague = UserFactory()
    assert log_in(client, colleague.username, PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, user.username, PASSWORD, address="10.0.0.8").status_code == 302


def test_a_successful_login_forgets_earlier_failures(client):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, user.username, "wrong")
    assert log_in(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, user.username, "wrong").status_code == 200
    assert log_in(client, user.username, PASSWORD).status_code == 302


def test_the_session_lasts_a_working_day_and_ends_with_the_browser(client):
    user = UserFactory()
    response = log_in(client, user.username, PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert cookie["httponly"] is True
    assert client.session.get_expiry_age() == 9 * 60 * 60

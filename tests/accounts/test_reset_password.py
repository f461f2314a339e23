"""Resetting a forgotten password by e-mail (Django's own views, Spanish templates)."""

import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "otra-clave-segura-2024"


def ask_for_a_link(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def test_the_login_page_offers_the_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page
    assert "¿Olvidó su contraseña?" in page


def test_a_user_resets_the_password_through_the_link_in_the_email(client):
    user = UserFactory(email="planificadora@igm.gob.gt")
    response = ask_for_a_link(client, "planificadora@igm.gob.gt")
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert "Revise su correo" in client.get(response["Location"]).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["planificadora@igm.gob.gt"]
    assert message.subject == "SIPLAN: restablecer su contraseña"
    assert user.username in message.body
    link = re.search(r"http://testserver(/cuenta/contrasena/nueva/\S+/)", message.body).group(1)

    form = client.get(link, follow=True)
    assert "Contraseña nueva" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")
    assert "Ya puede ingresar con su contraseña nueva." in client.get(done["Location"]).content.decode()

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"  # the site's hasher, not the tests' fast one
    # The link works once.
    assert "Enlace no válido" in client.get(link, follow=True).content.decode()
    assert client.post(reverse("login"), {"username": user.username, "password": NEW_PASSWORD}).status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    UserFactory(email="director@igm.gob.gt")
    known = ask_for_a_link(client, "director@igm.gob.gt")
    unknown = ask_for_a_link(client, "nadie@igm.gob.gt")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [message.to for message in mail.outbox] == [["director@igm.gob.gt"]]


def test_an_inactive_user_gets_no_email(client):
    UserFactory(email="ex@igm.gob.gt", is_active=False)
    assert ask_for_a_link(client, "ex@igm.gob.gt")["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_weak_new_password_is_refused_in_spanish(client):
    UserFactory(email="lector@igm.gob.gt")
    ask_for_a_link(client, "lector@igm.gob.gt")
    link = re.search(r"http://testserver(/cuenta/contrasena/nueva/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert "Esta contraseña es demasiado común." in response.content.decode()

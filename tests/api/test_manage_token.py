"""A signed-in user creates, regenerates and revokes their own API token; without one, the data is closed."""

import pytest
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import RoleUserFactory, institution_with_plan, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def igm(db):
    """An institution IGM with a 2024 plan and its reader `lector`: the token pages need nothing of the demo's."""
    institution = institution_with_plan("IGM")
    RoleUserFactory(institution=institution, role="Lector", username="lector")
    return institution


@pytest.fixture
def lector(client, igm):
    user = get_user_model().objects.get(username="lector")
    client.force_login(user)
    return user


def test_a_user_creates_regenerates_and_revokes_their_token(client, lector):
    page = client.get(reverse("api:token")).content.decode()
    assert "Aún no tiene token." in page
    client.post(reverse("api:token"), {"action": "crear"})
    first = Token.objects.get(user=lector).key
    assert first in client.get(reverse("api:token")).content.decode()
    response = client.post(reverse("api:token"), {"action": "regenerar"}, follow=True)
    assert "El anterior, si tenía uno, dejó de funcionar." in response.content.decode()
    second = Token.objects.get(user=lector).key
    assert second != first
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.get(reverse("api:years", args=["IGM"])).status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api.get(reverse("api:years", args=["IGM"])).json()["results"] == [{"year": 2024}]
    client.post(reverse("api:token"), {"action": "revocar"})
    assert not Token.objects.filter(user=lector).exists()
    assert api.get(reverse("api:years", args=["IGM"])).status_code == 401


def test_the_token_page_needs_login_and_csrf(igm):
    anonymous = APIClient(enforce_csrf_checks=True)
    assert anonymous.get(reverse("api:token"))["Location"].startswith(reverse("login"))
    anonymous.force_login(get_user_model().objects.get(username="lector"))
    assert anonymous.post(reverse("api:token"), {"action": "crear"}).status_code == 403
    assert not Token.objects.exists()


def test_without_a_token_only_public_data_answers(igm):
    anonymous = APIClient()
    for name, args in [
        ("years", ["IGM"]),
        ("plan", ["IGM", 2024]),
        ("product_execution", []),
        ("subproduct_programme", []),
    ]:
        response = anonymous.get(reverse(f"api:{name}", args=args))
        assert response.status_code == 401, name
        assert response["WWW-Authenticate"] == "Token"
    assert anonymous.get(reverse("api:reports")).status_code == 200


def test_the_admin_lists_tokens(admin_client, lector):
    Token.objects.create(user=lector)
    assert "lector" in admin_client.get(reverse("admin:authtoken_tokenproxy_changelist")).content.decode()


def test_a_token_stops_working_while_its_user_is_locked_out_or_inactive(client):
    user = RoleUserFactory(role="Planificador")
    api = token_client(user)
    url = reverse("api:years", args=[user.institution.code])
    address = {"REMOTE_ADDR": "10.0.0.7"}
    assert api.get(url, **address).status_code == 200
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"}, **address)
    locked = api.get(url, **address)
    assert locked.status_code == 401 and "bloqueado" in locked.json()["detail"]
    user.refresh_from_db()
    assert user.is_active  # the lockout pauses the user, it does not deactivate him
    reset(username=user.username)
    assert api.get(url, **address).status_code == 200
    user.is_active = False
    user.save()
    assert api.get(url, **address).status_code == 401

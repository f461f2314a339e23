"""What a signed-in user sees is his: every response to him says Cache-Control: no-store, except an approved
report's public documents, which any cache may keep and revalidate."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from approvals import services
from tests.factories import ProductFactory, ResultFactory, RoleUserFactory, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner():
    product = ProductFactory(result=ResultFactory(year=2024))
    return RoleUserFactory(institution=product.result.institution, role="Planificador")


def test_signed_in_pages_and_api_answers_are_not_stored(client, planner):
    client.force_login(planner)
    code = planner.institution.code
    for url in (
        reverse("home"),
        reverse("goals:products", args=[code, 2024]),
        reverse("reports:report", args=[code, 2024, 1]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    answer = token_client(planner).get(reverse("api:plan", args=[code, 2024]))
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]


def test_anonymous_pages_and_approved_reports_stay_cacheable(client, planner):
    institution = planner.institution
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=1)
    snapshot = services.approve(
        user=RoleUserFactory(institution=institution, role="Director"),
        institution=institution,
        year=2024,
        cuatrimestre=1,
    )
    assert "no-store" not in APIClient().get(reverse("api:institutions")).get("Cache-Control", "")
    url = reverse("api:report", args=[snapshot.sha256])
    for api in (APIClient(), token_client(planner)):
        response = api.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, no-cache"

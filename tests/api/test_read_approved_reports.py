"""Anyone, without a token, reads approved reports: the frozen JSON, its SHA-256, conditional GETs."""

import hashlib
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.http import http_date
from rest_framework.test import APIClient

from approvals import services
from approvals.reading import report_for
from reports.computation import report_to_dict

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous():
    return APIClient()


def test_anyone_lists_approved_reports_by_institution_and_year(anonymous, approved, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        body = anonymous.get(reverse("api:reports"), {"institution": "IGM", "year": 2024}).json()
    # The demo loads its first two cuatrimestres approved; the third is the one approved here.
    assert sorted(report["cuatrimestre"] for report in body["results"]) == [1, 2, 3]
    [listed] = [report for report in body["results"] if report["cuatrimestre"] == 3]
    assert listed["sha256"] == approved.sha256
    assert listed["oficio_number"] == approved.oficio_number
    assert (listed["institution"], listed["year"], listed["cuatrimestre"], listed["in_force"]) == ("IGM", 2024, 3, True)
    assert listed["url"].endswith(reverse("api:report", args=[approved.sha256]))
    [first] = anonymous.get(reverse("api:reports"), {"cuatrimestre": 1}).json()["results"]
    assert (first["cuatrimestre"], first["oficio_number"]) == (1, approved.oficio_number.replace("-003-", "-001-"))


def test_the_detail_is_the_report_as_approved(anonymous, approved, igm):
    response = anonymous.get(reverse("api:report", args=[approved.sha256]))
    assert response.status_code == 200
    body = response.json()
    assert (
        body["report"]
        == report_to_dict(report_for(institution=igm, year=2024, cuatrimestre=3)[0])
        == approved.data["report"]
    )
    control = body["report"]["sections"][0]["products"][0]
    assert control["physical"]["initial"] == "14466570.00" and control["physical"]["pct_period"] == "31.14"
    assert response["ETag"] == f'"{approved.sha256}"'
    assert response["Last-Modified"] == http_date(approved.approved_at.timestamp())


def test_a_client_with_the_current_copy_gets_304(anonymous, approved):
    url = reverse("api:report", args=[approved.sha256])
    not_modified = anonymous.get(url, HTTP_IF_NONE_MATCH=f'"{approved.sha256}"')
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == f'"{approved.sha256}"'
    since = anonymous.get(url, HTTP_IF_MODIFIED_SINCE=http_date(approved.approved_at.timestamp()))
    assert since.status_code == 304
    assert anonymous.get(url, HTTP_IF_NONE_MATCH='"otra-version"').status_code == 200


def test_the_content_is_the_stored_file_whose_hash_is_the_reports(anonymous, approved):
    response = anonymous.get(reverse("api:report_content", args=[approved.sha256]))
    assert hashlib.sha256(response.content).hexdigest() == approved.sha256
    assert json.loads(response.content)["approval"]["oficio_number"] == approved.oficio_number
    assert response["ETag"] == f'"{approved.sha256}"'


def test_a_reopened_report_is_marked_superseded_and_its_etag_changes(anonymous, approved, igm):
    director = get_user_model().objects.get(username="director")
    services.reopen(
        user=director, institution=igm, year=2024, cuatrimestre=3, reason="Corrección de la ejecución de diciembre"
    )
    url = reverse("api:report", args=[approved.sha256])
    assert anonymous.get(url, HTTP_IF_NONE_MATCH=f'"{approved.sha256}"').status_code == 200
    body = anonymous.get(url).json()
    assert body["in_force"] is False and body["superseded_at"]
    in_force = anonymous.get(reverse("api:reports"), {"in_force": "true"}).json()["results"]
    assert sorted(report["cuatrimestre"] for report in in_force) == [1, 2]  # the demo's, still in force
    assert anonymous.get(reverse("api:reports"), {"in_force": "false"}).json()["count"] == 1


def test_an_unknown_hash_is_not_found(anonymous, approved):
    assert anonymous.get(reverse("api:report", args=["0" * 64])).status_code == 404


def test_the_api_is_read_only(anonymous, reader, approved):
    for client in (anonymous, reader):
        for method in ("post", "put", "patch", "delete"):
            assert getattr(client, method)(reverse("api:report", args=[approved.sha256])).status_code == 405
            assert getattr(client, method)(reverse("api:reports")).status_code == 405
    for method in ("post", "put", "patch", "delete"):
        assert getattr(reader, method)(reverse("api:plan", args=["IGM", 2024])).status_code == 405
        assert getattr(reader, method)(reverse("api:product_execution")).status_code == 405


def test_institutions_are_public_to_find_their_reports(anonymous, igm):
    body = anonymous.get(reverse("api:institutions")).json()
    assert body["results"] == [{"code": "IGM", "name": "Instituto Guatemalteco de Migración", "acronym": "IGM"}]
    assert anonymous.get(reverse("api:institution", args=["IGM"])).json()["code"] == "IGM"

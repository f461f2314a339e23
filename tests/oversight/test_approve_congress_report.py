"""SEGEPLAN's staff build the Congress report of a cuatrimestre in the background from the institutions' approved
reports, see who is in it and who is missing, approve it with their password, and download its PDF and Excel, the
same bytes every time; an institution's own staff never see it."""

import io
from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from approvals import services
from approvals.demo import demo_data, load_demo
from approvals.models import ReportSnapshot
from goals.models import Institution
from jobs.models import Job, JobStatus
from oversight import congress
from oversight.models import CongressReport
from tests.factories import InstitutionFactory, RoleUserFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-strong-password-1"  # tests.factories.UserFactory's
YEAR, C2 = 2024, 2


def to_august(goal):
    """The cumulative to August of a demo row: the year's cumulative less September–December."""
    return Decimal(goal["cumulative"]) - sum(Decimal(month) for month in goal["sep_dec"])


def demo_products_to_august():
    """{product: (physical current, physical cumulative, financial current, financial cumulative)} as the demo's
    approved second cuatrimestre prints them: the reprogramming of 15 August is in force, a product's money is the
    sum of its subproducts'."""
    products = [product for result in demo_data()["results"] for product in result["products"]]
    return {
        product["name"]: (
            Decimal(product["physical"]["current"]),
            to_august(product["physical"]),
            sum(Decimal(sub["financial"]["current"]) for sub in product["subproducts"]),
            sum(to_august(sub["financial"]) for sub in product["subproducts"]),
        )
        for product in products
    }


@pytest.fixture
def demo():
    """The demo (IGM, its first and second cuatrimestres of 2024 approved) and an institution that has no
    approved report."""
    load_demo()
    InstitutionFactory(code="OTRA", name="Otra Institución")
    return Institution.objects.get(code="IGM")


@pytest.fixture
def segeplan(demo):
    user = UserFactory(username="segeplan", institution=None, first_name="Analista", last_name="SEGEPLAN")
    user.readable_institutions.set(Institution.objects.all())
    return user


def build(client, django_capture_on_commit_callbacks, year=YEAR, cuatrimestre=C2):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("oversight:congress_build", args=[year, cuatrimestre]))


def approve(client, django_capture_on_commit_callbacks, password=PASSWORD):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("oversight:congress_approve", args=[YEAR, C2]), {"password": password})


@pytest.fixture
def approved(client, segeplan, django_capture_on_commit_callbacks):
    client.force_login(segeplan)
    build(client, django_capture_on_commit_callbacks)
    approve(client, django_capture_on_commit_callbacks)
    return CongressReport.objects.get(year=YEAR, cuatrimestre=C2)


def download(client, extension, **headers):
    return client.get(reverse("oversight:congress_download", args=[YEAR, C2, extension]), **headers)


def test_oversight_builds_a_draft_in_the_background_from_the_approved_reports(
    client, segeplan, demo, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client.force_login(segeplan)
    follow_up = client.get(reverse("oversight:follow_up"), {"anio": YEAR, "cuatrimestre": C2}).content.decode()
    assert f'href="{reverse("oversight:congress", args=[YEAR, C2])}"' in follow_up

    response = build(client, django_capture_on_commit_callbacks)

    job = Job.objects.get(kind=congress.BUILD_KIND)
    assert response["Location"] == reverse("jobs:job", args=[job.pk])
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 2, 2)
    assert job.message == "Borrador armado con 1 reporte aprobado."
    assert job.result_url == reverse("oversight:congress", args=[YEAR, C2])
    draft = CongressReport.objects.get()
    snapshot = ReportSnapshot.objects.get(report__institution=demo, report__cuatrimestre=C2)
    assert (draft.status, draft.created_by, list(draft.snapshots.all())) == ("borrador", segeplan, [snapshot])
    assert draft.sha256 == ReportSnapshot.digest(draft.content)
    (igm,) = draft.data["institutions"]
    assert (igm["code"], igm["snapshot"], igm["oficio_number"]) == ("IGM", snapshot.sha256, snapshot.oficio_number)
    assert draft.data["missing"] == [{"code": "OTRA", "name": "Otra Institución"}]
    expected = demo_products_to_august()
    assert {
        row["product"]: tuple(Decimal(row[column]) for column in ("physical_current", "physical_cumulative",
                                                                 "financial_current", "financial_cumulative"))
        for row in igm["rows"]
    } == expected  # fmt: skip
    assert Decimal(igm["financial_current"]) == sum(figures[2] for figures in expected.values())

    with django_assert_max_num_queries(12):
        page = client.get(job.result_url).content.decode()
    assert "Borrador" in page and "Instituto Guatemalteco de Migración" in page and snapshot.oficio_number in page
    assert "OTRA — Otra Institución" in page and "1 institución sin reporte aprobado" in page
    assert 'name="password"' in page


def test_approval_with_the_password_stores_the_pdf_and_excel_with_the_approved_figures(
    client, approved, segeplan, django_capture_on_commit_callbacks
):
    assert (approved.status, approved.approved_by) == ("aprobado", segeplan)
    assert approved.data["approval"]["approved_by"] == "Analista SEGEPLAN"
    job = Job.objects.get(kind=congress.DOCUMENTS_KIND)
    assert (job.status, job.message) == (
        JobStatus.DONE, "El reporte para el Congreso fue aprobado y sus documentos guardados."
    )  # fmt: skip
    documents = {document.kind: document for document in approved.documents.all()}
    assert sorted(documents) == ["pdf", "xlsx"]
    assert {document.created_at for document in documents.values()} == {approved.approved_at}

    workbook = load_workbook(io.BytesIO(download(client, "xlsx").content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    expected = demo_products_to_august()
    products = {row[3]: tuple(Decimal(str(row[column])) for column in (5, 6, 8, 9)) for row in rows[1:-2]}
    assert products == expected
    control = "Control Registro de Nacionales y Extranjeros en el Territorio Nacional"
    assert expected[control][:2] == (Decimal("12901391"), Decimal("7748160"))
    assert next(row for row in rows if row[3] == control)[7] == 60.06  # 7,748,160 ÷ 12,901,391
    total = sum(figures[2] for figures in expected.values()), sum(figures[3] for figures in expected.values())
    assert rows[-2][0] == "Total IGM" and rows[-1][0] == "Total general"
    assert tuple(Decimal(str(value)) for value in rows[-1][8:10]) == total
    assert list(workbook.worksheets[1].iter_rows(values_only=True)) == [
        ("Código", "Institución"),
        ("OTRA", "Otra Institución"),
    ]
    assert workbook.properties.created == approved.approved_at.replace(microsecond=0, tzinfo=None)

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(download(client, "pdf").content)).pages)
    assert "Segundo Cuatrimestre 2024" in text and "IGM — Instituto Guatemalteco de Migración" in text
    assert "12,901,391.00" in text and "7,748,160.00" in text and "60.06" in text
    assert f"{total[0]:,.2f}" in text and f"{total[1]:,.2f}" in text
    assert "OTRA — Otra Institución" in text and approved.sha256 in text


def test_every_download_is_the_same_bytes_with_its_sha256_as_etag(client, approved):
    for document in approved.documents.all():
        first, second = download(client, document.kind), download(client, document.kind)
        assert first.content == second.content == document.read()
        assert first["ETag"] == f'"{document.sha256}"'
        assert first["Content-Disposition"] == f'attachment; filename="congreso-2024-C2.{document.kind}"'
        assert download(client, document.kind, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # Rendered again from the frozen rows, the documents are the same bytes: nothing in them depends on the moment.
    assert congress.rendered(approved) == {document.kind: document.read() for document in approved.documents.all()}


def test_a_wrong_password_approves_nothing_and_counts_as_a_failed_login(
    client, segeplan, django_capture_on_commit_callbacks
):
    client.force_login(segeplan)
    build(client, django_capture_on_commit_callbacks)

    response = approve(client, django_capture_on_commit_callbacks, password="not-my-password")

    assert response.status_code == 200
    assert "La contraseña no es correcta. El reporte no fue aprobado." in response.content.decode()
    assert CongressReport.objects.get().status == "borrador"
    assert not Job.objects.filter(kind=congress.DOCUMENTS_KIND).exists()
    assert sum(AccessAttempt.objects.filter(username="segeplan").values_list("failures_since_start", flat=True)) == 1


@pytest.mark.parametrize("username", ["planificador", "director", "lector"])
def test_an_institutions_own_staff_never_see_it(client, approved, username, django_capture_on_commit_callbacks):
    client.force_login(get_user_model().objects.get(username=username))
    urls = [reverse(f"oversight:{name}", args=[YEAR, C2]) for name in ("congress", "congress_build", "congress_reopen")]
    assert client.get(urls[0]).status_code == 404
    assert download(client, "pdf").status_code == 404
    for url in urls[1:]:
        assert client.post(url, {"reason": "x"}).status_code == 404
    assert approve(client, django_capture_on_commit_callbacks, password="director-demo-2024").status_code == 404
    approved.refresh_from_db()
    assert (approved.status, approved.superseded_at) == ("aprobado", None)


def test_an_oversight_reader_of_some_institutions_does_not_see_the_national_report(client, demo):
    reader = UserFactory(username="sectorial", institution=None)
    reader.readable_institutions.set([demo])
    client.force_login(reader)
    assert client.get(reverse("oversight:congress", args=[YEAR, C2])).status_code == 404


def test_a_draft_is_not_approved_once_an_institutions_report_in_it_was_reopened(
    client, segeplan, demo, django_capture_on_commit_callbacks
):
    client.force_login(segeplan)
    build(client, django_capture_on_commit_callbacks)
    director = get_user_model().objects.get(username="director")
    services.reopen(user=director, institution=demo, year=YEAR, cuatrimestre=C2, reason="corregir junio")

    response = approve(client, django_capture_on_commit_callbacks)

    assert CongressReport.objects.get().status == "borrador"
    page = client.get(response["Location"]).content.decode()
    assert "Estos reportes se reabrieron después de armar el borrador: IGM. Vuelva a armarlo." in page


def test_reopening_needs_a_reason_keeps_the_approved_version_and_allows_a_new_draft(
    client, approved, segeplan, django_capture_on_commit_callbacks
):
    reopen = reverse("oversight:congress_reopen", args=[YEAR, C2])
    assert build(client, django_capture_on_commit_callbacks).status_code == 302
    refused = Job.objects.filter(kind=congress.BUILD_KIND).latest("id")
    assert (refused.status, refused.message) == (
        JobStatus.FAILED,
        "El reporte para el Congreso del Segundo Cuatrimestre 2024 ya está aprobado: reábralo para armar otro.",
    )
    assert "Este campo es requerido." in client.post(reopen, {"reason": ""}).content.decode()
    approved.refresh_from_db()
    assert approved.superseded_at is None

    client.post(reopen, {"reason": "Falta el reporte de OTRA"})

    approved.refresh_from_db()
    assert (approved.superseded_by, approved.superseded_reason) == (segeplan, "Falta el reporte de OTRA")
    assert download(client, "pdf").status_code == 404
    build(client, django_capture_on_commit_callbacks)
    assert CongressReport.objects.filter(status="borrador", superseded_at__isnull=True).count() == 1
    page = client.get(reverse("oversight:congress", args=[YEAR, C2])).content.decode()
    assert "Versiones sustituidas" in page and "Falta el reporte de OTRA" in page and approved.sha256 in page


def test_an_anonymous_visitor_is_sent_to_login(client, demo):
    response = client.get(reverse("oversight:congress", args=[YEAR, C2]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert download(client, "pdf")["Location"].startswith(reverse("login"))


def test_the_page_warns_of_a_report_approved_after_the_draft_was_built(
    client, two_approved, segeplan_reader, django_capture_on_commit_callbacks
):
    igm, twin = two_approved
    director = RoleUserFactory(institution=twin, role="Director")
    services.reopen(user=director, institution=twin, year=2024, cuatrimestre=3, reason="corregir diciembre")
    client.force_login(segeplan_reader)
    build(client, django_capture_on_commit_callbacks, cuatrimestre=3)
    services.submit(user=RoleUserFactory(institution=twin), institution=twin, year=2024, cuatrimestre=3)
    services.approve(user=director, institution=twin, year=2024, cuatrimestre=3)

    page = client.get(reverse("oversight:congress", args=[2024, 3])).content.decode()

    assert [i["code"] for i in CongressReport.objects.get().data["institutions"]] == [igm.code]
    assert "1 reporte más se aprobó después de armar el borrador: vuelva a armarlo para incluirlo." in page

"""A Congress report approved before SEGEPLAN's certificate was configured stays unsigned when one appears, until
who may approve it signs it on its page, confirming first: a signed copy of the PDF is stored beside the original
(whose hash stays valid), who signed when is recorded, every download from then on is the signed bytes, and
/verificar/ recognises both files and checks the signature. Nobody else signs it, nor twice, nor without a
certificate; reopening it afterwards behaves as before."""

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from goals.models import Institution
from oversight import congress
from oversight.models import CongressDocument
from tests.certificates import SIGNER, configure_certificate
from tests.factories import UserFactory
from tests.oversight.test_verify_a_congress_report_file import IN_FORCE, approve_congress_report, upload, validate

pytestmark = pytest.mark.django_db
YEAR, C3 = 2024, 3
SIGN = "Firmar el reporte para el Congreso"
PAGE = reverse("oversight:congress", args=[YEAR, C3])
SIGN_URL = reverse("oversight:congress_sign", args=[YEAR, C3])


def download(client, extension, **headers):
    return client.get(reverse("oversight:congress_download", args=[YEAR, C3, extension]), **headers)


def embedded_signatures(content):
    return PdfFileReader(BytesIO(content)).embedded_signatures


@pytest.fixture
def approved_unsigned(segeplan_reader, django_capture_on_commit_callbacks):
    """The third cuatrimestre's Congress report, approved (and its documents stored) while SEGEPLAN had no
    certificate."""
    return approve_congress_report(segeplan_reader, django_capture_on_commit_callbacks)


@pytest.fixture
def certificate_appears(approved_unsigned, tmp_path, settings, monkeypatch):
    """SEGEPLAN's certificate, configured after the approval."""
    return configure_certificate(tmp_path, settings, monkeypatch, code=settings.SIPLAN_CONGRESS_SIGNER)


@pytest.fixture
def segeplan(client, segeplan_reader):
    client.force_login(segeplan_reader)
    return client


def sign(client, confirm=True):
    return client.post(SIGN_URL, {"confirm": "on"} if confirm else {}, follow=True).content.decode()


def test_segeplan_signs_later_after_confirming_and_every_download_is_then_the_signed_pdf(
    approved_unsigned, certificate_appears, segeplan, segeplan_reader, client
):
    original = approved_unsigned.documents.get(kind="pdf")
    xlsx = approved_unsigned.documents.get(kind="xlsx")
    before = download(client, "pdf")
    assert before.content == original.read() and not embedded_signatures(before.content)
    assert before["ETag"] == f'"{original.sha256}"'
    assert SIGN in client.get(PAGE).content.decode()

    unconfirmed = sign(client, confirm=False)
    assert "Marque la confirmación para firmar." in unconfirmed
    assert not CongressDocument.objects.filter(signed=True).exists()

    page = sign(client)

    assert "El PDF del reporte para el Congreso fue firmado; el original sin firma sigue verificable." in page
    signed = CongressDocument.objects.get(report=approved_unsigned, signed=True)
    approved_unsigned.refresh_from_db()
    assert (signed.kind, signed.created_by, signed.filename) == ("pdf", segeplan_reader, original.filename)
    assert (approved_unsigned.signed_by, approved_unsigned.signed_at) == (segeplan_reader, signed.created_at)
    assert "Firmado después de aprobado" in page and SIGN not in page and "original sin firma" in page
    # The original and the Excel stay as they were; the signature is an incremental update of the original's bytes.
    assert list(approved_unsigned.documents.filter(signed=False)) == [original, xlsx]
    assert (original.read(), xlsx.read()) == (
        congress.rendered(approved_unsigned)["pdf"],
        download(client, "xlsx").content,
    )
    assert signed.read().startswith(original.read())
    status = validate(signed.read(), certificate_appears)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.signing_cert.subject.human_friendly.endswith(SIGNER)

    first, second = download(client, "pdf"), download(client, "pdf")
    assert first.content == second.content == signed.read() and first["ETag"] == f'"{signed.sha256}"'
    assert first["Content-Disposition"] == 'attachment; filename="congreso-2024-C3.pdf"'
    assert download(client, "pdf", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_verificar_recognises_the_signed_copy_and_checks_its_signature_and_the_original_still(
    approved_unsigned, certificate_appears, segeplan, client
):
    sign(client)
    signed = approved_unsigned.documents.get(kind="pdf", signed=True)
    page = upload(client, signed.read())
    assert "reporte consolidado para el Congreso del Tercer Cuatrimestre 2024" in page and IN_FORCE in page
    assert "Es la copia firmada." in page and f"Firma digital de {SIGNER}:" in page
    assert "íntegra" in page and "cubre todo el archivo" in page
    original = upload(client, approved_unsigned.documents.get(kind="pdf", signed=False).read())
    assert "Es el original sin firma digital." in original and IN_FORCE in original


def test_a_second_signing_is_refused(approved_unsigned, certificate_appears, segeplan, segeplan_reader, client):
    sign(client)
    signed_at = congress.in_force(year=YEAR, cuatrimestre=C3).signed_at

    page = sign(client)

    assert "Los documentos de esta aprobación ya están firmados." in page
    assert CongressDocument.objects.filter(signed=True).count() == 1
    assert congress.in_force(year=YEAR, cuatrimestre=C3).signed_at == signed_at


def test_a_report_signed_at_approval_is_not_signed_again(
    tmp_path, settings, monkeypatch, segeplan_reader, segeplan, client, django_capture_on_commit_callbacks
):
    configure_certificate(tmp_path, settings, monkeypatch, code=settings.SIPLAN_CONGRESS_SIGNER)
    report = approve_congress_report(segeplan_reader, django_capture_on_commit_callbacks)
    assert SIGN not in client.get(PAGE).content.decode()

    assert "Los documentos de esta aprobación ya están firmados." in sign(client)
    assert list(report.documents.values_list("kind", "signed")) == [("xlsx", False), ("pdf", True)]
    report.refresh_from_db()
    assert report.signed_at is None


def test_without_a_certificate_signing_is_refused(approved_unsigned, segeplan, client):
    assert SIGN not in client.get(PAGE).content.decode()

    assert "SEGEPLAN no tiene un certificado de firma configurado." in sign(client)
    assert not CongressDocument.objects.filter(signed=True).exists()
    assert download(client, "pdf").content == approved_unsigned.documents.get(kind="pdf").read()


@pytest.mark.parametrize("username", ["planificador", "director", "lector"])
def test_an_institutions_staff_cannot_sign_it(approved_unsigned, certificate_appears, client, username):
    director = get_user_model().objects.get(username=username)
    client.force_login(director)
    assert client.post(SIGN_URL, {"confirm": "on"}).status_code == 404
    with pytest.raises(PermissionDenied):
        congress.sign(user=director, year=YEAR, cuatrimestre=C3)
    assert not CongressDocument.objects.filter(signed=True).exists()


def test_an_oversight_reader_of_some_institutions_cannot_sign_it(approved_unsigned, certificate_appears, client):
    reader = UserFactory(username="sectorial", institution=None)
    reader.readable_institutions.set(Institution.objects.filter(code="IGM"))
    client.force_login(reader)
    assert client.post(SIGN_URL, {"confirm": "on"}).status_code == 404
    assert not congress.can_sign(reader, approved_unsigned)
    with pytest.raises(PermissionDenied):
        congress.sign(user=reader, year=YEAR, cuatrimestre=C3)
    assert not CongressDocument.objects.filter(signed=True).exists()


def test_a_draft_is_not_signed(approved_unsigned, certificate_appears, segeplan_reader):
    congress.reopen(user=segeplan_reader, year=YEAR, cuatrimestre=C3, reason="Falta una institución")
    with pytest.raises(ValidationError, match="Solo se firma un reporte para el Congreso aprobado."):
        congress.sign(user=segeplan_reader, year=YEAR, cuatrimestre=C3)


def test_reopening_a_report_signed_later_keeps_both_files_verifiable_as_superseded(
    approved_unsigned, certificate_appears, segeplan, segeplan_reader, client, django_capture_on_commit_callbacks
):
    sign(client)
    client.post(reverse("oversight:congress_reopen", args=[YEAR, C3]), {"reason": "Corrección de IGSS"})

    approved_unsigned.refresh_from_db()
    assert (approved_unsigned.superseded_by, approved_unsigned.signed_by) == (segeplan_reader, segeplan_reader)
    assert download(client, "pdf").status_code == 404
    for document in approved_unsigned.documents.filter(kind="pdf"):
        page = upload(client, document.read())
        assert "Fue aprobado y luego sustituido por una reapertura." in page and IN_FORCE not in page
    new = approve_congress_report(segeplan_reader, django_capture_on_commit_callbacks)
    assert new.pk != approved_unsigned.pk and new.signed_at is None
    # SEGEPLAN's certificate is configured now: the new approval is signed when approved.
    assert list(new.documents.values_list("kind", "signed")) == [("xlsx", False), ("pdf", True)]

"""The documents of an approval (report PDF, Excel, oficio, package) are made once, when the director approves,
and every later copy, for anyone and through any channel, is the same file."""

import hashlib
import time
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from approvals import services
from approvals.demo import DEMO_CIRCULAR, load_demo
from approvals.documents import rendered_pdfs, served
from approvals.models import DocumentKind, StoredDocument
from goals.models import Institution
from reports.computation import report_from_dict
from reports.xlsx import render_xlsx

pytestmark = pytest.mark.django_db

DOWNLOADS = {
    DocumentKind.OFICIO: ("reports:oficio", "IGM-2024-C3-oficio.pdf"),
    DocumentKind.PACKAGE: ("reports:package", "IGM-2024-C3-paquete.pdf"),
    DocumentKind.REPORT_PDF: ("reports:pdf", "IGM-2024-C3.pdf"),
    DocumentKind.XLSX: ("reports:xlsx", "IGM-2024-C3.xlsx"),
}


def demo_user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def igm():
    load_demo()
    return Institution.objects.get(code="IGM")


@pytest.fixture
def approved(igm, django_capture_on_commit_callbacks):
    """The demo's third cuatrimestre, submitted by the demo's planner and approved by its director; the job that
    makes its documents runs as the approval commits."""
    services.submit(user=demo_user("planificador"), institution=igm, year=2024, cuatrimestre=3)
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = services.approve(user=demo_user("director"), institution=igm, year=2024, cuatrimestre=3)
    print(f"approve() with its documents: {time.perf_counter() - started:.2f} s")
    return snapshot


def pdf_text(content):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages).split())


def test_approval_stores_each_document_once_with_its_sha256(approved):
    documents = {document.kind: document for document in StoredDocument.objects.filter(snapshot=approved)}
    assert set(documents) == set(DocumentKind)
    for document in documents.values():
        content = document.read()
        assert document.sha256 == hashlib.sha256(content).hexdigest() and document.size == len(content)
        assert not document.signed and document.created_at == approved.approved_at
    assert approved.typist_initials == "elb" and approved.circular == DEMO_CIRCULAR


def test_planner_director_and_reader_download_the_same_bytes_twice(approved, client):
    stored = {kind: served(approved, kind) for kind in DocumentKind}
    for username in ("planificador", "director", "lector"):
        client.force_login(demo_user(username))
        for kind, (url_name, name) in DOWNLOADS.items():
            url = reverse(url_name, args=["IGM", 2024, 3])
            first, second = client.get(url), client.get(url)
            assert first.content == second.content == stored[kind].read(), (username, kind)
            assert hashlib.sha256(first.content).hexdigest() == stored[kind].sha256
            assert first["ETag"] == f'"{stored[kind].sha256}"'
            assert first["Content-Disposition"] == f'attachment; filename="{name}"'
            unchanged = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
            assert unchanged.status_code == 304 and unchanged.content == b""


def test_the_oficio_is_typed_by_the_submitter_and_cites_the_circular_whoever_downloads_it(approved, client):
    client.force_login(demo_user("lector"))
    text = pdf_text(client.get(reverse("reports:oficio", args=["IGM", 2024, 3])).content).replace("- ", "-")
    assert "/elb" in text and "/l " not in text
    assert f"lo solicitado en {DEMO_CIRCULAR} y a lo establecido" in text
    assert approved.oficio_number in text and "BORRADOR" not in text


def test_the_director_may_name_another_typist_when_approving(igm):
    services.submit(user=demo_user("planificador"), institution=igm, year=2024, cuatrimestre=3)
    snapshot = services.approve(
        user=demo_user("director"), institution=igm, year=2024, cuatrimestre=3, typist_initials=" mgr "
    )
    assert snapshot.typist_initials == "mgr"
    assert "/mgr" in pdf_text(served(snapshot, DocumentKind.OFICIO).read())


def test_rendering_the_approval_again_gives_the_stored_bytes(approved):
    report, pdfs = rendered_pdfs(approved)
    for kind, pdf in pdfs.items():
        assert pdf.content == served(approved, kind).read(), kind
    assert render_xlsx(report_from_dict(approved.data["report"]), approved) == served(approved, "xlsx").read()


def test_a_draft_is_still_rendered_on_the_fly_and_marked_borrador(igm, client):
    client.force_login(demo_user("director"))
    stored = StoredDocument.objects.count()  # the demo's approved C1 and C2
    text = pdf_text(client.get(reverse("reports:package", args=["IGM", 2024, 3])).content)
    assert "OFICIO-IGM-DG-BORRADOR" in text and "/dg" in text
    assert StoredDocument.objects.count() == stored


@pytest.mark.parametrize(
    ("arguments", "kind"),
    [
        (["--format", "pdf", "--document", "paquete", "--typist", "zzz"], DocumentKind.PACKAGE),
        (["--format", "pdf", "--document", "oficio"], DocumentKind.OFICIO),
        (["--format", "pdf"], DocumentKind.REPORT_PDF),
        (["--format", "xlsx"], DocumentKind.XLSX),
    ],
)
def test_export_report_writes_the_stored_bytes_of_an_approved_report(approved, tmp_path, arguments, kind):
    output = tmp_path / "documento"
    call_command(
        "export_report", "--institution", "IGM", "--year", "2024", "--cuatrimestre", "3", *arguments, "--output", output
    )
    assert output.read_bytes() == served(approved, kind).read()

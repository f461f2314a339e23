"""An approval that fails after making its documents rolls back whole: no snapshot, the report still in review,
and none of the files it wrote left in storage."""

from pathlib import Path

import pytest
from django.conf import settings

from approvals import documents, services
from approvals.models import CuatrimestreReport, ReportSnapshot, ReportStatus, StoredDocument
from tests.factories import InstitutionFactory, ProductFactory, ResultFactory, RoleUserFactory, SubproductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def institution():
    institution = InstitutionFactory(code="SEGUNDA", acronym="SEG", issuing_office="DG")
    product = ProductFactory(result=ResultFactory(institution=institution, year=2024), name="Dirección y Coordinación")
    SubproductFactory(product=product, name="Dirección y Coordinación")
    return institution


@pytest.fixture
def in_review(institution):
    services.submit(
        user=RoleUserFactory(institution=institution, role="Planificador"),
        institution=institution,
        year=2024,
        cuatrimestre=1,
    )
    return RoleUserFactory(institution=institution, role="Director")


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def assert_nothing_approved(institution, files_before):
    assert CuatrimestreReport.objects.get(institution=institution, year=2024, cuatrimestre=1).status == (
        ReportStatus.IN_REVIEW
    )
    assert not ReportSnapshot.objects.exists() and not StoredDocument.objects.exists()
    assert stored_files() == files_before


def test_a_step_failing_after_the_documents_are_stored_deletes_them(monkeypatch, institution, in_review):
    written = []

    def store_then_fail(snapshot, typist_initials=""):
        store_documents(snapshot, typist_initials=typist_initials)
        written.extend(snapshot.documents.values_list("file", flat=True))
        raise RuntimeError("a later step failed")

    store_documents = services.store_documents
    monkeypatch.setattr(services, "store_documents", store_then_fail)
    before = stored_files()
    with pytest.raises(RuntimeError):
        services.approve(user=in_review, institution=institution, year=2024, cuatrimestre=1)
    assert len(written) == 4  # the four documents had been written before the failure
    assert_nothing_approved(institution, before)


def test_a_document_failing_to_render_deletes_those_already_written(monkeypatch, institution, in_review):
    def broken_xlsx(report, snapshot):
        raise ValueError("cannot render")

    monkeypatch.setattr(documents, "render_xlsx", broken_xlsx)
    before = stored_files()
    with pytest.raises(ValueError):
        services.approve(user=in_review, institution=institution, year=2024, cuatrimestre=1)
    assert_nothing_approved(institution, before)


def test_a_successful_approval_keeps_its_four_files(institution, in_review):
    before = stored_files()
    snapshot = services.approve(user=in_review, institution=institution, year=2024, cuatrimestre=1)
    names = sorted(document.file.name for document in snapshot.documents.all())
    assert sorted(set(stored_files()) - set(before)) == names and len(names) == 4

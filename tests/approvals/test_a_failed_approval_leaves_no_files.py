"""An approval's documents are made in one transaction (approvals.documents.documents_of, run by the job that the
approval enqueues): if making them fails, the files already written are deleted with it and nothing is half stored;
the approval itself stands and its documents are made whole on the next try."""

from pathlib import Path

import pytest
from django.conf import settings

from approvals import documents, services
from approvals.models import StoredDocument
from tests.factories import InstitutionFactory, ProductFactory, ResultFactory, RoleUserFactory, SubproductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved():
    """SEGUNDA's first cuatrimestre, approved; its documents not made yet (the job runs once the approval commits)."""
    institution = InstitutionFactory(code="SEGUNDA", acronym="SEG", issuing_office="DG")
    product = ProductFactory(result=ResultFactory(institution=institution, year=2024), name="Dirección y Coordinación")
    SubproductFactory(product=product, name="Dirección y Coordinación")
    planner = RoleUserFactory(institution=institution, role="Planificador")
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=1)
    director = RoleUserFactory(institution=institution, role="Director")
    return services.approve(user=director, institution=institution, year=2024, cuatrimestre=1)


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_a_step_failing_after_the_documents_are_stored_deletes_them(monkeypatch, approved):
    written = []

    def store_then_fail(snapshot):
        store_documents(snapshot)
        written.extend(snapshot.documents.values_list("file", flat=True))
        raise RuntimeError("a later step failed")

    store_documents = documents.store_documents
    monkeypatch.setattr(documents, "store_documents", store_then_fail)
    before = stored_files()
    with pytest.raises(RuntimeError):
        documents.documents_of(approved)
    assert len(written) == 4  # the four documents had been written before the failure
    assert not StoredDocument.objects.exists() and stored_files() == before


def test_a_document_failing_to_render_deletes_those_already_written(monkeypatch, approved):
    def broken_xlsx(report, snapshot):
        raise ValueError("cannot render")

    monkeypatch.setattr(documents, "render_xlsx", broken_xlsx)
    before = stored_files()
    with pytest.raises(ValueError):
        documents.documents_of(approved)
    assert not StoredDocument.objects.exists() and stored_files() == before
    monkeypatch.undo()
    assert len(documents.documents_of(approved)) == 4  # the next try makes them whole


def test_successful_documents_keep_their_four_files(approved):
    before = stored_files()
    names = sorted(document.file.name for document in documents.documents_of(approved))
    assert sorted(set(stored_files()) - set(before)) == names and len(names) == 4

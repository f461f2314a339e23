"""Reprogramming documents' life, the audit trail, and the public verification of an approved report."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from approvals import services
from goals.models import GoalKind, ReprogrammingStatus, SubproductExecution
from goals.queries import current_goal
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ReprogrammingFactory,
    ReprogrammingLineFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductExecutionFactory,
    SubproductFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%fake resolution\n"


@pytest.fixture
def plan():
    institution = InstitutionFactory(code="REP")
    product = ProductFactory(
        result=ResultFactory(institution=institution, year=2025), name="Emisión", physical_initial=100
    )
    return institution, product


@pytest.fixture
def director(plan):
    return RoleUserFactory(institution=plan[0], role="Director")


def pending_document(institution, product, day=10, with_pdf=True):
    document = ReprogrammingFactory(
        institution=institution, date=datetime.date(2025, 3, day), status=ReprogrammingStatus.PENDING
    )
    if with_pdf:
        document.resolution_pdf.save("res.pdf", SimpleUploadedFile("res.pdf", PDF))
    ReprogrammingLineFactory(reprogramming=document, product=product, kind=GoalKind.PHYSICAL, new_goal=80)
    return document


def test_a_pending_document_counts_only_once_the_director_approves_it(plan, director):
    institution, product = plan
    document = pending_document(institution, product)
    as_of = datetime.date(2025, 4, 30)
    assert current_goal(product, GoalKind.PHYSICAL, as_of) == Decimal("100.00")
    services.approve_reprogramming(user=director, reprogramming=document)
    document.refresh_from_db()
    assert (document.status, document.approved_by) == (ReprogrammingStatus.APPROVED, director)
    assert current_goal(product, GoalKind.PHYSICAL, as_of) == Decimal("80.00")


def test_approval_needs_the_resolution_pdf_and_the_directors_role(plan, director):
    institution, product = plan
    document = pending_document(institution, product, with_pdf=False)
    with pytest.raises(ValidationError, match="PDF de la resolución"):
        services.approve_reprogramming(user=director, reprogramming=document)
    with pytest.raises(PermissionDenied):
        services.approve_reprogramming(
            user=RoleUserFactory(institution=institution, role="Planificador"), reprogramming=document
        )


def test_only_the_latest_approved_document_can_be_reopened(plan, director):
    institution, product = plan
    first = pending_document(institution, product, day=1)
    services.approve_reprogramming(user=director, reprogramming=first)
    second = pending_document(institution, product, day=20)
    services.approve_reprogramming(user=director, reprogramming=second)
    with pytest.raises(ValidationError, match="Solo puede reabrirse la última"):
        services.reopen_reprogramming(user=director, reprogramming=first)
    services.reopen_reprogramming(user=director, reprogramming=second)
    second.refresh_from_db()
    assert second.status == ReprogrammingStatus.PENDING


def test_documents_go_in_date_order_one_pending_at_a_time(plan, director):
    institution, product = plan
    pending_document(institution, product, day=10)
    with pytest.raises(ValidationError, match="pendiente"):
        services.validate_reprogramming_order(institution, datetime.date(2025, 4, 1))


def test_the_director_approves_from_the_reprogrammings_page(client, plan, director):
    institution, product = plan
    document = pending_document(institution, product)
    client.force_login(director)
    page = client.get(reverse("approvals:reprogrammings", args=["REP"])).content.decode()
    assert document.number in page and "Aprobar" in page
    response = client.post(reverse("approvals:reprogramming_action", args=["REP", document.pk, "aprobar"]), follow=True)
    assert "La reprogramación fue aprobada." in response.content.decode()
    assert client.get(reverse("approvals:resolution_pdf", args=["REP", document.pk])).status_code == 200


def test_the_audit_trail_names_who_changed_what(client, plan, director):
    institution, product = plan
    subproduct = SubproductFactory(product=product, name="Pasaportes")
    planner = RoleUserFactory(institution=institution, role="Planificador", first_name="Eva", last_name="López")
    record = SubproductExecutionFactory(subproduct=subproduct, month=2, financial=Decimal("10.00"))
    client.force_login(planner)
    client.get("/")  # any request: the history middleware records who is acting
    record.financial = Decimal("25.50")
    record._history_user = planner
    record.save()
    client.force_login(director)
    html = client.get(reverse("approvals:audit_log", args=["REP"]), {"text": "Pasaportes"}).content.decode()
    assert "Pasaportes" in html and "25.50" in html and "Eva López" in html
    history = client.get(reverse("approvals:item_history", args=["REP", "subproducto", subproduct.pk]))
    assert history.status_code == 200 and "25.50" in history.content.decode()
    client.force_login(planner)
    assert client.get(reverse("approvals:audit_log", args=["REP"])).status_code == 404


def test_anyone_can_verify_an_approved_report_by_its_hash(client, plan, director):
    institution, product = plan
    services.submit(
        user=RoleUserFactory(institution=institution, role="Planificador"),
        institution=institution,
        year=2025,
        cuatrimestre=1,
    )
    snapshot = services.approve(user=director, institution=institution, year=2025, cuatrimestre=1)
    html = client.get(reverse("approvals:verify", args=[snapshot.sha256])).content.decode()
    assert "aprobado y vigente" in html and snapshot.oficio_number in html
    assert "no es auténtico" in client.get(reverse("approvals:verify", args=["0" * 64])).content.decode()
    assert SubproductExecution.objects.count() == 0


@pytest.mark.parametrize("role", ["Lector", "Administrador"])
def test_a_reader_finds_neither_the_reprogrammings_nor_a_pending_ones_resolution(client, plan, role):
    institution, product = plan
    document = pending_document(institution, product)
    client.force_login(RoleUserFactory(institution=institution, role=role))
    assert client.get(reverse("approvals:reprogrammings", args=["REP"])).status_code == 404
    assert client.get(reverse("approvals:resolution_pdf", args=["REP", document.pk])).status_code == 404
    client.force_login(RoleUserFactory(institution=institution, role="Planificador"))
    response = client.get(reverse("approvals:resolution_pdf", args=["REP", document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF

"""Two institutions with the same acronym and issuing office each approve their report: each has its own
correlative of oficios (OFICIO-IGM-DG-001-2025 twice, one per institution), and neither approval fails."""

import pytest

from approvals import services
from approvals.documents import documents_of
from approvals.models import ReportSnapshot
from tests.factories import InstitutionFactory, ProductFactory, ResultFactory, RoleUserFactory, SubproductFactory

pytestmark = pytest.mark.django_db


def institution_with_plan(code):
    institution = InstitutionFactory(code=code, acronym="IGM", issuing_office="DG")
    product = ProductFactory(result=ResultFactory(institution=institution, year=2024), name="Dirección y Coordinación")
    SubproductFactory(product=product, name="Dirección y Coordinación")
    return institution


def approve_first(institution):
    planner = RoleUserFactory(institution=institution, role="Planificador")
    director = RoleUserFactory(institution=institution, role="Director")
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=1)
    return services.approve(user=director, institution=institution, year=2024, cuatrimestre=1)


def test_each_institution_numbers_its_own_oficios_even_with_the_same_acronym():
    first, second = institution_with_plan("IGM-A"), institution_with_plan("IGM-B")
    approved = [approve_first(first), approve_first(second)]
    assert [(s.institution, s.oficio_sequence) for s in approved] == [(first, 1), (second, 1)]
    assert approved[0].oficio_number == approved[1].oficio_number
    assert approved[0].sha256 != approved[1].sha256
    assert len(documents_of(ReportSnapshot.objects.filter(report__institution=second).get())) == 4

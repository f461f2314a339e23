import pytest
from django.test import Client

from approvals import drafts
from tests.factories import InstitutionFactory, RoleUserFactory, build_plan


@pytest.fixture
def large(monkeypatch):
    """Reports of 3 rows or more count as large here (the real threshold is drafts.BACKGROUND_ROWS)."""
    monkeypatch.setattr(drafts, "BACKGROUND_ROWS", 3)


def institution_with_staff(code):
    institution = InstitutionFactory(code=code, acronym=code)
    build_plan(institution, 1, 1, 2)  # one product and two subproducts: three rows
    planner = Client()
    planner.force_login(RoleUserFactory(institution=institution, role="Planificador", username=f"plan-{code}"))
    return institution, planner


@pytest.fixture
def planners(db):
    """The planners of two institutions whose plans share every name."""
    return institution_with_staff("PRI")[1], institution_with_staff("SEG")[1]

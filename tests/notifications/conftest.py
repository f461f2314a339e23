import pytest

from tests.factories import InstitutionFactory, RoleUserFactory, build_plan


def staff(institution, suffix):
    """The institution's planner, director and reader, each with an e-mail address."""
    return {
        role: RoleUserFactory(
            institution=institution,
            role=role,
            username=f"{role.lower()}-{suffix}",
            email=f"{role.lower()}@{suffix}.gob.gt",
        )
        for role in ("Planificador", "Director", "Lector")
    }


@pytest.fixture
def first(db):
    institution = InstitutionFactory(code="PRIMERA", acronym="PRI")
    build_plan(institution, 1, 1, 1)
    return institution


@pytest.fixture
def second(db):
    """Another institution whose plan shares every name with the first's, and its own staff."""
    institution = InstitutionFactory(code="SEGUNDA", acronym="SEG")
    build_plan(institution, 1, 1, 1)
    return institution


@pytest.fixture
def people(first, second):
    return staff(first, "primera"), staff(second, "segunda")

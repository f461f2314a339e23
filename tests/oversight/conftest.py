import pytest
from django.contrib.auth import get_user_model

from approvals import services
from approvals.demo import Loader, demo_data, load_demo
from goals.models import Institution
from tests.factories import RoleUserFactory, UserFactory


def approve_in_order(institution, planner, director, up_to):
    """The planner submits and the director approves the institution's 2024 cuatrimestres up to `up_to`."""
    for cuatrimestre in range(1, up_to + 1):
        if institution.cuatrimestre_reports.filter(cuatrimestre=cuatrimestre, status="aprobado").exists():
            continue
        services.submit(user=planner, institution=institution, year=2024, cuatrimestre=cuatrimestre)
        services.approve(user=director, institution=institution, year=2024, cuatrimestre=cuatrimestre)


@pytest.fixture
def two_approved(db):
    """The demo's IGM and a second institution with the same plan (every name shared), both with 2024's third
    cuatrimestre approved, and a third institution whose report is still a draft."""
    load_demo()
    users = get_user_model().objects
    igm = Institution.objects.get(code="IGM")
    approve_in_order(igm, users.get(username="planificador"), users.get(username="director"), 3)
    data = demo_data()
    data["institution"] = {**data["institution"], "code": "IGSS", "acronym": "IGSS", "name": "Instituto Gemelo"}
    twin = Loader().load_plan(data)
    approve_in_order(twin, RoleUserFactory(institution=twin), RoleUserFactory(institution=twin, role="Director"), 3)
    data["institution"] = {**data["institution"], "code": "DRAFT", "acronym": "DRAFT", "name": "En borrador"}
    Loader().load_plan(data)
    return igm, twin


@pytest.fixture
def segeplan_reader(two_approved):
    """SEGEPLAN staff reading every institution of the fixture."""
    user = UserFactory(username="segeplan", institution=None)
    user.readable_institutions.set(Institution.objects.all())
    return user

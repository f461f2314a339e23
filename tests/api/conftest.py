import pytest
from django.contrib.auth import get_user_model

from approvals import services
from approvals.demo import load_demo
from goals.models import Institution
from tests.factories import InstitutionFactory, RoleUserFactory, token_client


@pytest.fixture
def igm(db):
    load_demo()
    return Institution.objects.get(code="IGM")


@pytest.fixture
def approved(igm):
    """The demo's third cuatrimestre, submitted by the planner and approved by the director."""
    users = get_user_model().objects
    services.submit(user=users.get(username="planificador"), institution=igm, year=2024, cuatrimestre=3)
    return services.approve(user=users.get(username="director"), institution=igm, year=2024, cuatrimestre=3)


@pytest.fixture
def planner(igm):
    """An IGM planner calling with a token: reads every month, approved or not (approvals.reading)."""
    return token_client(get_user_model().objects.get(username="planificador"))


@pytest.fixture
def reader(igm):
    """An IGM reader calling with a token."""
    return token_client(get_user_model().objects.get(username="lector"))


@pytest.fixture
def outsider(db):
    """A reader of another institution, with a token."""
    return token_client(RoleUserFactory(institution=InstitutionFactory(code="OTRA"), role="Lector"))

"""Each institution's version of its figures (goals.versions): bumped by every write of what a page of figures reads,
whatever the path, and only the writer's institution's; the cache keyed by it serves nothing stale."""

import threading
import time
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import translation

from goals import versions
from goals.models import Institution, Product, ProductExecution, Subproduct
from goals.versions import bump, cached_figures, figures_version
from goals.writes import BulkUpserter, write_executions
from tests.factories import InstitutionFactory, institution_with_plan

pytestmark = pytest.mark.django_db


def test_every_model_of_goals_and_approvals_is_registered_or_declared_not_read():
    known = set(versions.registered()) | versions.declared_not_read()
    models = [model for label in ("goals", "approvals") for model in apps.get_app_config(label).get_models()]
    assert [model.__name__ for model in models if model not in known] == []
    assert not set(versions.registered()) & versions.declared_not_read()


@pytest.fixture
def pair():
    """Two institutions whose plans share every name."""
    return institution_with_plan("UNA"), institution_with_plan("OTRA")


def test_a_version_is_zero_without_a_row_and_each_bump_adds_one_to_the_institutions_named():
    one, other = InstitutionFactory(), InstitutionFactory()
    versions.FiguresVersion.objects.all().delete()
    assert figures_version(institution=one) == 0
    bump(institution_ids=[one.pk, one.pk])
    bump(institution_ids=[one.pk])
    assert (figures_version(institution=one), figures_version(institution=other)) == (2, 0)


def test_saving_and_deleting_a_row_bumps_its_institution_only(pair):
    one, other = pair
    before = figures_version(institution=one), figures_version(institution=other)
    product = Product.objects.get(result__institution=one)
    execution = ProductExecution.objects.get(product=product, month=1)
    execution.physical = Decimal("3.00")
    execution.save()
    assert figures_version(institution=one) == before[0] + 1
    execution.delete()
    subproduct = Subproduct.objects.get(product=product)
    subproduct.name = "Otro"
    subproduct.save()
    assert (figures_version(institution=one), figures_version(institution=other)) == (before[0] + 3, before[1])


def test_deleting_an_institution_with_its_plan_bumps_nothing_and_fails_nothing(pair):
    one, other = pair
    before = figures_version(institution=other)
    with transaction.atomic():
        Institution.objects.filter(pk=one.pk).delete()
        connection.check_constraints()  # no version row was written back for the deleted institution
    assert not versions.FiguresVersion.objects.filter(institution_id=one.pk).exists()
    assert figures_version(institution=other) == before


def test_bulk_writes_bump_the_institutions_they_write(pair):
    one, other = pair
    before = figures_version(institution=one), figures_version(institution=other)
    product = Product.objects.select_related("result").get(result__institution=one)
    subproduct = Subproduct.objects.get(product=product)
    write_executions(
        figures={(Subproduct, subproduct.pk, 1): (subproduct, 1, Decimal("7.00"), Decimal("1.00"))}, user=None
    )
    assert figures_version(institution=one) == before[0] + 1
    upserter = BulkUpserter()
    upserter.stage(Product, product, {"pk": product.pk}, {"unit": "Informe"})
    upserter.flush(Product)
    assert (figures_version(institution=one), figures_version(institution=other)) == (before[0] + 2, before[1])


def count_computations():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_a_cached_computation_is_served_until_its_institution_is_written(pair, django_capture_on_commit_callbacks):
    one, other = pair
    calls, compute = count_computations()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert cached_figures(institution=one, parts=("x",), compute=compute) == 1
    bump(institution_ids=[other.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert cached_figures(institution=one, parts=("x",), compute=compute) == 1
    bump(institution_ids=[one.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert cached_figures(institution=one, parts=("x",), compute=compute) == 2
    assert len(calls) == 2


def test_figures_computed_in_a_transaction_that_rolls_back_are_never_stored(pair):
    one, _other = pair
    calls, compute = count_computations()
    with transaction.atomic():
        bump(institution_ids=[one.pk])
        cached_figures(institution=one, parts=("x",), compute=compute)
        transaction.set_rollback(True)
    with transaction.atomic():
        bump(institution_ids=[one.pk])
        assert cached_figures(institution=one, parts=("x",), compute=compute) == 2
    assert len(calls) == 2


def test_a_warm_read_costs_one_query(pair, django_assert_num_queries, django_capture_on_commit_callbacks):
    one, _other = pair
    with django_capture_on_commit_callbacks(execute=True):
        cached_figures(institution=one, parts=("x",), compute=lambda: "figures")
    with django_assert_num_queries(1):  # the version; the cache is no database
        assert cached_figures(institution=one, parts=("x",), compute=lambda: "again") == "figures"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_the_flush")
def test_readers_missing_the_same_entry_at_once_compute_it_once():
    institution = InstitutionFactory()
    calls = []
    results = []
    together = threading.Barrier(4)

    def compute():
        calls.append(1)
        time.sleep(0.3)
        return "figures"

    def read():
        together.wait()
        try:
            results.append(cached_figures(institution=institution, parts=("x",), compute=compute))
        finally:
            connection.close()

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert results == ["figures"] * 4
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_the_flush")
def test_a_reader_computes_the_entry_itself_when_the_one_computing_it_never_stores_it(monkeypatch):
    institution = InstitutionFactory()
    monkeypatch.setattr(versions, "COMPUTING_WAIT_SECONDS", 0.1)
    version = figures_version(institution=institution)
    key = f"figures:{versions.CACHED_FORMAT}:{institution.pk}:{version}:{translation.get_language()}:x"
    assert cache.add(f"{key}:computing", True, 60)  # a reader that died computing it
    assert cached_figures(institution=institution, parts=("x",), compute=lambda: "figures") == "figures"
    assert cache.get(key) == "figures"


@pytest.mark.django_db
def test_an_entry_an_earlier_release_left_in_the_cache_is_not_read(monkeypatch, django_capture_on_commit_callbacks):
    institution = InstitutionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        cached_figures(institution=institution, parts=("x",), compute=lambda: "old shape")
    assert cached_figures(institution=institution, parts=("x",), compute=lambda: "new shape") == "old shape"
    monkeypatch.setattr(versions, "CACHED_FORMAT", versions.CACHED_FORMAT + 1)
    assert cached_figures(institution=institution, parts=("x",), compute=lambda: "new shape") == "new shape"

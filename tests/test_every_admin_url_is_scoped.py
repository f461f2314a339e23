"""Every admin address of one institution's records, tried as each role of another institution whose plan shares
every name: 403, 404 or a redirect, never its data. Lists, filters, choices and exports show only one's own."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from approvals import services
from approvals.models import CuatrimestreReport, Period
from goals.evidence import attach_evidence
from goals.models import (
    Evidence,
    GoalKind,
    Institution,
    Product,
    Reprogramming,
    ReprogrammingStatus,
    Result,
    Subproduct,
)
from tests.factories import (
    InstitutionFactory,
    ProductExecutionFactory,
    ProductFactory,
    ProductProgrammeFactory,
    ReprogrammingFactory,
    ReprogrammingLineFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductExecutionFactory,
    SubproductFactory,
    SubproductProgrammeFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["Planificador", "Director", "Lector", "Administrador"]
VICTIM_REASON = "Prórroga de la víctima"


def institution_with_plan(code):
    """An institution whose plan has the names every institution has, its first report approved, its users and
    an extension of the first cuatrimestre's entry window."""
    institution = InstitutionFactory(code=code, name="Institución de prueba", acronym=code)
    result = ResultFactory(institution=institution, year=2024, description="Gestión institucional")
    product = ProductFactory(result=result, name="Dirección y Coordinación")
    subproduct = SubproductFactory(product=product, name="Dirección y Coordinación")
    ProductExecutionFactory(product=product, month=2, physical=Decimal("5.00"))
    SubproductExecutionFactory(subproduct=subproduct, month=2, physical=Decimal("5.00"), financial=Decimal("50.00"))
    ProductProgrammeFactory(product=product, month=2, physical=Decimal("5.00"))
    SubproductProgrammeFactory(subproduct=subproduct, month=2, physical=Decimal("5.00"))
    users = {role: RoleUserFactory(institution=institution, role=role, is_staff=True) for role in ROLES}
    attach_evidence(
        user=users["Planificador"], institution=institution, row=product, year=2024, month=2,
        upload=SimpleUploadedFile("acta.pdf", b"%PDF-1.4\n"), description=f"Acta de febrero de {code}",
    )  # fmt: skip
    services.submit(user=users["Planificador"], institution=institution, year=2024, cuatrimestre=1)
    services.approve(user=users["Director"], institution=institution, year=2024, cuatrimestre=1)
    document = ReprogrammingFactory(
        institution=institution, number="RES-001", date=datetime.date(2024, 6, 1), status=ReprogrammingStatus.PENDING
    )
    ReprogrammingLineFactory(reprogramming=document, product=product, kind=GoalKind.PHYSICAL, new_goal=Decimal("90.00"))
    period, _created = Period.objects.get_or_create(year=2024, cuatrimestre=2)
    period.extensions.create(
        institution=institution, load_deadline=datetime.date(2024, 9, 30), reason=f"{VICTIM_REASON} {code}"
    )
    return institution


@pytest.fixture
def victim():
    institution_with_plan("OTRA")
    return institution_with_plan("VICTIMA")


def victim_records(victim):
    """(admin URL name, record) of every record of the victim that has an admin page."""
    records = [("goals_institution", victim)]
    records += [("goals_result", record) for record in Result.objects.filter(institution=victim)]
    records += [("goals_product", record) for record in Product.objects.filter(result__institution=victim)]
    records += [
        ("goals_subproduct", record) for record in Subproduct.objects.filter(product__result__institution=victim)
    ]
    records += [("goals_reprogramming", record) for record in Reprogramming.objects.filter(institution=victim)]
    records += [("goals_evidence", record) for record in Evidence.objects.filter(institution=victim)]
    records += [
        ("approvals_cuatrimestrereport", record) for record in CuatrimestreReport.objects.filter(institution=victim)
    ]
    records += [
        ("approvals_reportsnapshot", record)
        for record in victim.cuatrimestre_reports.get(cuatrimestre=1).snapshots.all()
    ]
    records += [("accounts_user", record) for record in victim.users.all()]
    return records


def victim_urls(victim):
    urls = []
    for name, record in victim_records(victim):
        urls += [reverse(f"admin:{name}_{action}", args=[record.pk]) for action in ("change", "delete", "history")]
        if name == "accounts_user":
            urls.append(reverse("admin:auth_user_password_change", args=[record.pk]))
    return urls


def attacker(role):
    return Institution.objects.get(code="OTRA").users.get(groups__name=role)


@pytest.mark.parametrize("role", ROLES)
def test_another_institutions_staff_get_no_page_of_its_records(client, victim, role):
    client.force_login(attacker(role))
    urls = victim_urls(victim)
    found = {name for name, _record in victim_records(victim)}
    assert len(found) == 9 and victim.users.count() == len(ROLES)
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 403, 404), (method, url, response.status_code)
            if response.status_code == 302:
                assert not response["Location"].startswith(url), url
    assert victim.users.filter(is_active=True).count() == len(ROLES)
    assert Product.objects.filter(result__institution=victim).count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_lists_choices_and_filters_show_only_ones_own_institution(client, victim, role):
    user = attacker(role)
    client.force_login(user)
    own = user.institution
    victim_pks = {(type(record), record.pk) for _name, record in victim_records(victim)}
    listed = 0
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code in (200, 302, 403), url
        if response.status_code != 200:
            continue
        listed += 1
        rows = list(response.context["cl"].result_list)
        assert not {(type(row), row.pk) for row in rows} & victim_pks, url
        page = response.content.decode()
        assert "VICTIMA" not in page and VICTIM_REASON not in page, url
    assert listed >= 2  # every role at least lists its institution and its reports
    for add in ("goals_result_add", "goals_reprogramming_add", "accounts_user_add", "approvals_period_add"):
        response = client.get(reverse(f"admin:{add}"))
        if response.status_code == 200:
            assert "VICTIMA" not in response.content.decode(), add
    period = Period.objects.get(year=2024, cuatrimestre=2)
    response = client.get(reverse("admin:approvals_period_change", args=[period.pk]))
    if response.status_code == 200:
        page = response.content.decode()
        assert f"{VICTIM_REASON} VICTIMA" not in page
        assert (f"{VICTIM_REASON} OTRA" in page) == (role == "Administrador")  # who sees extensions sees his own
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "approvals", "model_name": "periodextension", "field_name": "institution", "term": ""},
    )
    if autocomplete.status_code == 200:
        assert [item["id"] for item in autocomplete.json()["results"]] == [str(own.pk)]


@pytest.mark.parametrize("role", ["Planificador", "Director"])
def test_exports_hold_only_ones_own_institution(client, victim, role):
    """Each export is posted as the admin's action posts it, with the victim's own records of that export's model
    selected (its products for the product export, its reprogrammings for the reprogramming export)."""
    client.force_login(attacker(role))
    exports = (
        ("goals_product_export", (0, 1), Product.objects.filter(result__institution=victim)),
        ("goals_reprogramming_export", (0,), Reprogramming.objects.filter(institution=victim)),
    )
    exported = 0
    for export, resources, victim_records_of_model in exports:
        victim_pks = [str(pk) for pk in victim_records_of_model.values_list("pk", flat=True)]
        assert victim_pks, export
        form = client.get(reverse(f"admin:{export}")).context["form"]
        csv = next(value for value, label in form.fields["format"].choices if label == "csv")
        for resource in resources:
            for items in ({}, {"export_items": victim_pks}):
                response = client.post(reverse(f"admin:{export}"), {"format": csv, "resource": resource, **items})
                assert response.status_code == 200 and "attachment" in response["Content-Disposition"], export
                text = response.content.decode("utf-8-sig")
                assert "VICTIMA" not in text, (export, resource, items)
                exported += 1
                if not items:
                    assert "OTRA" in text, (export, resource)
    assert exported == 6


def test_a_superuser_still_sees_every_institution(client, victim):
    client.force_login(RoleUserFactory(institution=None, is_superuser=True, is_staff=True, username="root"))
    response = client.get(reverse("admin:goals_product_changelist"))
    assert {row.result.institution.code for row in response.context["cl"].result_list} == {"OTRA", "VICTIMA"}
    assert "VICTIMA" in client.get(reverse("admin:approvals_cuatrimestrereport_changelist")).content.decode()

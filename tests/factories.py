"""Factories for every model; tests build their own small plans with these."""

import datetime
from decimal import Decimal
from importlib import import_module
from typing import NamedTuple

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from approvals import services
from approvals.demo import Loader, demo_data, load_demo
from approvals.models import Justification, ReportStatus
from goals.models import (
    GoalKind,
    Institution,
    LinkType,
    Product,
    ProductExecution,
    ProductProgramme,
    Reprogramming,
    ReprogrammingLine,
    ReprogrammingStatus,
    Result,
    Subproduct,
    SubproductExecution,
    SubproductProgramme,
)
from reports.progress import ProductProgress, Progress


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"INS{n}")
    name = factory.LazyAttribute(lambda o: f"Institución {o.code}")
    acronym = factory.LazyAttribute(lambda o: o.code)
    authority_name = "Lic. Ana Pérez"
    authority_title = "Directora General"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    institution = factory.SubFactory(InstitutionFactory)
    password = factory.PostGenerationMethodCall("set_password", "a-strong-password-1")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    institution = factory.SubFactory(InstitutionFactory)
    year = 2024
    link = LinkType.RI
    strategic_axis = "-"
    strategic_action = ""
    description = factory.Sequence(lambda n: f"Resultado {n}")
    order = factory.Sequence(lambda n: n)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    result = factory.SubFactory(ResultFactory)
    name = factory.Sequence(lambda n: f"Producto {n}")
    unit = "Persona"
    order = factory.Sequence(lambda n: n)
    physical_initial = Decimal("100.00")


class SubproductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subproduct

    product = factory.SubFactory(ProductFactory)
    name = factory.Sequence(lambda n: f"Subproducto {n}")
    unit = "Persona"
    order = factory.Sequence(lambda n: n)
    physical_initial = Decimal("100.00")
    financial_initial = Decimal("1000.00")


class ReprogrammingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reprogramming

    institution = factory.SubFactory(InstitutionFactory)
    number = factory.Sequence(lambda n: f"RES-{n:03d}-2024")
    date = datetime.date(2024, 6, 30)
    justification = "Ajuste de metas"
    status = ReprogrammingStatus.APPROVED


class ReprogrammingLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReprogrammingLine

    reprogramming = factory.SubFactory(ReprogrammingFactory)
    kind = GoalKind.PHYSICAL
    new_goal = Decimal("50.00")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """A line is written while its document is pending (goals.signals keeps an approved one's lines): an
        approved document is set back to pending for the write and approved again, as a director would."""
        documents = Reprogramming.objects.filter(pk=kwargs["reprogramming"].pk, status=ReprogrammingStatus.APPROVED)
        reopened = documents.update(status=ReprogrammingStatus.PENDING)
        line = super()._create(model_class, *args, **kwargs)
        if reopened:
            Reprogramming.objects.filter(pk=kwargs["reprogramming"].pk).update(status=ReprogrammingStatus.APPROVED)
        return line


class ProductExecutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductExecution

    product = factory.SubFactory(ProductFactory)
    month = 1
    physical = Decimal("0.00")


class SubproductExecutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubproductExecution

    subproduct = factory.SubFactory(SubproductFactory)
    month = 1
    physical = Decimal("0.00")
    financial = Decimal("0.00")


class ProductProgrammeFactory(ProductExecutionFactory):
    class Meta:
        model = ProductProgramme


class SubproductProgrammeFactory(SubproductExecutionFactory):
    class Meta:
        model = SubproductProgramme


class JustificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Justification

    institution = factory.SubFactory(InstitutionFactory)
    year = 2024
    cuatrimestre = 1
    product = "Producto"
    subproduct = ""
    kind = "producto"
    text = "Se explica la desviación."
    updated_by = factory.SubFactory(UserFactory, institution=factory.SelfAttribute("..institution"))


def restore_roles():
    """Create the role groups as their migration does, with the models as they were then (a test that commits
    ends by emptying the database, role groups included)."""
    migration = ("approvals", "0002_roles")
    state = MigrationExecutor(connection).loader.project_state(migration)
    import_module("approvals.migrations.0002_roles").create_roles(state.apps, None)


class RoleUserFactory(UserFactory):
    """A user in one of the groups of the roles migration: RoleUserFactory(role="Director"); planner by default."""

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=extracted or "Planificador"))


def progress_row(name, unit, physical, financial):
    """A reports.progress.ProductProgress measured at September, from (current goal, cumulative, programmed) of
    each kind, without the database: the executed cumulative in January, -1.00 in September, zeros elsewhere."""

    def kind(current, cumulative, programmed):
        months = (cumulative, *[Decimal("0.00")] * 7, Decimal("-1.00"), *[Decimal("0.00")] * 3)
        return Progress(current=current, months=months, cumulative=cumulative, programmed=programmed, month=9)

    return ProductProgress(
        institution_code="IGM", institution_name="IGM", year=2024, link=LinkType.RI, result="R", product_id=1,
        name=name, unit=unit, physical=kind(*physical), financial=kind(*financial),
    )  # fmt: skip


def build_plan(institution, results, products_per_result, subproducts_per_product):
    """A plan with executed months and a reprogramming, written in bulk."""
    document = ReprogrammingFactory(institution=institution, date=datetime.date(2024, 3, 1))
    for r in range(results):
        result = Result.objects.create(institution=institution, year=2024, link="RI", description=f"R{r}", order=r)
        for p in range(products_per_result):
            product = Product.objects.create(result=result, name=f"P{r}-{p}", unit="Persona", physical_initial=100)
            ReprogrammingLineFactory(reprogramming=document, product=product, kind=GoalKind.PHYSICAL, new_goal=90)
            ProductExecution.objects.bulk_create(
                ProductExecution(product=product, month=month, physical=month) for month in range(1, 13)
            )
            subproducts = Subproduct.objects.bulk_create(
                Subproduct(product=product, name=f"S{s}", unit="Persona", physical_initial=10, financial_initial=1000)
                for s in range(subproducts_per_product)
            )
            SubproductExecution.objects.bulk_create(
                SubproductExecution(subproduct=sub, month=month, physical=1, financial=Decimal("10.25"))
                for sub in subproducts
                for month in range(1, 13)
            )


class TokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Token

    user = factory.SubFactory(UserFactory)


def token_client(user):
    """An API client that sends a new token of `user`, as a program would."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")
    return client


def demo_in_draft():
    """The demo's plan, execution and users with no report acted on yet (load_demo approves its first two
    cuatrimestres): for tests that enter or change its early months, as planners do before any approval."""
    loader = Loader()
    institution = loader.load_plan(demo_data())
    loader.load_users(institution)
    return institution


ROLES = ("Planificador", "Director", "Lector", "Administrador")
# The plan item names every institution has (the demo's first product and subproduct): a second institution made
# with the same names is the test of scoping by institution rather than by name.
SHARED_NAME = "Dirección y Coordinación"


def role_users(institution, roles=ROLES):
    """One user of each role of `institution`, by role name; the same users on a second call."""
    return {
        role: RoleUserFactory(institution=institution, role=role, username=f"{role.lower()}-{institution.code.lower()}")
        for role in roles
    }


class PlanItems(NamedTuple):
    result: Result
    product: Product
    subproduct: Subproduct


def plan_with_goals(
    institution,
    *,
    year=2024,
    name=SHARED_NAME,
    physical_goal=Decimal("100.00"),
    financial_goal=Decimal("1000.00"),
    monthly_physical=Decimal("1.00"),
    monthly_financial=Decimal("10.25"),
):
    """One result, one product and its one subproduct (same name and unit, so the product's money is the
    subproduct's), with their goals and the same execution in every month of the year (a product's physical
    figure equal to its subproduct's)."""
    result = ResultFactory(institution=institution, year=year, description="Gestión institucional")
    product = ProductFactory(result=result, name=name, physical_initial=physical_goal)
    subproduct = SubproductFactory(
        product=product, name=name, physical_initial=physical_goal, financial_initial=financial_goal
    )
    ProductExecution.objects.bulk_create(
        ProductExecution(product=product, month=month, physical=monthly_physical) for month in range(1, 13)
    )
    SubproductExecution.objects.bulk_create(
        SubproductExecution(subproduct=subproduct, month=month, physical=monthly_physical, financial=monthly_financial)
        for month in range(1, 13)
    )
    return PlanItems(result, product, subproduct)


def institution_with_plan(code, **plan):
    """An institution (code and acronym `code`) with plan_with_goals(**plan); every such institution shares its
    plan's names with the others."""
    institution = InstitutionFactory(code=code, acronym=code, name=f"Institución {code}")
    plan_with_goals(institution, **plan)
    return institution


def submitted_report(*, institution, cuatrimestre, year=2024, planner=None):
    """The report sent to review by a planner of the institution, through approvals.services."""
    planner = planner or role_users(institution, ["Planificador"])["Planificador"]
    return services.submit(user=planner, institution=institution, year=year, cuatrimestre=cuatrimestre)


def approved_report(*, institution, cuatrimestre, year=2024, planner=None, director=None):
    """The report submitted and approved through approvals.services, each earlier cuatrimestre of the year first
    (they close in order); returns the snapshot of `cuatrimestre`."""
    users = role_users(institution, ["Planificador", "Director"])
    planner = planner or users["Planificador"]
    director = director or users["Director"]
    snapshot = None
    for number in range(1, cuatrimestre + 1):
        if institution.cuatrimestre_reports.filter(
            year=year, cuatrimestre=number, status=ReportStatus.APPROVED
        ).exists():
            continue
        submitted_report(institution=institution, cuatrimestre=number, year=year, planner=planner)
        snapshot = services.approve(user=director, institution=institution, year=year, cuatrimestre=number)
    return snapshot


def igm_for(request, *, approved_through=0):
    """The demo's IGM for a test marked `seed` (it asserts the seed's figures); for any other, an institution IGM
    with plan_with_goals and its cuatrimestres up to `approved_through` approved (the demo loads 1 and 2 approved)."""
    if request.node.get_closest_marker("seed"):
        load_demo()
        return Institution.objects.get(code="IGM")
    institution = institution_with_plan("IGM")
    if approved_through:
        approved_report(institution=institution, cuatrimestre=approved_through)
    return institution

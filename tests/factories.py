"""Factories for every model; tests build their own small plans with these."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

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


class RoleUserFactory(UserFactory):
    """A user in one of the groups of the roles migration: RoleUserFactory(role="Director"); planner by default."""

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=extracted or "Planificador"))


class TokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Token

    user = factory.SubFactory(UserFactory)


def token_client(user):
    """An API client that sends a new token of `user`, as a program would."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")
    return client

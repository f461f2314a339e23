"""A synthetic plan for benchmarks: N institutions, each the seed's plan (IGM 2024) repeated k times.

    build_institutions(count, scale)   # in a fresh, migrated database; Django must be set up

Each institution gets the seed's results, products and subproducts `scale` times over (copies
after the first are named "… (copia 2)"), its reprogramming (approved, the seed's lines), twelve
months of execution (approvals.demo's figures: every cumulative as the seed prints it) and three users,
`<code>-planificador`, `<code>-director` and `<code>-lector`, with the password PASSWORD. Rows go
in with bulk_create (no history records, no lock checks): a 100× institution takes seconds.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from approvals.demo import demo_data, monthly_execution
from goals.models import (
    GoalKind,
    Institution,
    Product,
    ProductExecution,
    Reprogramming,
    ReprogrammingLine,
    ReprogrammingStatus,
    Result,
    Subproduct,
    SubproductExecution,
)
from goals.roles import DIRECTOR, PLANNER, READER

PASSWORD = "bench-password-2024"
ROLE_USERS = {"planificador": PLANNER, "director": DIRECTOR, "lector": READER}
BATCH = 2000


def code_of(number):
    return f"B{number:03d}"


def username(code, role):
    """ "B001-planificador": one of ROLE_USERS' keys."""
    return f"{code}-{role}"


def copy_name(name, copy):
    return name if copy == 1 else f"{name} (copia {copy})"


def goal_line(reprogramming, goal, kind, **target):
    """A reprogramming line where the seed prints a current goal different from the initial one."""
    if goal["current"] == goal["initial"]:
        return []
    return [ReprogrammingLine(reprogramming=reprogramming, kind=kind, new_goal=Decimal(goal["current"]), **target)]


class PlanBuilder:
    """Collects one institution's rows in memory, then writes them table by table."""

    def __init__(self, data, institution, scale):
        self.data = data
        self.institution = institution
        self.scale = scale
        self.year = data["year"]

    def build(self):
        reprogramming_data = self.data["reprogramming"]
        reprogramming = Reprogramming.objects.create(
            institution=self.institution,
            number=reprogramming_data["number"],
            date=datetime.date.fromisoformat(reprogramming_data["date"]),
            justification=reprogramming_data["justification"],
            status=ReprogrammingStatus.APPROVED,
            approved_at=timezone.make_aware(datetime.datetime.fromisoformat(reprogramming_data["approved_at"])),
        )
        results = self.results()
        products = self.products(results)
        subproducts = self.subproducts(products)
        lines, product_rows, subproduct_rows = [], [], []
        for product, product_data in products:
            lines += goal_line(reprogramming, product_data["physical"], GoalKind.PHYSICAL, product=product)
            product_rows += [
                ProductExecution(product=product, month=month, physical=physical)
                for month, physical in monthly_execution(product_data["physical"]).items()
            ]
        for subproduct, sub_data in subproducts:
            lines += goal_line(reprogramming, sub_data["physical"], GoalKind.PHYSICAL, subproduct=subproduct)
            lines += goal_line(reprogramming, sub_data["financial"], GoalKind.FINANCIAL, subproduct=subproduct)
            financial = monthly_execution(sub_data["financial"])
            subproduct_rows += [
                SubproductExecution(subproduct=subproduct, month=month, physical=physical, financial=financial[month])
                for month, physical in monthly_execution(sub_data["physical"]).items()
            ]
        ReprogrammingLine.objects.bulk_create(lines, batch_size=BATCH)
        ProductExecution.objects.bulk_create(product_rows, batch_size=BATCH)
        SubproductExecution.objects.bulk_create(subproduct_rows, batch_size=BATCH)
        return len(products), len(subproducts)

    def results(self):
        """[(Result, its seed data)], the seed's results once per copy."""
        pairs = []
        for copy in range(1, self.scale + 1):
            for result_data in self.data["results"]:
                identity = {key: value for key, value in result_data.items() if key != "products"}
                identity["description"] = copy_name(identity["description"], copy)
                pairs.append(
                    (
                        Result(institution=self.institution, year=self.year, order=len(pairs) + 1, **identity),
                        result_data,
                        copy,
                    )
                )
        Result.objects.bulk_create([result for result, _data, _copy in pairs], batch_size=BATCH)
        return pairs

    def products(self, results):
        pairs = [
            (
                Product(
                    result=result,
                    name=copy_name(product_data["name"], copy),
                    unit=product_data["unit"],
                    order=order,
                    physical_initial=Decimal(product_data["physical"]["initial"]),
                ),
                product_data,
            )
            for result, result_data, copy in results
            for order, product_data in enumerate(result_data["products"], start=1)
        ]
        Product.objects.bulk_create([product for product, _data in pairs], batch_size=BATCH)
        return pairs

    def subproducts(self, products):
        pairs = [
            (
                Subproduct(
                    product=product,
                    name=sub_data["name"],
                    unit=sub_data["unit"],
                    order=order,
                    physical_initial=Decimal(sub_data["physical"]["initial"]),
                    financial_initial=Decimal(sub_data["financial"]["initial"]),
                ),
                sub_data,
            )
            for product, product_data in products
            for order, sub_data in enumerate(product_data["subproducts"], start=1)
        ]
        Subproduct.objects.bulk_create([subproduct for subproduct, _data in pairs], batch_size=BATCH)
        return pairs


def create_users(institutions):
    """Three users per institution, one per role, sharing one password hash (hashing is deliberately slow)."""
    password = make_password(PASSWORD)
    User = get_user_model()
    users = {}
    for institution in institutions:
        for role in ROLE_USERS:
            users[(institution.code, role)] = User(
                username=username(institution.code, role),
                first_name=role.capitalize(),
                institution=institution,
                password=password,
            )
    User.objects.bulk_create(users.values(), batch_size=BATCH)
    memberships = User.groups.through
    groups = {role: Group.objects.get(name=name) for role, name in ROLE_USERS.items()}
    memberships.objects.bulk_create(
        [memberships(user=user, group=groups[role]) for (_code, role), user in users.items()], batch_size=BATCH
    )


def scale_of(number, scale, large_scale, large_every):
    return large_scale if large_scale and number % large_every == 0 else scale


@transaction.atomic
def build_institutions(count, scale, *, large_scale=None, large_every=10):
    """`count` institutions B001… each with the seed's plan `scale` times over; [(code, products, subproducts)].

    With `large_scale`, every `large_every`-th institution (B010, B020…) is that many times the seed instead.
    """
    data = demo_data()
    seed = data["institution"]
    institutions = Institution.objects.bulk_create(
        [
            Institution(
                **{
                    **seed,
                    "code": code_of(number),
                    "acronym": code_of(number),
                    "name": f"{seed['name']} (sintética {number})",
                }
            )
            for number in range(1, count + 1)
        ]
    )
    sizes = [
        (institution.code, *PlanBuilder(data, institution, scale_of(number, scale, large_scale, large_every)).build())
        for number, institution in enumerate(institutions, start=1)
    ]
    create_users(institutions)
    return sizes

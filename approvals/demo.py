"""The demo institution: IGM's 2024 plan and execution as its third-cuatrimestre report prints them, and one user per
role.

demo_data/igm_2024.json holds each row's initial and current goals, its September–December execution
and its cumulative to December, as printed. January–August are not printed: the loader spreads
what the cumulative leaves over those eight months, so every cumulative equals the seed's.
The first two cuatrimestres of 2024 are loaded approved by the demo director, as they were before
the seed's third report, so the third can be submitted and approved (cuatrimestres close in order).
Running it again changes nothing (rows are matched by name and only saved when they differ; a report
someone has acted on is left as it is).
"""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from goals.evidence import attach_evidence
from goals.models import (
    Evidence,
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
from goals.periods import CUATRIMESTRES
from goals.roles import ADMINISTRATOR, DIRECTOR, PLANNER, READER
from goals.writes import Upserter

from . import services as approvals
from .models import Circular, CuatrimestreReport, Justification, RequiredJustification

# SEGEPLAN's circular of 2024 that set every cuatrimestre's report; the seed's oficio cites it.
DEMO_CIRCULAR = "OFICIO CIRCULAR-SPPD-DASP-01-2024/rdlo"
DEMO_DATA = Path(__file__).parent / "demo_data" / "igm_2024.json"
# The planner's answer to each alert of the third cuatrimestre, and the kinds the demo requires answered.
DEMO_JUSTIFICATIONS = Path(__file__).parent / "demo_data" / "igm_2024_justifications.json"
# Medios de verificación of the third cuatrimestre: (product, subproduct or "", month, description, file name, the
# text its one-page PDF shows).
DEMO_EVIDENCE = (
    (
        "Dirección y Coordinación", "", 12,
        "Informe de compras de diciembre: mobiliario adjudicado, pago en enero",
        "informe-compras-diciembre-2024.pdf", "IGM - Informe de compras de diciembre 2024",
    ),
    (
        "Emision de Documentos Migratorios", "Prorroga de Documentos Migratorios", 9,
        "Reporte de SICOIN del gasto en prórrogas de septiembre",
        "sicoin-prorrogas-septiembre-2024.pdf", "IGM - SICOIN: gasto en prorrogas, septiembre 2024",
    ),
)  # fmt: skip
APPROVED_CUATRIMESTRES = (1, 2)
EARLY_MONTHS = range(1, 9)
LATE_MONTHS = range(9, 13)


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    first_name: str
    is_staff: bool = True
    is_superuser: bool = False
    initials: str = ""


DEMO_USERS = (
    DemoUser("planificador", "planificador-demo-2024", PLANNER, "Planificadora de la UPE", initials="elb"),
    DemoUser("director", "director-demo-2024", DIRECTOR, "Director General"),
    DemoUser("lector", "lector-demo-2024", READER, "Lectora", is_staff=False),
    DemoUser("admin", "admin-demo-2024", ADMINISTRATOR, "Administrador", is_superuser=True),
)


def demo_data():
    return json.loads(DEMO_DATA.read_text(encoding="utf-8"))


def spread(total, parts):
    """Split `total` into `parts` near-equal amounts, in whole units when it is whole, else in cents."""
    step = Decimal("1") if total == total.to_integral_value() else Decimal("0.01")
    base, extra = divmod(int(total / step), parts)
    return [(base + (1 if index >= parts - extra else 0)) * step for index in range(parts)]


def monthly_execution(goal):
    """Twelve monthly figures: January–August spread from the cumulative, September–December as printed."""
    late = [Decimal(value) for value in goal["sep_dec"]]
    early = spread(Decimal(goal["cumulative"]) - sum(late), len(EARLY_MONTHS))
    return dict(zip([*EARLY_MONTHS, *LATE_MONTHS], early + late))


class Loader(Upserter):
    """Loads the demo's plan, execution and users, saving only what differs."""

    def load_plan(self, data):
        institution = self.upsert(Institution, {"code": data["institution"]["code"]}, data["institution"])
        year = data["year"]
        reprogramming = self.upsert(
            Reprogramming,
            {"institution": institution, "number": data["reprogramming"]["number"]},
            {
                "date": datetime.date.fromisoformat(data["reprogramming"]["date"]),
                "justification": data["reprogramming"]["justification"],
            },
        )
        for result_order, result_data in enumerate(data["results"], start=1):
            identity = {key: value for key, value in result_data.items() if key != "products"}
            result = self.upsert(
                Result, {"institution": institution, "year": year, **identity}, {"order": result_order}
            )
            for product_order, product_data in enumerate(result_data["products"], start=1):
                self.load_product(result, product_order, product_data, reprogramming)
        # Approved once its lines are in: an approved document's lines do not change (goals.signals).
        self.upsert(
            Reprogramming,
            {"pk": reprogramming.pk},
            {
                "status": ReprogrammingStatus.APPROVED,
                "approved_at": timezone.make_aware(
                    datetime.datetime.fromisoformat(data["reprogramming"]["approved_at"])
                ),
            },
        )
        return institution

    def load_product(self, result, order, data, reprogramming):
        product = self.upsert(
            Product,
            {"result": result, "name": data["name"]},
            {"unit": data["unit"], "order": order, "physical_initial": Decimal(data["physical"]["initial"])},
        )
        self.load_goal(reprogramming, {"product": product}, GoalKind.PHYSICAL, data["physical"])
        for month, physical in monthly_execution(data["physical"]).items():
            self.upsert(ProductExecution, {"product": product, "month": month}, {"physical": physical})
        for sub_order, sub_data in enumerate(data["subproducts"], start=1):
            self.load_subproduct(product, sub_order, sub_data, reprogramming)

    def load_subproduct(self, product, order, data, reprogramming):
        subproduct = self.upsert(
            Subproduct,
            {"product": product, "name": data["name"]},
            {
                "unit": data["unit"],
                "order": order,
                "physical_initial": Decimal(data["physical"]["initial"]),
                "financial_initial": Decimal(data["financial"]["initial"]),
            },
        )
        self.load_goal(reprogramming, {"subproduct": subproduct}, GoalKind.PHYSICAL, data["physical"])
        self.load_goal(reprogramming, {"subproduct": subproduct}, GoalKind.FINANCIAL, data["financial"])
        financial = monthly_execution(data["financial"])
        for month, physical in monthly_execution(data["physical"]).items():
            self.upsert(
                SubproductExecution,
                {"subproduct": subproduct, "month": month},
                {"physical": physical, "financial": financial[month]},
            )

    def load_goal(self, reprogramming, target, kind, goal):
        """A reprogramming line wherever the printed current goal differs from the initial one."""
        if goal["current"] != goal["initial"]:
            self.upsert(
                ReprogrammingLine,
                {"reprogramming": reprogramming, "kind": kind, **target},
                {"new_goal": Decimal(goal["current"])},
            )

    def load_circulars(self, year):
        """The circular each cuatrimestre's oficio answers."""
        for cuatrimestre in CUATRIMESTRES:
            self.upsert(Circular, {"year": year, "cuatrimestre": cuatrimestre}, {"number": DEMO_CIRCULAR})

    def load_users(self, institution):
        for demo in DEMO_USERS:
            user = self.upsert(
                get_user_model(),
                {"username": demo.username},
                {
                    "first_name": demo.first_name,
                    "initials": demo.initials,
                    "institution": institution,
                    "is_staff": demo.is_staff,
                    "is_superuser": demo.is_superuser,
                },
            )
            if not user.password:
                user.set_password(demo.password)
                user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=demo.role))

    def approve_early_reports(self, institution, year):
        """The planner submits and the director approves the early cuatrimestres, unless someone has already
        acted on a report of the year (then the reports are theirs to move)."""
        if CuatrimestreReport.objects.filter(institution=institution, year=year).exists():
            return
        users = get_user_model().objects.filter(institution=institution)
        planner, director = users.get(username="planificador"), users.get(username="director")
        for cuatrimestre in APPROVED_CUATRIMESTRES:
            approvals.submit(user=planner, institution=institution, year=year, cuatrimestre=cuatrimestre)
            approvals.approve(user=director, institution=institution, year=year, cuatrimestre=cuatrimestre)
            self.created += 1

    def load_justifications(self, institution, year):
        """The kinds the demo requires justified, then the planner's justification of each third-cuatrimestre alert
        (one already written, by the planner or an earlier run, is left as it is)."""
        data = json.loads(DEMO_JUSTIFICATIONS.read_text(encoding="utf-8"))
        for kind in data["required_kinds"]:
            self.upsert(RequiredJustification, {"institution": institution, "kind": kind}, {})
        planner = get_user_model().objects.get(username="planificador", institution=institution)
        for row in data["justifications"]:
            _justification, created = Justification.objects.get_or_create(
                institution=institution, year=year, cuatrimestre=data["cuatrimestre"],
                product=row["product"], subproduct=row["subproduct"], kind=row["kind"],
                defaults={"text": row["text"], "updated_by": planner},
            )  # fmt: skip
            self.created += created

    def load_evidence(self, institution, year):
        """The planner's medios de verificación of the third cuatrimestre (one already attached is left as it is, and
        a month that a report already holds keeps what it has)."""
        planner = get_user_model().objects.get(username="planificador", institution=institution)
        for product_name, subproduct_name, month, description, name, text in DEMO_EVIDENCE:
            product = Product.objects.get(result__institution=institution, result__year=year, name=product_name)
            row = product.subproducts.get(name=subproduct_name) if subproduct_name else product
            attached = Evidence.objects.filter(year=year, month=month, original_name=name)
            if attached.filter(**{"subproduct" if subproduct_name else "product": row}).exists():
                continue
            upload = SimpleUploadedFile(name, tiny_pdf(text), content_type="application/pdf")
            try:
                attach_evidence(
                    user=planner, institution=institution, row=row, year=year, month=month, upload=upload,
                    description=description,
                )  # fmt: skip
            except ValidationError:
                continue
            self.created += 1


def tiny_pdf(text):
    """A one-page PDF that shows `text` (ASCII, no parentheses), written object by object: the same bytes on every
    run."""
    content = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return bytes(pdf)


@transaction.atomic
def load_demo():
    """Load (or bring up to date) the demo institution and users; returns (created, updated) counts."""
    loader = Loader()
    data = demo_data()
    institution = loader.load_plan(data)
    loader.load_users(institution)
    loader.load_circulars(data["year"])
    loader.approve_early_reports(institution, data["year"])
    loader.load_justifications(institution, data["year"])
    loader.load_evidence(institution, data["year"])
    return loader.created, loader.updated

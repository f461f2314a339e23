"""An institution-year written back as template rows (CSV), ready to be imported again."""

import csv
import io

from goals.imports.columns import PROGRAMME_GROUPS
from goals.imports.registry import template
from goals.models import (
    Product,
    ProductExecution,
    ProductProgramme,
    ReprogrammingLine,
    SubproductExecution,
    SubproductProgramme,
)
from goals.programme import MONTHS, kind_field
from siplan.spreadsheets import neutralise


def export_rows(*, kind, institution, year):
    """An institution-year's data as rows of a template (dicts by column), ready to be imported back."""
    return template(kind).export(institution, year)


def plan_products(institution, year):
    return Product.objects.filter(result__institution=institution, result__year=year)


def plan_rows(institution, year):
    """The plan template's rows: each product then its subproducts, with the monthly programme when there is one."""
    base = {"institucion": institution.code, "anio": year}
    products = plan_products(institution, year)
    with_programme = (
        ProductProgramme.objects.filter(product__in=products).exists()
        or SubproductProgramme.objects.filter(subproduct__product__in=products).exists()
    )
    rows = []
    related = ("subproducts__programme", "programme") if with_programme else ("subproducts",)
    ordered = (
        products.select_related("result")
        .prefetch_related(*related)
        .order_by("result__order", "result_id", "order", "id")
    )
    for product in ordered:
        result = product.result
        common = {
            **base, "institucion_nombre": institution.name, "vinculacion": result.link,
            "eje_estrategico": result.strategic_axis, "accion_estrategica": result.strategic_action,
            "resultado": result.description, "producto": product.name,
        }  # fmt: skip
        rows.append({**common, "subproducto": "", "unidad": product.unit,
                     "meta_fisica_inicial": product.physical_initial, "meta_financiera_inicial": "",
                     **(programme_cells(product) if with_programme else {})})  # fmt: skip
        rows += [
            {
                **common,
                "subproducto": sub.name,
                "unidad": sub.unit,
                "meta_fisica_inicial": sub.physical_initial,
                "meta_financiera_inicial": sub.financial_initial,
                **(programme_cells(sub) if with_programme else {}),
            }  # fmt: skip
            for sub in product.subproducts.all()
        ]
    return rows


def reprogramming_rows(institution, year):
    """The reprogramming template's rows: each line of the year's documents, in date order."""
    base = {"institucion": institution.code, "anio": year}
    lines = ReprogrammingLine.objects.filter(
        reprogramming__institution=institution, reprogramming__date__year=year
    ).select_related("reprogramming", "product", "subproduct__product")
    return [
        {
            **base,
            "documento": line.reprogramming.number,
            "fecha": line.reprogramming.date.isoformat(),
            "producto": (line.product or line.subproduct.product).name,
            "subproducto": line.subproduct.name if line.subproduct else "",
            "tipo_meta": line.kind,
            "meta_vigente_nueva": line.new_goal,
            "justificacion": line.reprogramming.justification,
        }  # fmt: skip
        for line in lines.order_by("reprogramming__date", "id")
    ]


def execution_rows(institution, year):
    """The execution template's rows: every stored month of the products, then of the subproducts."""
    base = {"institucion": institution.code, "anio": year}
    products = plan_products(institution, year)
    product_rows = [
        {
            **base,
            "mes": execution.month,
            "producto": execution.product.name,
            "subproducto": "",
            "ejecucion_fisica": execution.physical,
            "ejecucion_financiera": "",
        }  # fmt: skip
        for execution in ProductExecution.objects.filter(product__in=products).select_related("product")
    ]
    subproduct_rows = [
        {
            **base,
            "mes": execution.month,
            "producto": execution.subproduct.product.name,
            "subproducto": execution.subproduct.name,
            "ejecucion_fisica": execution.physical,
            "ejecucion_financiera": execution.financial,
        }  # fmt: skip
        for execution in SubproductExecution.objects.filter(subproduct__product__in=products).select_related(
            "subproduct__product"
        )
    ]
    return product_rows + subproduct_rows


def programme_cells(item):
    """A plan row's programme columns: the stored months, empty where none (a product's money is always empty)."""
    records = {record.month: record for record in item.programme.all()}
    cells = {}
    for kind, columns in PROGRAMME_GROUPS.items():
        for month, column in zip(MONTHS, columns):
            cells[column] = getattr(records.get(month), kind_field(kind), "")
    return cells


def columns_of(kind, rows):
    """The template's columns that `rows` use: every required one, and the optional ones they carry."""
    carried = {column for row in rows for column in row}
    found = template(kind)
    return [column for column in found.all_columns if column in found.columns or column in carried]


def rows_to_csv(kind, rows):
    """CSV (UTF-8) bytes of rows (any iterable, a generator too) in a template's columns."""
    rows = list(rows)
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=columns_of(kind, rows))
    writer.writeheader()
    writer.writerows({column: neutralise(value) for column, value in row.items()} for row in rows)
    return output.getvalue().encode("utf-8")

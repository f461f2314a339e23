"""The consolidated view's rows: the chosen institutions' products with their progress to a cuatrimestre's end.

Progress itself is computed by reports.progress; this module only chooses the products and filters the rows.
"""

from goals.models import Product
from goals.periods import cuatrimestre_months

from .progress import product_progress


def consolidated_rows(*, institutions, year, cuatrimestre, link="", light=""):
    """ProductProgress of the institutions' products in plan order, to the cuatrimestre's last month.

    `institutions` must already be scoped to the user (goals.access.institutions_for); `link` keeps RI or
    RE results only (in SQL), `light` the rows whose traffic light is that colour (computed, so in Python).
    """
    products = Product.objects.filter(result__institution__in=institutions, result__year=year)
    if link:
        products = products.filter(result__link=link)
    rows = product_progress(products, year=year, month=cuatrimestre_months(cuatrimestre)[-1])
    return [row for row in rows if row.light == light] if light else rows

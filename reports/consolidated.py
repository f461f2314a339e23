"""The consolidated view's rows: the chosen institutions' products with their progress to a cuatrimestre's end.

Progress itself is computed by reports.progress; this module only chooses the products and filters the rows.
"""

from goals.models import Product
from goals.periods import cuatrimestre_months

from .progress import institution_progress, product_progress


def consolidated_rows(*, institutions, year, cuatrimestre, link="", light=""):
    """ProductProgress of the institutions' products in plan order, to the cuatrimestre's last month.

    `institutions` must already be scoped to the user (goals.access.institutions_for); `link` keeps RI or
    RE results only, `light` the rows whose traffic light is that colour. One institution's rows are computed once
    per version of its figures (institution_progress); several institutions' are computed afresh.
    """
    month = cuatrimestre_months(cuatrimestre)[-1]
    chosen = list(institutions[:2])
    if len(chosen) == 1:
        rows = institution_progress(institution=chosen[0], year=year, month=month)
        rows = [row for row in rows if row.link == link] if link else rows
    else:
        products = Product.objects.filter(result__institution__in=institutions, result__year=year)
        if link:
            products = products.filter(result__link=link)
        rows = product_progress(products, year=year, month=month)
    return [row for row in rows if row.light == light] if light else rows

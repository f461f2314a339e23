"""The plan as the API shows it: each row's current goal as of a day, a product's money summed from its subproducts."""

import datetime

from django.utils import timezone

from goals.models import ZERO, GoalKind
from goals.queries import goal_state, institution_goal_states


def default_as_of(year):
    """Today while the year runs; its last day once it is over (and its first day before it starts)."""
    return min(max(timezone.localdate(), datetime.date(year, 1, 1)), datetime.date(year, 12, 31))


def attach_current_goals(results, institution, year, as_of):
    """Set physical_current / financial_current on the page's rows, and a product's financial sums; one query."""
    states = institution_goal_states(institution=institution, year=year, as_of=as_of)

    def current(model_name, item, kind, initial):
        return goal_state(states, model_name=model_name, pk=item.pk, kind=kind, initial=initial).current

    for result in results:
        for product in result.products.all():
            subproducts = product.subproducts.all()
            product.physical_current = current("product", product, GoalKind.PHYSICAL, product.physical_initial)
            for subproduct in subproducts:
                subproduct.physical_current = current(
                    "subproduct", subproduct, GoalKind.PHYSICAL, subproduct.physical_initial
                )
                subproduct.financial_current = current(
                    "subproduct", subproduct, GoalKind.FINANCIAL, subproduct.financial_initial
                )
            product.financial_initial = sum((sub.financial_initial for sub in subproducts), ZERO)
            product.financial_current = sum((sub.financial_current for sub in subproducts), ZERO)
    return results

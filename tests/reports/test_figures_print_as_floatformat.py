"""Figures the pages write in Python (the dashboard's and consolidated view's rows, the report's tables) print exactly
as the templates' floatformat:"2g" would, in both of siplan's languages: -0.00 included."""

from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from goals.figures import printed_amount, separators

D = Decimal
FIGURES = st.decimals(min_value=D("-99999999999999.999"), max_value=D("99999999999999.999"), places=3)


@pytest.mark.parametrize("language", ["es-gt", "en"])
@given(value=FIGURES)
def test_a_figure_prints_as_floatformat_prints_it(language, value):
    with translation.override(language):
        assert printed_amount(value, separators()) == floatformat(value, "2g")


def test_what_rounds_to_zero_prints_without_a_sign():
    with translation.override("es-gt"):
        assert [printed_amount(value, separators()) for value in (D("-0.004"), D("-0.00"), D("-0.005"))] == [
            "0.00", "0.00", "-0.01",
        ]  # fmt: skip

"""Figures printed as floatformat:"2g" prints them (14,466,570.00 in es-GT), by the report's page and its PDF alike:
goals.figures writes them, for goals' pages too."""

from goals.figures import printed_amount, separators

__all__ = ["printed_amount", "separators"]

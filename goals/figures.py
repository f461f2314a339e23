"""The percentage rule of every figure siplan shows (DOMAIN.md): written once, here, where the figures live."""

from decimal import ROUND_HALF_UP, Decimal

from goals.models import ZERO

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def percentage(part: Decimal, whole: Decimal) -> Decimal:
    """part ÷ whole × 100, rounded half up to two places; 0.00 when whole is zero."""
    if not whole:
        return ZERO
    return (part * HUNDRED / whole).quantize(CENT, rounding=ROUND_HALF_UP)

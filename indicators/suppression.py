"""Council views and public exports (INDICATORS.md, "Rounding and suppression"): a count of 1–4 is
shown as `<5`; a percentage, mean or median whose denominator is below 10 as `—`; a missing value
stays empty. Staff see exact figures.

`mean_waiting_per_month` is a mean (shown with one decimal) but suppressed as a count: it is the
number of people waiting, averaged over three month-ends, so its denominator is always 3 (month-
ends, not observations) and the `—` rule would hide every value; what must be hidden is a handful
of people, so a value above 0 and below 5 (e.g. 2.3) is shown as `<5`."""

from decimal import Decimal

from .definitions import INDICATORS
from .definitions.base import Kind

SMALL = "<5"
TOO_FEW = "—"


def _count(value):
    if value is None:
        return None
    # Also an average of small counts (e.g. 2.3 waiting per month) reveals a handful of people.
    return SMALL if 0 < value < 5 else value


def suppressed_as(indicator: str) -> str:
    """The kind whose rule council views apply to the indicator (module docstring)."""
    definition = INDICATORS.get(indicator)
    if definition is None:
        return Kind.COUNT
    return definition.suppress_as or definition.kind


def suppress(indicator: str, value, numerator, denominator):
    """(value, numerator, denominator) as a council member may see them."""
    kind = suppressed_as(indicator)
    if value is None:
        return None, None, None
    if kind == Kind.COUNT:
        return _count(value), None, None
    too_few = denominator is None or denominator < 10
    if kind == Kind.RATE:
        # A rate over a large population still reveals a handful of people through its numerator.
        too_few = too_few or (numerator is not None and 1 <= numerator <= 4)
    if too_few:
        return TOO_FEW, None, None
    return value, _count(numerator), _count(denominator)


def display(value) -> str:
    """A stored or suppressed value as text: integers without decimals, others with one."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return str(value)

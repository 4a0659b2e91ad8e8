"""Numbers as Dutch readers expect them (85.500; 17,7), the same on the page, in the PDF and in
the CSV, whatever the request's language: the report is a Dutch document."""

from decimal import Decimal

from ..definitions import INDICATORS
from ..definitions.base import Kind


def nl_number(value, decimals: int = 0) -> str:
    """85500 -> '85.500'; Decimal('17.7'), 1 -> '17,7'; None -> ''; text (`<5`, `—`) unchanged."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    text = f"{Decimal(value):,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def decimals_for(indicator: str) -> int:
    definition = INDICATORS.get(indicator)
    return 0 if definition is None or definition.kind == Kind.COUNT else 1


def indicator_text(indicator: str, value) -> str:
    """A stored or suppressed value as shown in a table cell."""
    if value is None or isinstance(value, str):
        return nl_number(value)
    decimals = decimals_for(indicator)
    if decimals == 0 and Decimal(value) != Decimal(value).to_integral_value():
        decimals = 1
    return nl_number(value, decimals)


def signed(value, decimals: int = 0) -> str:
    """A difference with its sign: +1.234 / −56,5 (a real minus sign, read out correctly)."""
    if value is None:
        return ""
    text = nl_number(abs(Decimal(value)), decimals)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return text

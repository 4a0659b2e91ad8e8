"""Exact arithmetic, rounded once at the end, half away from zero (INDICATORS.md)."""

from decimal import Decimal
from fractions import Fraction


def round_one_decimal(value: Fraction | int) -> Decimal:
    value = Fraction(value)
    return _tenths(value.numerator, value.denominator)


def _tenths(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator (denominator > 0) to one decimal, half away from zero, in
    integers: a run rounds thousands of values, and Fraction arithmetic cost a share of it."""
    sign = -1 if numerator < 0 else 1
    tenths = (abs(numerator) * 20 + denominator) // (2 * denominator)
    return Decimal(sign * tenths) / 10


def ratio(numerator: int, denominator: int, scale: int = 1) -> Decimal | None:
    """scale × numerator / denominator, rounded; None when the denominator is 0 (undefined)."""
    if not denominator:
        return None
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    return _tenths(numerator * scale, denominator)


def median_from_histogram(histogram: dict[int, int]) -> Fraction | None:
    """Median of a multiset given as value -> count; even count: mean of the two middle values."""
    total = sum(histogram.values())
    if not total:
        return None
    ordered = sorted(histogram.items())

    def nth(n):  # 0-based n-th smallest value
        seen = 0
        for value, count in ordered:
            seen += count
            if n < seen:
                return value
        raise IndexError(n)

    if total % 2:
        return Fraction(nth(total // 2))
    return Fraction(nth(total // 2 - 1) + nth(total // 2), 2)

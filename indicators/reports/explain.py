"""The short Dutch explanation in the quarterly report: the largest changes against the previous
quarter, in plain sentences. A pure function of the numbers, so it is tested with fixed figures
and says the same in the staff and the council version (suppressed figures are left out)."""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..rounding import round_one_decimal
from .formatting import nl_number, signed

LOWER, HIGHER = "lower", "higher"
# Which way is better; figures not listed are described without a judgement (more clients is
# neither good nor bad in itself).
BETTER = {
    "mean_wait_days": LOWER,
    "median_wait_days": LOWER,
    "pct_within_norm": HIGHER,
    "waiting_at_end": LOWER,
    "mean_waiting_per_month": LOWER,
    "mean_days_waiting_at_end": LOWER,
    "bt_mean_wait_workdays": LOWER,
    "bt_pct_within_norm": HIGHER,
    "exp_solution_pct": HIGHER,
    "exp_self_reliance_pct": HIGHER,
    "complaints": LOWER,
    "complaints_per_100_clients": LOWER,
}
PERCENT_UNITS = ("%",)


@dataclass(frozen=True)
class Change:
    """Two figures as shown (`current`, `previous`: rounded) and, where known, before rounding
    (`current_exact`, `previous_exact`): the change is worked out from these, so 0,2 to 0,35
    (shown as 0,4) is +75 %, not the +100 % of the rounded figures."""

    indicator: str
    label: str
    unit: str
    current: Decimal | float | None
    previous: Decimal | float | None
    current_exact: Fraction | None = None
    previous_exact: Fraction | None = None


def _number(value) -> Decimal | None:
    if value is None or isinstance(value, str):
        return None
    return Decimal(str(value))


def _exact(change: Change) -> tuple[Fraction, Fraction] | tuple[None, None]:
    """(current, previous) unrounded where known, else as shown."""
    current, previous = _number(change.current), _number(change.previous)
    if current is None or previous is None:
        return None, None
    return (
        change.current_exact if change.current_exact is not None else Fraction(current),
        change.previous_exact if change.previous_exact is not None else Fraction(previous),
    )


def _relative(change: Change) -> Fraction | None:
    """|Δ| relative to the previous value; percentages by their change in points over 100, so a
    move from 40 % to 50 % weighs like a tenth of the whole scale rather than a quarter."""
    if _number(change.current) == _number(change.previous):
        return None  # reads as unchanged, whatever moved below the shown decimal
    current, previous = _exact(change)
    if current is None or previous is None:
        return None
    if change.unit in PERCENT_UNITS:
        return abs(current - previous) / 100
    if previous == 0:
        return None
    return abs(current - previous) / abs(previous)


def _decimals(value: Decimal) -> int:
    return 0 if value == value.to_integral_value() else 1


def sentence(change: Change) -> str:
    """'Gemiddelde wachttijd: gestegen van 14,2 naar 17,7 dagen (+24,6 %), een verslechtering.'"""
    current, previous = _number(change.current), _number(change.previous)
    exact_current, exact_previous = _exact(change)
    verb = "gestegen" if exact_current > exact_previous else "gedaald"
    if change.unit in PERCENT_UNITS:
        points = round_one_decimal(exact_current - exact_previous)
        text = (f"{change.label}: {verb} van {nl_number(previous, 1)} % naar "
                f"{nl_number(current, 1)} % ({signed(points, 1)} procentpunt)")  # fmt: skip
    else:
        unit = f" {change.unit}" if change.unit else ""
        pct = round_one_decimal((exact_current - exact_previous) * 100 / exact_previous)
        decimals = max(_decimals(current), _decimals(previous))
        text = (f"{change.label}: {verb} van {nl_number(previous, decimals)} naar "
                f"{nl_number(current, decimals)}{unit} ({signed(pct, 1)} %)")  # fmt: skip
    better = BETTER.get(change.indicator)
    if better:
        improved = (exact_current < exact_previous) == (better == LOWER)
        text += ", een verbetering" if improved else ", een verslechtering"
    return text + "."


def largest_changes(changes: list[Change], limit: int = 3) -> list[Change]:
    """The `limit` changes with the largest relative move (ties: in the given order); unchanged,
    missing or suppressed figures are left out."""
    scored = []
    for index, change in enumerate(changes):
        score = _relative(change)
        if score:
            scored.append((-score, index, change))
    return [change for _, _, change in sorted(scored)[:limit]]


def explain(changes: list[Change], previous_quarter: str, limit: int = 3) -> list[str]:
    """Dutch sentences about the largest changes against `previous_quarter`."""
    comparable = [c for c in changes if _number(c.current) is not None
                  and _number(c.previous) is not None]  # fmt: skip
    if not comparable:
        return [f"Er zijn geen cijfers die met {previous_quarter} te vergelijken zijn."]
    chosen = largest_changes(comparable, limit)
    if not chosen:
        return [f"De cijfers zijn gelijk aan die van {previous_quarter}."]
    intro = (f"De grootste veranderingen ten opzichte van {previous_quarter}:"
             if len(chosen) > 1 else f"De grootste verandering ten opzichte van {previous_quarter}:")  # fmt: skip
    return [intro, *[sentence(change) for change in chosen]]

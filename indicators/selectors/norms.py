"""A figure against its norm or target: which norm applies and whether the figure meets it."""

from decimal import Decimal

from ..definitions import INDICATORS
from .cells import format_number
from .layout import DIRECTION, LOWER, RATIOS, SIGNAL_VALUES
from .stored import Row


def norm_of(indicator: str, row: Row | None) -> Decimal | None:
    """The stored norm, else the definition's target, else the dashboard's signal value."""
    if row is not None and row.norm is not None:
        return row.norm
    definition = INDICATORS.get(indicator)
    if definition is not None and definition.target is not None:
        return definition.target
    return SIGNAL_VALUES.get(indicator)


def norm_label(indicator: str) -> str:
    return "Signaalwaarde" if indicator in SIGNAL_VALUES else "Norm"


def status(indicator: str, cell: dict, norm: Decimal | None) -> tuple[str | None, str]:
    """("ok" | "off" | None, Dutch text). Suppressed or missing values get no status, so a
    colour never reveals what the number hides."""
    direction = DIRECTION.get(indicator)
    if direction is None or norm is None or cell["number"] is None:
        return None, ""
    word = ("het doel" if indicator in dict(RATIOS)
            else "de signaalwaarde" if indicator in SIGNAL_VALUES else "de norm")  # fmt: skip
    norm_text = format_number(norm)
    value = Decimal(str(cell["number"]))
    if direction == LOWER:
        if value <= norm:
            return "ok", f"Voldoet aan {word} (≤ {norm_text})"
        return "off", f"Boven {word} ({norm_text})"
    if value >= norm:
        return "ok", f"Voldoet aan {word} (≥ {norm_text})"
    return "off", f"Onder {word} ({norm_text})"

"""A figure against its norm or target: which norm applies and whether the figure meets it.
Norms and targets are dated (wmo.catalogue.norms): a figure is judged against the one valid on
its period's last day, which the computation stores with the figure."""

import datetime
from decimal import Decimal

from django.utils import timezone

from wmo.catalogue.norms import NormHistory, norm_on

from ..definitions import INDICATORS
from .cells import format_number
from .layout import DIRECTION, LOWER, RATIOS, SIGNAL_VALUES
from .stored import Row


def target_on(indicator: str, day: datetime.date, norms: NormHistory | None = None
              ) -> Decimal | None:  # fmt: skip
    """The definition's own norm or target (one for every level) valid on `day`, from `norms`
    when the page read them already, else from the database."""
    definition = INDICATORS.get(indicator)
    if definition is None or definition.norm_kind is None:
        return None
    if norms is not None:
        return norms.on(definition.norm_kind, None, day)
    return norm_on(definition.norm_kind, None, day)


def norm_of(indicator: str, row: Row | None, period=None, norms: NormHistory | None = None
            ) -> Decimal | None:  # fmt: skip
    """The stored norm, else the definition's target valid on the last day of `period` (today
    when none is given), else the dashboard's signal value."""
    if row is not None and row.norm is not None:
        return row.norm
    day = period.end if period is not None else timezone.localdate()
    target = target_on(indicator, day, norms)
    return target if target is not None else SIGNAL_VALUES.get(indicator)


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

"""A figure against its norm or target: which norm applies and whether the figure meets it.
Norms and targets are dated (wmo.catalogue.norms): a figure is judged against the one valid on
its period's last day, which the computation stores with the figure."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

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
    return gettext("Signaalwaarde") if indicator in SIGNAL_VALUES else gettext("Norm")


STATUS_TEXTS = {
    "target": {"le": gettext_noop("Voldoet aan het doel (≤ %(norm)s)"),
               "above": gettext_noop("Boven het doel (%(norm)s)"),
               "ge": gettext_noop("Voldoet aan het doel (≥ %(norm)s)"),
               "below": gettext_noop("Onder het doel (%(norm)s)")},
    "signal": {"le": gettext_noop("Voldoet aan de signaalwaarde (≤ %(norm)s)"),
               "above": gettext_noop("Boven de signaalwaarde (%(norm)s)"),
               "ge": gettext_noop("Voldoet aan de signaalwaarde (≥ %(norm)s)"),
               "below": gettext_noop("Onder de signaalwaarde (%(norm)s)")},
    "norm": {"le": gettext_noop("Voldoet aan de norm (≤ %(norm)s)"),
             "above": gettext_noop("Boven de norm (%(norm)s)"),
             "ge": gettext_noop("Voldoet aan de norm (≥ %(norm)s)"),
             "below": gettext_noop("Onder de norm (%(norm)s)")},
}  # fmt: skip


def status(indicator: str, cell: dict, norm: Decimal | None) -> tuple[str | None, str]:
    """("ok" | "off" | None, Dutch text). Suppressed or missing values get no status, so a
    colour never reveals what the number hides."""
    direction = DIRECTION.get(indicator)
    if direction is None or norm is None or cell["number"] is None:
        return None, ""
    # Whole sentences per kind of threshold: a translation may need other words around it.
    kind = (
        "target"
        if indicator in dict(RATIOS)
        else "signal"
        if indicator in SIGNAL_VALUES
        else "norm"
    )
    value = Decimal(str(cell["number"]))
    if direction == LOWER:
        outcome = ("ok", "le") if value <= norm else ("off", "above")
    else:
        outcome = ("ok", "ge") if value >= norm else ("off", "below")
    return outcome[0], gettext(STATUS_TEXTS[kind][outcome[1]]) % {"norm": format_number(norm)}

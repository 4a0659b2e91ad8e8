"""The overview: a tile per figure (value, previous quarter, same quarter last year, norm or
target and status) in families, and the same figures as a table."""

from django.utils.translation import gettext, gettext_noop

from wmo.periods import Period, Year

from ..suppression import TOO_FEW
from .cells import (
    EMPTY,
    exact_number,
    format_number,
    is_available,
    label_of,
    make_cell,
    unit_of,
)  # fmt: skip
from .filters import Filters
from .layout import SIGNAL_VALUES, TILE_GROUPS, WAITING
from .norms import norm_of, status
from .stored import Store, load

PREVIOUS = {
    "kwartaal": gettext_noop("Vorig kwartaal"),
    "halfjaar": gettext_noop("Vorig halfjaar"),
    "jaar": gettext_noop("Vorig jaar"),
}


def tile(indicator: str, quarter: Period, filters: Filters, suppressed: bool, store: Store) -> dict:
    level, key = filters.level
    row = store.get(quarter, level, key, indicator)
    # For a year the previous period is the year before: one comparison, not the same twice.
    previous, last_year = quarter.previous(), quarter.same_period_last_year()
    if isinstance(quarter, Year):
        last_year = None
    current = make_cell(indicator, row, suppressed)
    previous_row = store.get(previous, level, key, indicator)
    norm = norm_of(indicator, row, quarter, store.norms)
    state, state_text = status(indicator, current, norm)
    drill = None
    if indicator in WAITING and not suppressed:
        drill = filters.waiting_list_query()
    return {
        "indicator": indicator,
        "label": label_of(indicator),
        "unit": unit_of(indicator),
        "available": is_available(indicator, level),
        "current": current,
        "previous": make_cell(indicator, previous_row, suppressed),
        # Unrounded, for the change against the previous period (reports.explain).
        "current_exact": exact_number(indicator, row, suppressed),
        "previous_exact": exact_number(indicator, previous_row, suppressed),
        "previous_quarter": str(previous),
        "previous_label": gettext(PREVIOUS[quarter.NOUN]),
        "last_year": (
            make_cell(indicator, store.get(last_year, level, key, indicator), suppressed)
            if last_year
            else None
        ),  # fmt: skip
        "last_year_quarter": str(last_year) if last_year else "",
        "norm": format_number(norm),
        "norm_number": float(norm) if norm is not None else None,
        "norm_label": gettext("Signaalwaarde" if indicator in SIGNAL_VALUES else "Norm of doel"),
        "status": state,
        "status_text": state_text,
        "drill": drill,
        # "—" (too few observations) stands alone: "— %" reads as a broken number.
        "unit_shown": current["text"] not in ("", TOO_FEW),
    }


def wait_norm_note() -> str:
    target = format_number(SIGNAL_VALUES["pct_within_norm"])
    return gettext(
        "Elke voorziening heeft haar eigen wachttijdnorm (meestal 14 dagen, opvang en verblijf "
        "91 dagen). Voor heel Utrecht en per wijk is er daarom geen norm voor de gemiddelde "
        "wachttijd; ‘Binnen de norm gestart’ toetst elke gestarte verwijzing aan de norm van haar "
        "eigen voorziening. Die tegel en de trend kleuren tegen een signaalwaarde van "
        "%(target)s %%: een signaalwaarde van dit dashboard, geen door de raad vastgesteld doel."
    ) % {"target": target}


def overview(quarter: Period, filters: Filters | None = None, suppressed: bool = False,
             store: Store | None = None) -> dict:  # fmt: skip
    """Tiles per family (bereik, beschikbaarheid, kwaliteit): value, previous period, same
    period last year (not for a year), norm/target and status, plus a table with the same
    figures."""
    filters = filters or Filters()
    store = store or load(quarter, filters)
    groups = []
    rows = []
    for family, title, codes in TILE_GROUPS:
        tiles = [tile(code, quarter, filters, suppressed, store) for code in codes]
        tiles = [t for t in tiles if t["available"]]
        note = wait_norm_note() if family == "beschikbaarheid" else ""
        groups.append({"family": family, "title": gettext(title), "tiles": tiles, "note": note})
        for t in tiles:
            compared = [t["previous"], *([t["last_year"]] if t["last_year"] else [])]
            rows.append({
                "key": t["indicator"], "label": t["label"],
                "cells": [t["current"], *compared,
                          {**EMPTY, "text": t["norm"], "number": t["norm_number"]},
                          {**EMPTY, "text": t["status_text"]}],
            })  # fmt: skip
    table = {
        "id": "overzicht",
        "caption": gettext("Overzicht %(quarter)s") % {"quarter": quarter},
        "columns": [
            gettext("Indicator"),
            str(quarter),
            str(quarter.previous()),
            *([] if isinstance(quarter, Year) else [str(quarter.same_period_last_year())]),
            gettext("Norm of doel"),
            gettext("Status"),
        ],  # fmt: skip
        "rows": rows,
    }
    return {"quarter": str(quarter), "level": filters.level, "groups": groups, "table": table}

"""The dashboard's fourth corner, beside bereik: what aanvullende zorg and opvang (objectives IV
and V) cost in the chosen period — the spend and the cost per client in care for the city, per
voorziening and (staff only: contractor amounts are commercial, BUDGET.md) per contracting
party — and the realised spend per quarter of the period's year against the budget.

The chart compares each quarter with a quarter of the year's `budget` line (objectives IV and V
together, k€): per quarter rather than cumulative, because spend_eur is a quarterly figure like
the other indicators and a quarter that runs over shows as itself, not smoothed into the year
so far (the budget page has the cumulative view of the year). Reads stored values only."""

from fractions import Fraction

from django.utils.translation import gettext

from wmo.periods import Period, Quarter

from ..budget import budget_lines
from ..definitions.base import SYSTEM_KEY
from ..rounding import round_one_decimal
from .cells import EMPTY, column_title, format_number, make_cell
from .charts import make_chart
from .filters import Filters
from .layout import SPEND, SPEND_COLUMNS, SPEND_OBJECTIVES
from .overview import tile
from .stored import Store, load, reference_names


def _table(table_id, caption, first_column, entries, quarter, store, suppressed):
    rows = [
        {"key": key, "label": label,
         "cells": [make_cell(code, store.get(quarter, row_level, store_key, code), suppressed)
                   for code in SPEND_COLUMNS]}
        for key, label, row_level, store_key in entries
    ]  # fmt: skip
    return {"id": table_id, "caption": caption, "indicators": list(SPEND_COLUMNS),
            "columns": [first_column, *[column_title(code) for code in SPEND_COLUMNS]],
            "rows": rows}  # fmt: skip


def _entries(level, quarter, store, names, kind):
    """(row key, label, level, stored key) of the groups with spend in the period, by name."""
    labels = dict(names[kind])
    keys = [k for k in store.keys_at(level, quarter) if store.get(quarter, level, k, "spend_eur")]
    return sorted(((key, labels.get(key, key), level, key) for key in keys),
                  key=lambda entry: entry[1].lower())  # fmt: skip


def quarter_chart(quarter: Period, store: Store, lines: dict | None = None) -> dict:
    """Realised spend per quarter of the period's year (k€) beside a quarter of that year's
    budget for objectives IV and V: a bar per quarter and an outlined budget bar beside it.
    `lines`: objective -> the year's `budget` line (k€), when the page has read them already."""
    year = quarter.end.year
    lines = budget_lines(year) if lines is None else lines
    planned = (None if any(lines.get(o) is None for o in SPEND_OBJECTIVES)
               else sum((Fraction(lines[o]) for o in SPEND_OBJECTIVES), Fraction(0)) / 4)  # fmt: skip
    planned_k = round_one_decimal(planned) if planned is not None else None
    labels, realised = [], []
    for number in range(1, 5):
        period = Quarter(year, number)
        labels.append(str(period))
        row = store.get(period, "system", SYSTEM_KEY, "spend_eur")
        spent = row.value if row is not None else None
        realised.append(None if spent is None else round_one_decimal(Fraction(spent) / 1000))

    def cells(values):
        return [{**EMPTY, "text": format_number(v, 1), "number": None if v is None else float(v)}
                for v in values]  # fmt: skip

    datasets = [
        {"label": gettext("Gerealiseerd (k€)"), "cells": cells(realised)},
        {"label": gettext("Kwart van de begroting (k€)"), "cells": cells([planned_k] * 4),
         "style": "norm"},
    ]  # fmt: skip
    shown = [(label, value) for label, value in zip(labels, realised, strict=True)
             if value is not None]  # fmt: skip
    if not shown:
        summary = gettext("Voor %(year)s zijn nog geen uitgaven berekend.") % {"year": year}
    elif planned_k is None:
        summary = gettext("In %(quarter)s is € %(spent)s k uitgegeven; voor %(year)s is geen "
                          "begroting ingevoerd.") % {
            "quarter": shown[-1][0], "spent": format_number(shown[-1][1], 1), "year": year}  # fmt: skip
    else:
        over = [label for label, value in shown if value > planned_k]
        summary = gettext(
            "Een kwart van de begroting %(year)s (beleidsdoelen IV en V) is € %(planned)s k."
        ) % {"year": year, "planned": format_number(planned_k, 1)}
        summary += " " + (gettext("Daarboven: %(quarters)s.") % {"quarters": ", ".join(over)}
                          if over else gettext("Geen berekend kwartaal komt daarboven."))  # fmt: skip
    return make_chart(
        "uitgaven-kwartalen", "bar",
        gettext("Uitgaven per kwartaal tegen een kwart van de begroting %(year)s, beleidsdoelen IV "
                "en V (k€)") % {"year": year},
        labels, datasets, summary, label_title=gettext("Kwartaal"), unit="k€",
    )  # fmt: skip


def spend(quarter: Period, filters: Filters | None = None, suppressed: bool = False,
          store: Store | None = None, names=None, budget_lines_keur: dict | None = None) -> dict:  # fmt: skip
    """Tiles for the city, a table per voorziening (with the city as total) and, for staff, per
    contracting party, and the chart of the year's quarters against the budget
    (`budget_lines_keur`: objective -> the year's budget line, read here when not given)."""
    store = store or load(quarter, filters, sections=("spend",))
    names = names or reference_names()
    city = Filters()
    tiles = [tile(code, quarter, city, suppressed, store) for code in SPEND]
    total = ("totaal", gettext("Heel Utrecht"), "system", SYSTEM_KEY)
    services = _table(
        "uitgaven-voorziening", gettext("Uitgaven per voorziening, %(quarter)s") % {"quarter": quarter},
        gettext("Voorziening"),
        [*_entries("service_type", quarter, store, names, "services"), total], quarter, store,
        suppressed,
    )  # fmt: skip
    contractors = None
    if not suppressed:
        contractors = _table(
            "uitgaven-contractpartij",
            gettext("Uitgaven per contractpartij, %(quarter)s") % {"quarter": quarter},
            gettext("Contractpartij"),
            [*_entries("contractor", quarter, store, names, "providers"), total], quarter, store,
            suppressed,
        )  # fmt: skip
    return {"tiles": tiles, "services": services, "contractors": contractors,
            "tables": [t for t in (services, contractors) if t is not None],
            "charts": [quarter_chart(quarter, store, budget_lines_keur)]}  # fmt: skip

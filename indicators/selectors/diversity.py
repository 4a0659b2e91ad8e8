"""The council motion's question: the share of referrals in care delivered by small or
resident/target-group organisations, per wijk and over time, across the 2027 switch."""

from django.utils.translation import gettext

from wmo.periods import Period

from ..definitions.base import SYSTEM_KEY
from .cells import cell_text, make_cell, with_unit
from .charts import make_chart
from .filters import Filters
from .layout import SWITCH
from .stored import Store, load, reference_names, sub_year_kind


def diversity(quarter: Period, filters: Filters | None = None, suppressed: bool = False,
              store: Store | None = None, names=None) -> dict:  # fmt: skip
    """The council motion's question: per wijk and over time, the share of referrals in care
    delivered by small or resident/target-group organisations, across the 2027 switch."""
    store = store or load(quarter, filters)
    names = names or reference_names()
    # Quarters, or half-years when a half-year is chosen (a year shows its quarters).
    quarters = store.periods(sub_year_kind(quarter))
    entries = [*names["districts"], (SYSTEM_KEY, gettext("Heel Utrecht"))]
    rows, datasets = [], []
    for code, name in entries:
        level = "system" if code == SYSTEM_KEY else "district"
        cells = [make_cell("small_org_share", store.get(q, level, code, "small_org_share"),
                           suppressed) for q in quarters]  # fmt: skip
        active = make_cell("providers_active", store.get(quarter, level, code, "providers_active"),
                           suppressed)  # fmt: skip
        rows.append({"key": "totaal" if code == SYSTEM_KEY else code, "label": name,
                     "cells": [*cells, active]})  # fmt: skip
        datasets.append({"label": name, "cells": cells,
                         "style": "total" if code == SYSTEM_KEY else ""})  # fmt: skip
    table = {
        "id": "diversiteit",
        "caption": gettext(
            "Aandeel kleine en bewoners-/doelgroeporganisaties per wijk (%%), tot en met %(quarter)s"
        )
        % {"quarter": quarter},
        "columns": [
            gettext("Wijk"),
            *[str(q) for q in quarters],
            gettext("Actieve aanbieders %(quarter)s") % {"quarter": quarter},
        ],
        "rows": rows,
    }
    city = rows[-1]["cells"]
    before = [q for q in quarters if q < SWITCH]
    latest = cell_text(city[-2]) if quarters else ""
    shown = {
        "quarter": quarter,
        "value": with_unit(latest, "%") if latest else gettext("geen waarde"),
    }
    summary = gettext("Heel Utrecht, %(quarter)s: %(value)s van de verwijzingen in zorg bij kleine "
                      "of bewoners-/doelgroeporganisaties.") % shown  # fmt: skip
    if before and quarter >= SWITCH:
        earlier = cell_text(city[quarters.index(before[-1])])
        summary = gettext(
            "Heel Utrecht, %(quarter)s: %(value)s van de verwijzingen in zorg bij kleine of "
            "bewoners-/doelgroeporganisaties, tegen %(earlier)s in %(before)s (voor de overstap "
            "in 2027)."
        ) % {**shown, "earlier": with_unit(earlier, "%") if earlier else gettext("geen waarde"),
             "before": before[-1]}  # fmt: skip
    after = [str(q) for q in quarters if q >= SWITCH]
    chart = make_chart("diversiteit-grafiek", "line", table["caption"], [str(q) for q in quarters],
                       datasets, summary, marker=after[0] if after else None, unit="%")  # fmt: skip
    return {"table": table, "charts": [chart], "switch": str(SWITCH)}

"""The policy ratios (80/20, 50/50, 15/85) against their targets."""

from django.utils.translation import gettext

from wmo.periods import Period

from ..definitions.base import SYSTEM_KEY
from .cells import EMPTY, cell_text, format_number, is_available, make_cell
from .charts import make_chart
from .filters import Filters
from .layout import RATIOS
from .norms import norm_of, status
from .stored import Store, load


def _percent(cell: dict) -> str:
    if not cell["text"]:
        return gettext("geen waarde")
    return cell_text(cell) if cell["number"] is None else f"{cell['text']} %"


def ratios(quarter: Period, filters: Filters | None = None, suppressed: bool = False,
           store: Store | None = None) -> dict:  # fmt: skip
    """The policy ratios against their targets, at the chosen level where stored (buurtteam
    ratios only for the city and per wijk), with their course over the stored quarters."""
    filters = filters or Filters()
    store = store or load(quarter, filters)
    level, key = filters.level
    items, rows = [], []
    for indicator, ratio in RATIOS:
        title = gettext(ratio)
        at_level = is_available(indicator, level)
        lvl, k = (level, key) if at_level else ("system", SYSTEM_KEY)
        row = store.get(quarter, lvl, k, indicator)
        cell = make_cell(indicator, row, suppressed)
        target = norm_of(indicator, row, quarter, store.norms)
        state, state_text = status(indicator, cell, target)
        items.append({
            "indicator": indicator, "label": title, "current": cell,
            "target": format_number(target), "target_number": float(target),
            "status": state, "status_text": state_text,
            "scope": gettext("gekozen selectie") if at_level else gettext("heel Utrecht"),
            "numerator": cell["numerator"], "denominator": cell["denominator"],
        })  # fmt: skip
        rows.append({"key": indicator, "label": title,
                     "cells": [cell, {**EMPTY, "text": format_number(target) + " %"},
                               {**EMPTY, "text": state_text},
                               {**EMPTY, "text": items[-1]["scope"]}]})  # fmt: skip
    caption = gettext("Verhoudingen tegen hun doel, %(quarter)s") % {"quarter": quarter}
    table = {"id": "verhoudingen", "caption": caption,
             "columns": [gettext("Verhouding"), gettext("Waarde (%)"), gettext("Doel"),
                         gettext("Status"), gettext("Niveau")], "rows": rows}  # fmt: skip
    chart = make_chart(
        "verhoudingen-grafiek", "bar", caption,
        [item["label"] for item in items],
        [{"label": gettext("Waarde (%)"), "cells": [i["current"] for i in items]},
         {"label": gettext("Doel (%)"), "style": "norm",
          "cells": [{**EMPTY, "text": i["target"], "number": i["target_number"]} for i in items]}],
        " ".join(gettext("%(label)s: %(value)s (doel %(target)s %%).")
                 % {"label": i["label"], "value": _percent(i["current"]), "target": i["target"]}
                 for i in items),
        label_title=gettext("Verhouding"), unit="%",
    )  # fmt: skip
    return {"items": items, "table": table, "charts": [chart]}

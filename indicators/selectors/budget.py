"""Programme budget against realised spend (k€) per objective for a quarter's year."""

from fractions import Fraction

from wmo.periods import Period

from ..budget import budget_figures_by_year
from ..rounding import round_one_decimal
from .cells import EMPTY, format_number
from .layout import OBJECTIVES


def _budget_item(objective: str, label: str, planned, spent) -> dict:
    difference = spent - planned if planned is not None and spent is not None else None
    # Exact, then half away from zero like every other figure (INDICATORS.md).
    share = round_one_decimal(Fraction(spent * 100) / Fraction(planned)) if (
        planned and spent is not None) else None  # fmt: skip
    return {
        "objective": objective, "label": label,
        "budget": format_number(planned), "realised": format_number(spent),
        "difference": format_number(difference),
        "pct": format_number(share, 1) if share is not None else "",
        "over": difference is not None and difference > 0,
        "numbers": {"budget": planned, "realised": spent, "difference": difference, "pct": share},
    }  # fmt: skip


def budget(quarter: Period) -> dict:
    """Programme budget vs realised spend (k€) per objective for the quarter's year, beside the
    year before: `budget_figures` of both years, so tile, page, export and API agree. A year
    without any booking shows no realisation (not 0)."""
    year = quarter.year
    found = {}
    for row_year, figures in budget_figures_by_year((year - 1, year)).items():
        for figure in figures:
            found[("budget", figure.objective, row_year)] = figure.budget_keur
            found[("realised", figure.objective, row_year)] = (
                figure.realised_keur if figure.quarters_realised else None)  # fmt: skip
    rows, items, previous = [], [], {}
    for objective, label in OBJECTIVES.items():
        item = _budget_item(objective, label, found.get(("budget", objective, year)),
                            found.get(("realised", objective, year)))  # fmt: skip
        before = _budget_item(objective, label, found.get(("budget", objective, year - 1)),
                              found.get(("realised", objective, year - 1)))  # fmt: skip
        items.append(item)
        previous[objective] = before
        figures = [item["numbers"][name] for name in ("budget", "realised", "difference", "pct")]
        texts = [item[name] for name in ("budget", "realised", "difference", "pct")]
        figures += [before["numbers"]["realised"], before["numbers"]["pct"]]
        texts += [before["realised"], before["pct"]]
        rows.append({"key": objective, "label": label, "cells": [
            {**EMPTY, "text": text, "number": float(number) if number is not None else None}
            for text, number in zip(texts, figures, strict=True)
        ]})  # fmt: skip
    table = {"id": "budget", "caption": f"Begroting en realisatie {year} (k€), met {year - 1}",
             "columns": ["Beleidsdoel", "Begroting (k€)", "Gerealiseerd (k€)", "Verschil (k€)",
                         "Gerealiseerd (% van begroting)", f"Gerealiseerd {year - 1} (k€)",
                         f"Gerealiseerd {year - 1} (% van begroting)"], "rows": rows}  # fmt: skip
    return {"year": year, "previous_year": year - 1, "items": items, "table": table,
            "main": next(i for i in items if i["objective"] == "IV"),
            "main_previous": previous["IV"]}  # fmt: skip

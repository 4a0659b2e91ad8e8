"""Programme budget against realised spend (k€) per objective for a quarter's year."""

from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext

from wmo.periods import Period

from ..budget import budget_figures, budget_figures_by_year, unchanged_policy_deficit
from ..rounding import round_one_decimal
from .cells import EMPTY, format_number
from .charts import make_chart
from .layout import objective_titles


def _budget_item(objective: str, label: str, figure) -> dict:
    """A BudgetFigure (None: no budget line and no booking) as tile and table text: k€ with one
    decimal, as BUDGET.md rounds them and the budget page shows them (without it, 33.111,0
    showed as 33.111 and a deviation of −78,0 as -78, beside the page's figures). The verdict
    is the run-rate forecast's deviation from the budget (BUDGET.md), as on the budget page:
    three quarters of spending set against a whole year's budget always looked "within"."""
    planned = figure.budget_keur if figure else None
    booked = bool(figure and figure.quarters_realised)
    spent = figure.realised_keur if booked else None
    forecast = figure.forecast_keur if booked else None
    deviation = figure.deviation_keur if booked else None
    # Exact, then half away from zero like every other figure (INDICATORS.md).
    share = round_one_decimal(Fraction(spent * 100) / Fraction(planned)) if (
        planned and spent is not None) else None  # fmt: skip
    return {
        "objective": objective, "label": label,
        "budget": format_number(planned, 1), "realised": format_number(spent, 1),
        "quarters": figure.quarters_realised if booked else 0,
        "forecast": format_number(forecast, 1), "deviation": _signed(deviation),
        "pct": format_number(share, 1) if share is not None else "",
        "over": deviation is not None and deviation > 0,
        "numbers": {"budget": planned, "realised": spent, "pct": share, "forecast": forecast,
                    "deviation": deviation},
    }  # fmt: skip


def _signed(value) -> str:
    """A deviation as the budget page writes it (+10,0 / −78,0, a real minus sign), in the
    active language's notation."""
    if value is None:
        return ""
    text = format_number(abs(value), 1)
    return f"+{text}" if value > 0 else f"−{text}" if value < 0 else text


COLUMNS = ("budget", "realised", "pct", "forecast", "deviation")


def budget(quarter: Period) -> dict:
    """Programme budget vs realised spend, forecast and deviation (k€) per objective for the
    quarter's year, beside the year before: `budget_figures` of both years, so tile, page,
    export and API agree. A year without any booking shows no realisation (not 0)."""
    year = quarter.year
    found = {(row_year, figure.objective): figure
             for row_year, figures in budget_figures_by_year((year - 1, year)).items()
             for figure in figures}  # fmt: skip
    rows, items, previous = [], [], {}
    for objective, label in objective_titles().items():
        item = _budget_item(objective, label, found.get((year, objective)))
        before = _budget_item(objective, label, found.get((year - 1, objective)))
        items.append(item)
        previous[objective] = before
        figures = [item["numbers"][name] for name in COLUMNS]
        texts = [item[name] for name in COLUMNS]
        figures += [before["numbers"]["realised"], before["numbers"]["pct"]]
        texts += [before["realised"], before["pct"]]
        rows.append({"key": objective, "label": label, "cells": [
            {**EMPTY, "text": text, "number": float(number) if number is not None else None}
            for text, number in zip(texts, figures, strict=True)
        ]})  # fmt: skip
    caption = gettext("Begroting, realisatie en prognose %(year)s (k€), met %(previous)s") % {
        "year": year, "previous": year - 1}  # fmt: skip
    table = {"id": "budget", "caption": caption,
             "columns": [gettext("Beleidsdoel"), gettext("Begroting (k€)"), gettext("Gerealiseerd (k€)"),
                         gettext("Gerealiseerd (% van begroting)"), gettext("Prognose (k€)"),
                         gettext("Afwijking (k€)"),
                         gettext("Gerealiseerd %(year)s (k€)") % {"year": year - 1},
                         gettext("Gerealiseerd %(year)s (%% van begroting)") % {"year": year - 1}],
             "rows": rows}  # fmt: skip
    return {"year": year, "previous_year": year - 1, "items": items, "table": table,
            "main": next(i for i in items if i["objective"] == "IV"),
            "main_previous": previous["IV"]}  # fmt: skip


def budget_chart(year: int) -> dict:
    """Realised spend per quarter against the budget line, objectives III–V together (k€),
    CUMULATIVE: after quarter q the realised total so far beside q/4 of the year's budget, so
    the last point is the year against its budget. The reference line is the same run through
    the year for the policy note's unchanged-policy forecast (budget + unchanged-policy
    deficit). Quarters after the last booked one have no realised point."""
    figures = budget_figures(year)
    deficit = unchanged_policy_deficit(year)
    booked = max((f.quarters_realised for f in figures), default=0)
    planned = (None if any(f.budget_keur is None for f in figures)
               else sum((f.budget_keur for f in figures), Decimal(0)))  # fmt: skip
    realised, running = [], Decimal(0)
    for number in range(1, 5):
        running += sum((f.realised_per_quarter[number - 1] for f in figures), Decimal(0))
        realised.append(running if number <= booked else None)

    def share(total, number):
        # Exact q/4 of the yearly amount, rounded like every other k€ figure.
        return None if total is None else round_one_decimal(Fraction(total) * number / 4)

    unchanged = None if planned is None or deficit is None else planned + deficit
    lines = [
        {"label": gettext("Gerealiseerd, cumulatief (k€)"), "values": realised, "style": "total"},
        {"label": gettext("Begroting naar rato (k€)"), "values": [share(planned, n) for n in range(1, 5)],
         "style": "norm"},
        {"label": gettext("Ongewijzigd beleid naar rato (k€)"),
         "values": [share(unchanged, n) for n in range(1, 5)], "style": ""},
    ]  # fmt: skip
    datasets = [
        {"label": line["label"], "style": line["style"], "cells": [
            {**EMPTY, "text": format_number(v, 1), "number": None if v is None else float(v)}
            for v in line["values"]]}
        for line in lines
    ]  # fmt: skip
    if booked:
        summary = gettext("Na %(booked)s van 4 kwartalen is € %(realised)s k uitgegeven, tegen "
                          "€ %(planned)s k begroot naar rato.") % {
            "booked": booked, "realised": format_number(realised[booked - 1], 1),
            "planned": format_number(share(planned, booked), 1)}  # fmt: skip
    else:
        summary = gettext("Voor %(year)s zijn nog geen uitgaven geboekt.") % {"year": year}
    if deficit is not None:
        summary += " " + gettext("Het tekort bij ongewijzigd beleid is in %(year)s € %(deficit)s k "
                                 "(referentielijn).") % {
            "year": year, "deficit": format_number(deficit, 1)}  # fmt: skip
    chart = make_chart(
        f"begroting-{year}", "line",
        gettext("Gerealiseerd per kwartaal tegen de begroting %(year)s, beleidsdoelen III–V (k€, cumulatief)")
        % {"year": year},
        [f"{year}Q{n}" for n in range(1, 5)], datasets, summary, label_title=gettext("Kwartaal"),
        unit="k€",
    )  # fmt: skip
    chart["deficit"] = deficit
    chart["deficit_text"] = format_number(deficit, 1) if deficit is not None else ""
    return chart

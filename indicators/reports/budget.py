"""The budget page: per objective and year, BUDGET.md's figures from `indicators.budget`
(budget, realised from the spend bookings, quarters realised, run-rate forecast, deviation),
with Dutch labels and number texts. No rule of its own: the page, its downloads, the tile and
the API show the same `budget_figures`."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext, gettext_lazy

from ..budget import (
    BUDGET_LINE,
    HEADER,
    BudgetFigure,
    budget_figures_by_year,
    unchanged_policy_deficits,
)
from ..models import BudgetLine
from .formatting import nl_number, signed

# The programme budget's own names for the objectives the app steers on (POLICY.md).
OBJECTIVE_LABELS = {
    "III": gettext_lazy("III Laagdrempelige basiszorg (buurtteams)"),
    "IV": gettext_lazy("IV Passende aanvullende zorg"),
    "V": gettext_lazy("V Opvang en verblijf (U16)"),
}


def objective_label(code: str) -> str:
    return str(OBJECTIVE_LABELS.get(code, gettext("Beleidsdoel %(code)s") % {"code": code}))


def budget_years() -> list[int]:
    """The years with a `budget` cell (2024–2027 from the programme budget, plus any later year
    a contract manager added)."""
    return sorted(set(BudgetLine.objects.filter(line=BUDGET_LINE, year__isnull=False)
                      .values_list("year", flat=True)))  # fmt: skip


def chosen_year(value: str | None, years: list[int], today) -> tuple[int | None, str]:
    """The year of ?jaar= (one of `years`), else this year or the last budget year; plus a Dutch
    error for a value that is not such a year."""
    default = today.year if today.year in years else (years[-1] if years else None)
    if value in (None, ""):
        return default, ""
    if value.isdigit() and int(value) in years:
        return int(value), ""
    return default, gettext("'%(value)s' is geen begrotingsjaar; kies uit %(years)s.") % {
        "value": value, "years": ", ".join(map(str, years))}  # fmt: skip


@dataclass(frozen=True)
class BudgetRow:
    figure: BudgetFigure

    @property
    def label(self) -> str:
        return objective_label(self.figure.objective)

    @property
    def budget_text(self) -> str:
        return _decimal(self.figure.budget_keur)

    @property
    def realised_text(self) -> str:
        return _decimal(self.figure.realised_keur)

    @property
    def forecast_text(self) -> str:
        return _decimal(self.figure.forecast_keur)

    @property
    def deviation_text(self) -> str:
        value = self.figure.deviation_keur
        return "" if value is None else signed(value, 1)

    @property
    def over(self) -> bool:
        return self.figure.deviation_keur is not None and self.figure.deviation_keur > 0


def _decimal(value: Decimal | None) -> str:
    return "" if value is None else nl_number(value, 1)


def budget_rows(years=None) -> list[BudgetRow]:
    """Per year (ascending) and objective III, IV, V: one row of `budget_figures` (3 queries)."""
    years = budget_years() if years is None else years
    by_year = budget_figures_by_year(years)
    return [BudgetRow(figure) for year in sorted(by_year) for figure in by_year[year]]


def deficit_rows(years) -> list[dict]:
    """Per year the policy note's reference line: budget and unchanged-policy forecast over
    III–V and the deficit between them, as numbers and Dutch texts."""
    return [{"year": row.year, "budget": _decimal(row.budget_keur),
             "unchanged": _decimal(row.unchanged_keur), "deficit": _decimal(row.deficit_keur),
             "deficit_keur": row.deficit_keur}
            for row in unchanged_policy_deficits(years)]  # fmt: skip


EXPORT_HEADER = HEADER


def export_rows(rows: list[BudgetRow]):
    for row in rows:
        yield row.figure.row()

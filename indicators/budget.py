"""Budget per objective and year (domain/BUDGET.md): the `budget` line beside the realised spend
of the bookings, the quarters realised, the run-rate forecast and the deviation. One function,
`budget_figures`, for export_budget, the budget page, the dashboard tile and the API.

Exact arithmetic (Fraction over the bookings' cents), rounded half away from zero to 1 decimal
only at the end, like every other figure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Sum

from wmo.catalogue.models import Objective
from wmo.finance.models import SpendBooking
from wmo.periods import Quarter

from .models import BudgetLine
from .rounding import round_one_decimal

BUDGET_LINE = "budget"
# The years figures can be asked for (the API's jaar=, export_budget --year).
YEAR_MIN, YEAR_MAX = 2000, 2100
YEAR_RANGE = f"Het jaar ligt tussen {YEAR_MIN} en {YEAR_MAX}."
UNCHANGED_POLICY_LINE = "forecast_unchanged_policy"
OBJECTIVES = tuple(Objective.values)  # III, IV, V: the objectives the app steers on
HEADER = ["year", "objective", "budget_keur", "realised_keur", "quarters_realised",
          "forecast_keur", "deviation_keur"]  # fmt: skip


@dataclass(frozen=True)
class BudgetFigure:
    """One objective in one year; the k€ values rounded to 1 decimal (None: empty)."""

    year: int
    objective: str
    budget_keur: Decimal | None
    realised_keur: Decimal
    quarters_realised: int
    forecast_keur: Decimal | None
    deviation_keur: Decimal | None
    realised_per_quarter: tuple[Decimal, ...]
    """Realised k€ in Q1..Q4 (1 decimal), for the chart against the budget line."""

    def row(self) -> list:
        return [self.year, self.objective, self.budget_keur, self.realised_keur,
                self.quarters_realised, self.forecast_keur, self.deviation_keur]  # fmt: skip


def _quarters(year: int) -> list[str]:
    return [str(Quarter(year, number)) for number in range(1, 5)]


def budget_lines(year: int, line: str = BUDGET_LINE) -> dict[str, Fraction]:
    """objective → the line's amount (k€) in `year`; a year without its own cell (2028 onwards
    before a contract manager adds it) has none."""
    return {
        objective: Fraction(amount)
        for objective, amount in BudgetLine.objects.filter(line=line, year=year)
        .values_list("objective", "amount_keur")
    }  # fmt: skip


def budget_figures(year: int) -> list[BudgetFigure]:
    """Per objective III, IV, V: BUDGET.md's figures for `year` (two queries)."""
    return budget_figures_by_year([year])[year]


def budget_figures_by_year(years) -> dict[int, list[BudgetFigure]]:
    """year → `budget_figures(year)` for several years in the same two queries (the page and
    the dashboard tile show more than one year)."""
    years = sorted(set(years))
    budget: dict[tuple[str, int], Fraction] = {
        (objective, line_year): Fraction(amount)
        for objective, line_year, amount in BudgetLine.objects.filter(
            line=BUDGET_LINE, year__in=years).values_list("objective", "year", "amount_keur")
    }  # fmt: skip
    spent: dict[tuple[str, str], Fraction] = {}
    quarters_realised = dict.fromkeys(years, 0)
    quarters = [q for year in years for q in _quarters(year)]
    rows = (SpendBooking.objects.filter(quarter__in=quarters).order_by()
            .values_list("objective", "quarter").annotate(total=Sum("amount_eur")))  # fmt: skip
    for objective, quarter, total in rows:
        spent[(objective, str(quarter))] = Fraction(total)
        # Any objective's booking counts: the administration closes a quarter for all at once.
        parsed = Quarter.parse(str(quarter))
        quarters_realised[parsed.year] = max(quarters_realised[parsed.year], parsed.number)
    return {year: [_figure(year, objective, budget.get((objective, year)),
                           [spent.get((objective, q), Fraction(0)) / 1000
                            for q in _quarters(year)], quarters_realised[year])
                   for objective in OBJECTIVES]
            for year in years}  # fmt: skip


def _figure(year, objective, planned, per_quarter, quarters_realised) -> BudgetFigure:
    realised = sum(per_quarter, Fraction(0))
    forecast = realised / quarters_realised * 4 if quarters_realised else None
    deviation = forecast - planned if forecast is not None and planned is not None else None
    return BudgetFigure(
        year=year, objective=objective,
        budget_keur=_rounded(planned), realised_keur=_k(realised),
        quarters_realised=quarters_realised, forecast_keur=_rounded(forecast),
        deviation_keur=_rounded(deviation),
        realised_per_quarter=tuple(_k(v) for v in per_quarter),
    )  # fmt: skip


TENTH = Decimal("0.1")


def _k(value: Fraction) -> Decimal:
    return round_one_decimal(value).quantize(TENTH)


def _rounded(value: Fraction | None) -> Decimal | None:
    return None if value is None else _k(value)


def unchanged_policy_deficit(year: int) -> Decimal | None:
    """The policy note's deficit: `forecast_unchanged_policy − budget` summed over III–V (k€);
    None when a line of an objective is missing for the year."""
    budget = budget_lines(year)
    unchanged = budget_lines(year, UNCHANGED_POLICY_LINE)
    if any(o not in budget or o not in unchanged for o in OBJECTIVES):
        return None
    return _k(sum((unchanged[o] - budget[o] for o in OBJECTIVES), Fraction(0)))


@dataclass(frozen=True)
class DeficitRow:
    """The reference line of one year: the `budget` and `forecast_unchanged_policy` lines
    summed over III–V and their difference (k€); None where a line of an objective is missing."""

    year: int
    budget_keur: Decimal | None
    unchanged_keur: Decimal | None
    deficit_keur: Decimal | None


def unchanged_policy_deficits(years) -> list[DeficitRow]:
    """`unchanged_policy_deficit` for several years in one query, ascending."""
    years = sorted(set(years))
    found: dict[tuple[str, str, int], Fraction] = {
        (line, objective, year): Fraction(amount)
        for line, objective, year, amount in BudgetLine.objects.filter(
            line__in=(BUDGET_LINE, UNCHANGED_POLICY_LINE), objective__in=OBJECTIVES,
            year__in=years).values_list("line", "objective", "year", "amount_keur")
    }  # fmt: skip

    def total(line, year):
        cells = [found.get((line, objective, year)) for objective in OBJECTIVES]
        return None if None in cells else sum(cells, Fraction(0))

    rows = []
    for year in years:
        planned, unchanged = total(BUDGET_LINE, year), total(UNCHANGED_POLICY_LINE, year)
        deficit = None if planned is None or unchanged is None else unchanged - planned
        rows.append(DeficitRow(year, _rounded(planned), _rounded(unchanged), _rounded(deficit)))
    return rows


def export_rows(year: int):
    """The header and one row per objective, as export_budget writes them."""
    yield HEADER
    for figure in budget_figures(year):
        yield figure.row()

"""The dashboard's budget tile and table follow the year of the chosen period (a quarter, a
half-year or a year), beside the year before it: not the current year."""

from decimal import Decimal

import pytest

from indicators.selectors.budget import budget
from wmo.periods import HalfYear, Quarter, Year

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("period", "year", "planned"),
    # Objective IV in the published budget (BUDGET.md): 91,858 k€ in 2025, 88,562 k€ in 2026.
    [(Quarter(2025, 3), 2025, Decimal("91858")), (HalfYear(2026, 1), 2026, Decimal("88562")),
     (Year(2025), 2025, Decimal("91858"))],
)  # fmt: skip
def test_the_budget_tile_follows_the_chosen_period_s_year(period, year, planned):
    shown = budget(period)
    assert (shown["year"], shown["previous_year"]) == (year, year - 1)
    assert shown["main"]["objective"] == "IV"
    assert shown["main"]["numbers"]["budget"] == planned
    assert shown["table"]["caption"].startswith(f"Begroting, realisatie en prognose {year} (k€)")

"""Uitgaven: what aanvullende zorg and opvang cost, per period (BUDGET.md, "Spend indicators").

- `spend_eur` — the sum of `amount_eur` of the objective IV and V bookings in the period's
  quarters (a quarter: its own; a half-year or year: each of its quarters), 2 decimals; credit
  notes (negative amounts) count.
- `cost_per_client_eur` — `spend_eur / clients_in_care` at the same level and period, exact,
  rounded half away from zero to 1 decimal; numerator spend_eur, denominator clients_in_care;
  empty when the group has no clients in care.

Levels `system` (every IV and V booking), `service_type` and `contractor` (the booking's
contractor, the same party as a referral's contractor, so the clients are bereik's at that
level). Groups written: the system always, each voorziening and opdrachtnemer with a booking in
the period. When the period has no booking of any objective yet, the administration has not
closed it (the rule of `quarters_realised` in BUDGET.md): the system's figures are then empty,
not 0, like a year without any booking on the budget page."""

from decimal import Decimal
from fractions import Fraction

from django.db.models import Sum
from django.utils.translation import gettext_noop as _

from wmo.catalogue.models import Objective
from wmo.finance.models import SpendBooking

from ..rounding import round_one_decimal
from .base import SYSTEM_KEY, IndicatorDef, Kind, Value, level_key

FAMILY = "uitgaven"
LEVELS = ("system", "service_type", "contractor")
# Contractor amounts are commercial: council views show system and voorziening only.
COMMERCIAL = ("contractor",)
INDICATORS = [
    IndicatorDef("spend_eur", FAMILY, Kind.AMOUNT, _("Uitgaven"), LEVELS, _("euro"), decimals=2,
                 council_hidden_levels=COMMERCIAL),
    IndicatorDef("cost_per_client_eur", FAMILY, Kind.MEAN, _("Kosten per cliënt in zorg"), LEVELS,
                 _("euro"), numerator_decimals=2, council_hidden_levels=COMMERCIAL),
]  # fmt: skip
OBJECTIVES = (str(Objective.IV), str(Objective.V))
CENT = Decimal("0.01")


def spend_by_level(period, codes) -> tuple[dict[str, dict[str, Decimal]], bool]:
    """level -> level_key -> the IV and V spend of the period's quarters, and whether the
    period has any booking at all (of any objective). One grouped query: the bookings per
    voorziening × opdrachtnemer, added up here (sums of cents add up exactly)."""
    quarters = [str(quarter) for quarter in period.quarters()]
    rows = (
        SpendBooking.objects.filter(quarter__in=quarters).order_by()
        .values("objective", "service_type_id", "contractor_id").annotate(total=Sum("amount_eur"))
    )  # fmt: skip
    spend: dict[str, dict[str, Decimal]] = {level: {} for level in LEVELS}
    booked = False
    for row in rows:
        booked = True
        if row["objective"] not in OBJECTIVES:
            continue
        for level in LEVELS:
            key = level_key(level, row, codes)
            if key is not None:
                spend[level][key] = spend[level].get(key, Decimal(0)) + row["total"]
    return spend, booked


def compute(context) -> list[Value]:
    spend, booked = spend_by_level(context.period, context.codes)
    if not booked:
        return [Value("system", SYSTEM_KEY, "spend_eur", None),
                Value("system", SYSTEM_KEY, "cost_per_client_eur", None)]  # fmt: skip
    spend["system"].setdefault(SYSTEM_KEY, Decimal(0))
    values = []
    for level in LEVELS:
        for key in sorted(spend[level]):
            amount = spend[level][key].quantize(CENT)
            clients = context.results.get((level, key, "clients_in_care"))
            clients_n = int(clients.value) if clients is not None and clients.value else 0
            cost = round_one_decimal(Fraction(amount) / clients_n) if clients_n else None
            values += [
                Value(level, key, "spend_eur", amount),
                Value(level, key, "cost_per_client_eur", cost, amount, clients_n),
            ]
    return values

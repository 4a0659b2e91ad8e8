"""Demo spend bookings (BUDGET.md), so the budget page and the dashboard's fourth corner show
realised spend, forecasts and cost per client from the first start.

Each closed quarter from 2024Q1 books about a quarter of the objective's `budget` line (with
some drift, so a year can end over or under budget): objective III in one booking for the
buurtteams, IV and V spread over (service, contractor) in proportion to the clients in care
with that contractor in that quarter. Once a year a credit note corrects an earlier booking, as
the financial administration does. Booking ids start with DEMO- and are replaced on a reseed."""

import datetime
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils import timezone

from indicators.definitions.referral_sets import in_care
from indicators.models import BudgetLine
from wmo.catalogue.models import Objective
from wmo.finance.models import SpendBooking
from wmo.periods import Quarter, periods_between
from wmo.referrals.models import Referral

PREFIX = "DEMO-"
FIRST = Quarter(2024, 1)
CENT = Decimal("0.01")


def _budgets() -> dict[tuple[str, int | None], int]:
    return {
        (line.objective, line.year): line.amount_keur
        for line in BudgetLine.objects.filter(line="budget", objective__in=Objective.values)
        if line.amount_keur is not None
    }


def _clients_in_care(quarter: Quarter) -> dict[str, list[tuple[int, int, int]]]:
    """Per objective: (service id, contractor id, clients in care) of the quarter."""
    rows = (
        Referral.objects.filter(
            in_care(quarter), cancelled_date__isnull=True, contractor__isnull=False
        )
        .values("service_type_id", "service_type__objective", "contractor_id")
        .annotate(clients=Count("client_id", distinct=True))
        .order_by("service_type_id", "contractor_id")
    )  # fmt: skip
    groups = defaultdict(list)
    for row in rows:
        groups[row["service_type__objective"]].append(
            (row["service_type_id"], row["contractor_id"], row["clients"])
        )
    return groups


def _spread(total: Decimal, groups: list[tuple[int, int, int]]) -> list[tuple[int, int, Decimal]]:
    """`total` over the groups by their clients, in cents, the rounding rest on the largest."""
    clients = sum(n for _, _, n in groups)
    shares = [(service, contractor, (total * n / clients).quantize(CENT, ROUND_HALF_UP))
              for service, contractor, n in groups]  # fmt: skip
    rest = total.quantize(CENT) - sum(amount for _, _, amount in shares)
    largest = max(range(len(shares)), key=lambda i: shares[i][2])
    service, contractor, amount = shares[largest]
    shares[largest] = (service, contractor, amount + rest)
    return shares


def seed_spend(rng: random.Random, today: datetime.date | None = None) -> int:
    """Replace the demo bookings; return how many were written."""
    SpendBooking.objects.filter(booking_id__startswith=PREFIX).delete()
    last = Quarter.last_completed(today or timezone.localdate())
    if last < FIRST:
        return 0
    budgets = _budgets()
    bookings = []
    for quarter in periods_between(FIRST, last):
        in_care = _clients_in_care(quarter)
        for objective in Objective.values:
            budget = budgets.get((objective, quarter.year), budgets.get((objective, None)))
            if not budget:
                continue
            total = Decimal(budget) * 250 * Decimal(str(round(rng.uniform(0.95, 1.07), 4)))
            if objective == Objective.III:
                bookings.append(SpendBooking(
                    booking_id=f"{PREFIX}{quarter}-III", quarter=quarter, objective=objective,
                    amount_eur=total.quantize(CENT, ROUND_HALF_UP)))  # fmt: skip
                continue
            groups = in_care.get(objective)
            if not groups:
                continue
            for service, contractor, amount in _spread(total, groups):
                bookings.append(SpendBooking(
                    booking_id=f"{PREFIX}{quarter}-{objective}-{service}-{contractor}",
                    quarter=quarter, objective=objective, service_type_id=service,
                    contractor_id=contractor, amount_eur=amount))  # fmt: skip
        if quarter.number == 4 or quarter == last:
            # The year's credit note: part of one of its IV bookings paid back.
            corrected = [b for b in bookings if b.quarter.year == quarter.year
                         and b.objective == Objective.IV]  # fmt: skip
            if corrected:
                booking = rng.choice(corrected)
                back = (booking.amount_eur * Decimal("0.04")).quantize(CENT, ROUND_HALF_UP)
                bookings.append(SpendBooking(
                    booking_id=f"{PREFIX}{quarter}-creditnota", quarter=quarter,
                    objective=booking.objective, service_type_id=booking.service_type_id,
                    contractor_id=booking.contractor_id, amount_eur=-back))  # fmt: skip
    SpendBooking.objects.bulk_create(bookings, batch_size=1000)
    return len(bookings)

"""Buurtteam indicators (objective III): cases, time to first contact, referral and group rates."""

from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q

from wmo.referrals.models import BuurtteamCase, Referral
from wmo.referrals.workdays import working_days_between

from ..rounding import ratio, round_one_decimal
from .base import (
    AREA_LEVELS,
    LEVEL_FIELDS,
    IndicatorDef,
    Kind,
    Value,
    grouped_levels,
    key_codes,
    level_key,
)  # fmt: skip

FAMILY = "buurtteam"
NORM_WORKDAYS = 5
INDICATORS = [
    IndicatorDef("bt_clients", FAMILY, Kind.COUNT, "Cliënten buurtteam", AREA_LEVELS, "cliënten"),
    IndicatorDef("bt_new_cases", FAMILY, Kind.COUNT, "Nieuwe casussen", AREA_LEVELS, "casussen"),
    IndicatorDef("bt_mean_wait_workdays", FAMILY, Kind.MEAN, "Werkdagen tot eerste contact",
                 AREA_LEVELS, "werkdagen", target=Decimal(NORM_WORKDAYS)),
    IndicatorDef("bt_pct_within_norm", FAMILY, Kind.PERCENTAGE, "Eerste contact binnen 5 werkdagen",
                 AREA_LEVELS, "%"),
    IndicatorDef("bt_referral_rate", FAMILY, Kind.PERCENTAGE, "Doorverwezen naar aanvullende zorg",
                 AREA_LEVELS, "%", target=Decimal("20")),
    IndicatorDef("bt_group_share", FAMILY, Kind.PERCENTAGE, "Groepsgericht of gecombineerd",
                 AREA_LEVELS, "%", target=Decimal("50")),
]  # fmt: skip


def _first_contact_waits(quarter, level):
    """level_key -> (sum of working days, count, count within norm) over cases whose first contact
    is in Q. The database groups cases by their date pair; working days are counted once per pair."""
    rows = (
        BuurtteamCase.objects.filter(
            first_contact_date__gte=quarter.start, first_contact_date__lte=quarter.end
        )
        .order_by()
        .values(*LEVEL_FIELDS[level], "registration_date", "first_contact_date")
        .annotate(n=Count("pk"))
    )
    result = {}
    codes = key_codes()
    for row in rows:
        days = working_days_between(row["registration_date"], row["first_contact_date"])
        key = level_key(level, row, codes)
        total, count, within = result.get(key, (0, 0, 0))
        result[key] = (
            total + days * row["n"],
            count + row["n"],
            within + (row["n"] if days <= NORM_WORKDAYS else 0),
        )
    return result


def compute(context) -> list[Value]:
    quarter = context.quarter
    led_to_referral = Exists(
        Referral.objects.filter(
            client_id=OuterRef("client_id"),
            referral_date__gte=OuterRef("registration_date"),
            referral_date__lte=OuterRef("closed_date"),
        )
    )
    base = BuurtteamCase.objects.filter(registration_date__lte=quarter.end).filter(
        Q(closed_date__isnull=True) | Q(closed_date__gte=quarter.start)
    )
    open_in_q = Q(registration_date__lte=quarter.end) & (
        Q(closed_date__isnull=True) | Q(closed_date__gte=quarter.start)
    )
    new = Q(registration_date__gte=quarter.start)
    closed = Q(closed_date__gte=quarter.start, closed_date__lte=quarter.end)
    by_level = grouped_levels(
        base, AREA_LEVELS,
        clients=Count("client_id", distinct=True, filter=open_in_q),
        new_cases=Count("pk", filter=new),
        group_n=Count("pk", filter=new & Q(support_form__in=["group", "blended"])),
        closed_n=Count("pk", filter=closed),
    )  # fmt: skip
    # Only cases closed in Q are looked up among the referrals, not every open case.
    referred = grouped_levels(base.filter(closed).filter(led_to_referral), AREA_LEVELS,
                              referred_n=Count("pk"))  # fmt: skip
    values = []
    for level in AREA_LEVELS:
        groups = by_level[level]
        waits = _first_contact_waits(quarter, level)
        for key in sorted(set(groups) | set(waits)):
            row = {**groups.get(key, {}), **referred[level].get(key, {})}
            total, count, within = waits.get(key, (0, 0, 0))
            new_cases = row.get("new_cases") or 0
            values += [
                Value(level, key, "bt_clients", row.get("clients") or 0),
                Value(level, key, "bt_new_cases", new_cases),
                Value(level, key, "bt_mean_wait_workdays",
                      round_one_decimal(Fraction(total, count)) if count else None, total, count,
                      Decimal(NORM_WORKDAYS)),
                Value(level, key, "bt_pct_within_norm", ratio(within, count, 100), within, count),
                Value(level, key, "bt_referral_rate",
                      ratio(row.get("referred_n") or 0, row.get("closed_n") or 0, 100),
                      row.get("referred_n") or 0, row.get("closed_n") or 0, Decimal("20")),
                Value(level, key, "bt_group_share", ratio(row.get("group_n") or 0, new_cases, 100),
                      row.get("group_n") or 0, new_cases, Decimal("50")),
            ]  # fmt: skip
    return values

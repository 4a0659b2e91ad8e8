"""Buurtteam indicators (objective III): cases, time to first contact, referral and group rates.

Levels system and wijk only, and every wijk is written (base.py): counts are 0 for a wijk
without cases in Q; the mean, the within-norm share and the referral and group rates stay empty
where their denominator (first contacts, closed cases, new cases in Q) is 0."""

import datetime
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q

# Labels and units are marked here and translated where they are shown (selectors.cells).
from django.utils.translation import gettext_noop as _

from wmo.calendar import BUURTTEAM
from wmo.catalogue.models import NormKind
from wmo.referrals.models import BuurtteamCase, Referral
from wmo.referrals.waiting import within_norm

from ..rounding import ratio, round_one_decimal
from .base import (
    AREA_LEVELS,
    SYSTEM_KEY,
    IndicatorDef,
    Kind,
    Value,
    distinct_counts,
    every_area,
    grouped_levels,
)

FAMILY = "buurtteam"
INDICATORS = [
    IndicatorDef("bt_clients", FAMILY, Kind.COUNT, _("Cliënten buurtteam"), AREA_LEVELS, _("cliënten")),
    IndicatorDef("bt_new_cases", FAMILY, Kind.COUNT, _("Nieuwe casussen"), AREA_LEVELS, _("casussen"),
                 over_time=True),
    IndicatorDef("bt_mean_wait_workdays", FAMILY, Kind.MEAN, _("Werkdagen tot eerste contact"),
                 AREA_LEVELS, _("werkdagen"), norm_kind=NormKind.BT_FIRST_CONTACT_WORKDAYS,
                 over_time=True),
    IndicatorDef("bt_pct_within_norm", FAMILY, Kind.PERCENTAGE,
                 _("Eerste contact binnen de norm"), AREA_LEVELS, "%", over_time=True),
    IndicatorDef("bt_referral_rate", FAMILY, Kind.PERCENTAGE, _("Doorverwezen naar aanvullende zorg"),
                 AREA_LEVELS, "%", norm_kind=NormKind.BT_REFERRAL_PCT, over_time=True),
    IndicatorDef("bt_group_share", FAMILY, Kind.PERCENTAGE, _("Groepsgericht of gecombineerd"),
                 AREA_LEVELS, "%", norm_kind=NormKind.BT_GROUP_PCT, over_time=True),
]  # fmt: skip


def _working_day_numbers(rows) -> dict:
    """Day -> working days from the first day the rows name up to it, so the working days
    between two of their days (BUURTTEAM.working_days_between) is a subtraction, not a count
    for each of thousands of date pairs."""
    if not rows:
        return {}
    first = min(row[1] for row in rows)
    last = max(max(row[1], row[2]) for row in rows)
    numbers, count, day = {}, 0, first
    while day <= last:
        count += day != first and BUURTTEAM.is_working_day(day)
        numbers[day] = count
        day += datetime.timedelta(days=1)
    return numbers


def _first_contact_waits(period, codes, norm) -> dict[str, dict[str, tuple[int, int, int]]]:
    """level -> level_key -> (sum of working days, count, count within `norm`) over cases whose
    first contact is in Q. The database groups the cases by wijk and date pair, the working
    days of a pair are a difference of day numbers, and the system level is the sum of the
    wijken."""
    rows = list(
        BuurtteamCase.objects.filter(
            first_contact_date__gte=period.start, first_contact_date__lte=period.end
        )
        .order_by()
        .values_list("district_id", "registration_date", "first_contact_date")
        .annotate(n=Count("pk"))
    )
    working_days = _working_day_numbers(rows)
    totals: dict[str, list[int]] = {}
    for district_id, registered, contacted, n in rows:
        days = max(working_days[contacted] - working_days[registered], 0)
        within = n if norm is not None and within_norm(days, norm) else 0
        for key in (SYSTEM_KEY, codes["district_id"][district_id]):
            total = totals.setdefault(key, [0, 0, 0])
            total[0] += days * n
            total[1] += n
            total[2] += within
    result = {level: {} for level in AREA_LEVELS}
    for key, total in totals.items():
        result["system" if key == SYSTEM_KEY else "district"][key] = tuple(total)
    return result


def compute(context) -> list[Value]:
    period = context.period
    codes = context.codes
    led_to_referral = Exists(
        Referral.objects.filter(
            client_id=OuterRef("client_id"),
            referral_date__gte=OuterRef("registration_date"),
            referral_date__lte=OuterRef("closed_date"),
        )
    )
    # Cases open in Q: registered by Q.end and not closed before Q.start.
    base = BuurtteamCase.objects.filter(registration_date__lte=period.end).filter(
        Q(closed_date__isnull=True) | Q(closed_date__gte=period.start)
    )
    new = Q(registration_date__gte=period.start)
    closed = Q(closed_date__gte=period.start, closed_date__lte=period.end)
    by_level = grouped_levels(
        base, AREA_LEVELS, codes,
        cases_n=Count("pk"),
        new_cases=Count("pk", filter=new),
        group_n=Count("pk", filter=new & Q(support_form__in=["group", "blended"])),
        closed_n=Count("pk", filter=closed),
    )  # fmt: skip
    # Distinct clients: the cases less the clients repeated within a group (base.py).
    clients = distinct_counts(base, AREA_LEVELS, "client_id", codes, rows={
        level: {key: row["cases_n"] for key, row in groups.items()} for level, groups in by_level.items()
    })  # fmt: skip
    # Only cases closed in Q are looked up among the referrals, not every open case.
    referred = grouped_levels(base.filter(closed).filter(led_to_referral), AREA_LEVELS, codes,
                              referred_n=Count("pk"))  # fmt: skip
    # Each figure against the norm and targets valid on the period's last day.
    norms = context.norms
    first_contact = norms.days(NormKind.BT_FIRST_CONTACT_WORKDAYS)
    waits = _first_contact_waits(period, codes, first_contact)
    every_area(by_level, codes)
    values = []
    for level in AREA_LEVELS:
        for key, row in by_level[level].items():
            total, count, within = waits[level].get(key, (0, 0, 0))
            new_cases, group_n = row.get("new_cases") or 0, row.get("group_n") or 0
            closed_n = row.get("closed_n") or 0
            referred_n = (referred[level].get(key) or {}).get("referred_n") or 0
            values += [
                Value(level, key, "bt_clients", clients[level].get(key) or 0),
                Value(level, key, "bt_new_cases", new_cases),
                Value(level, key, "bt_mean_wait_workdays",
                      round_one_decimal(Fraction(total, count)) if count else None, total, count,
                      norms.get(NormKind.BT_FIRST_CONTACT_WORKDAYS)),
                Value(level, key, "bt_pct_within_norm",
                      ratio(within, count, 100) if first_contact is not None else None,
                      within, count),
                Value(level, key, "bt_referral_rate", ratio(referred_n, closed_n, 100),
                      referred_n, closed_n, norms.get(NormKind.BT_REFERRAL_PCT)),
                Value(level, key, "bt_group_share", ratio(group_n, new_cases, 100), group_n,
                      new_cases, norms.get(NormKind.BT_GROUP_PCT)),
            ]  # fmt: skip
    return values

"""Beschikbaarheid (availability): waiting times and people waiting. INDICATORS.md."""

import datetime
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, F, Q, Sum
from django.db.models import Value as V

from ..rounding import median_from_histogram, ratio, round_one_decimal
from .base import (
    ALL_LEVELS,
    DayNumber,
    IndicatorDef,
    Kind,
    Median,
    Value,
    grouped_levels,
    histogram,
    mean_value,
    supports_median,
)
from .referral_sets import started_in, wait_days, waiting_at

FAMILY = "beschikbaarheid"
INDICATORS = [
    IndicatorDef("mean_wait_days", FAMILY, Kind.MEAN, "Gemiddelde wachttijd", ALL_LEVELS, "dagen"),
    IndicatorDef("median_wait_days", FAMILY, Kind.MEDIAN, "Mediane wachttijd", ALL_LEVELS, "dagen"),
    IndicatorDef("pct_within_norm", FAMILY, Kind.PERCENTAGE, "Binnen de norm gestart", ALL_LEVELS, "%"),
    IndicatorDef("waiting_at_end", FAMILY, Kind.COUNT, "Wachtenden aan het eind van het kwartaal",
                 ALL_LEVELS, "verwijzingen"),
    IndicatorDef("mean_days_waiting_at_end", FAMILY, Kind.MEAN,
                 "Gemiddeld aantal dagen wachtend (eind kwartaal)", ALL_LEVELS, "dagen"),
    # An average of three counts, so it is suppressed like a count.
    IndicatorDef("mean_waiting_per_month", FAMILY, Kind.COUNT, "Gemiddeld aantal wachtenden per maand",
                 ALL_LEVELS, "verwijzingen"),
    IndicatorDef("group_share", FAMILY, Kind.PERCENTAGE, "Aandeel groepsgericht gestart", ALL_LEVELS,
                 "%", target=Decimal("15")),
]  # fmt: skip


def _service_norms(level: str, key: str, norms: dict[str, int | None]) -> Decimal | None:
    """The waiting norm shown beside a group: the service's own norm where the group is one
    service; elsewhere each referral was judged against its own service's norm, so none."""
    if level == "service_type":
        norm = norms.get(key)
    elif level == "district_service":
        norm = norms.get(key.split(":", 1)[1])
    else:
        return None
    return Decimal(norm) if norm is not None else None


def compute(context) -> list[Value]:
    from wmo.referrals.models import ServiceType

    quarter = context.quarter
    norms = dict(ServiceType.objects.values_list("code", "waiting_norm_days"))
    base = context.referrals.annotate(wait=wait_days())
    started = started_in(quarter)
    has_norm = Q(service_type__waiting_norm_days__isnull=False)
    month_ends = quarter.month_ends
    end_number = (quarter.end - datetime.date(1970, 1, 1)).days
    in_database = supports_median(base)
    medians = {} if in_database else {
        level: histogram(base.filter(started), level, wait_days()) for level in ALL_LEVELS
    }  # fmt: skip
    by_level = grouped_levels(
        base,
        ALL_LEVELS,
        **({"median_wait": Median("wait", filter=started)} if in_database else {}),
        started_n=Count("pk", filter=started),
        wait_total=Sum("wait", filter=started),
        norm_n=Count("pk", filter=started & has_norm),
        within_n=Count(
            "pk", filter=started & has_norm & Q(wait__lte=F("service_type__waiting_norm_days"))
        ),
        group_n=Count("pk", filter=started & Q(group_based=True)),
        waiting_end=Count("pk", filter=waiting_at(quarter.end)),
        waiting_days_total=Sum(V(end_number) - DayNumber(F("referral_date")),
                               filter=waiting_at(quarter.end)),
        **{f"waiting_m{i}": Count("pk", filter=waiting_at(day)) for i, day in enumerate(month_ends)},
    )  # fmt: skip
    values = []
    for level, groups in by_level.items():
        for key, row in groups.items():
            norm = _service_norms(level, key, norms)
            n = row["started_n"] or 0
            if in_database:
                median = Fraction(row["median_wait"]) if row["median_wait"] is not None else None
            else:
                median = median_from_histogram(medians[level].get(key, {}))
            waiting_counts = [row[f"waiting_m{i}"] or 0 for i in range(len(month_ends))]
            values += [
                Value(level, key, "mean_wait_days", mean_value(row["wait_total"], n),
                      row["wait_total"] or 0, n, norm),
                Value(level, key, "median_wait_days",
                      round_one_decimal(median) if median is not None else None, None, n, norm),
                Value(level, key, "pct_within_norm", ratio(row["within_n"], row["norm_n"], 100),
                      row["within_n"], row["norm_n"]),
                Value(level, key, "waiting_at_end", row["waiting_end"] or 0),
                Value(level, key, "mean_days_waiting_at_end",
                      mean_value(row["waiting_days_total"], row["waiting_end"]),
                      row["waiting_days_total"] or 0, row["waiting_end"] or 0),
                Value(level, key, "mean_waiting_per_month",
                      mean_value(sum(waiting_counts), len(waiting_counts)),
                      sum(waiting_counts), len(waiting_counts)),
                Value(level, key, "group_share", ratio(row["group_n"], n, 100), row["group_n"], n,
                      Decimal("15")),
            ]  # fmt: skip
    return values

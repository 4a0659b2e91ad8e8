"""Beschikbaarheid (availability): waiting times and people waiting. INDICATORS.md.

Groups written: system, every wijk, and each voorziening, aanbieder, wijk × voorziening and
opdrachtnemer with a referral that counts in Q (base.py). There the counts (`waiting_at_end`) and
`mean_waiting_per_month` (over the period's 3, 6 or 12 month-ends, a denominator that always
exists) are 0 when
nobody waited; means, medians and percentages over referrals started in Q stay empty when none
started, `pct_within_norm` also when none of them has a norm."""

import datetime
from decimal import Decimal

from django.db.models import Case, Count, F, IntegerField, Q, Sum, When
from django.db.models import Value as V

# Labels and units are marked here and translated where they are shown (selectors.cells).
from django.utils.translation import gettext_noop as _

from wmo.catalogue.models import NormKind
from wmo.referrals.waiting import within_norm_condition

from ..rounding import ratio
from .base import (
    ALL_LEVELS,
    DayNumber,
    IndicatorDef,
    Kind,
    Value,
    every_area,
    mean_value,
    medians,
    rounded,
)
from .referral_sets import month_ends_waited, referral_counts, started_in, wait_days, waiting_at

FAMILY = "beschikbaarheid"
INDICATORS = [
    IndicatorDef("mean_wait_days", FAMILY, Kind.MEAN, _("Gemiddelde wachttijd"), ALL_LEVELS, _("dagen"),
                 over_time=True),
    IndicatorDef("median_wait_days", FAMILY, Kind.MEDIAN, _("Mediane wachttijd"), ALL_LEVELS, _("dagen")),
    IndicatorDef("pct_within_norm", FAMILY, Kind.PERCENTAGE, _("Binnen de norm gestart"), ALL_LEVELS, "%",
                 over_time=True),
    IndicatorDef("waiting_at_end", FAMILY, Kind.COUNT, _("Wachtenden aan het eind van het kwartaal"),
                 ALL_LEVELS, _("verwijzingen")),
    IndicatorDef("mean_days_waiting_at_end", FAMILY, Kind.MEAN,
                 _("Gemiddeld aantal dagen wachtend (eind kwartaal)"), ALL_LEVELS, _("dagen")),
    # A mean over the period's month-ends, shown with one decimal; council views suppress it as the
    # count of people it is (suppression.py), as its denominator is 3, 6 or 12 month-ends, not
    # observations.
    IndicatorDef("mean_waiting_per_month", FAMILY, Kind.MEAN, _("Gemiddeld aantal wachtenden per maand"),
                 ALL_LEVELS, _("verwijzingen"), suppress_as=Kind.COUNT, over_time=True),
    IndicatorDef("group_share", FAMILY, Kind.PERCENTAGE, _("Aandeel groepsgericht gestart"), ALL_LEVELS,
                 "%", norm_kind=NormKind.GROUP_PCT, over_time=True),
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


def _service_norms_of(context):
    """(pk, code, waiting norm) of every service, against the norms valid on the period's last
    day."""
    norms_at_end = context.norms
    return [(pk, code, norms_at_end.waiting_days(pk))
            for pk, code in context.codes["service_type_id"].items()]  # fmt: skip


def referral_measures(context):
    """What beschikbaarheid counts and sums in the run's one pass over the period's referrals
    (referral_counts)."""
    period = context.period
    wait = wait_days()
    started = started_in(period)
    # Each referral against its own service's norm, written out per service (a dozen), so the
    # period's rows need no join with the service table.
    with_norm = {pk: norm for pk, _, norm in _service_norms_of(context) if norm is not None}
    has_norm = Q(service_type_id__in=list(with_norm)) if with_norm else Q(pk__isnull=True)
    norm_of = Case(*[When(service_type_id=pk, then=V(norm)) for pk, norm in with_norm.items()],
                   default=None, output_field=IntegerField())  # fmt: skip
    end_number = (period.end - datetime.date(1970, 1, 1)).days
    measures = {
        "started_n": Count("pk", filter=started),
        "wait_total": Sum(wait, filter=started),
        "norm_n": Count("pk", filter=started & has_norm),
        "within_n": Count("pk", filter=started & has_norm & within_norm_condition(wait, norm_of)),
        "group_n": Count("pk", filter=started & Q(group_based=True)),
        "waiting_end": Count("pk", filter=waiting_at(period.end)),
        "waiting_days_total": Sum(V(end_number) - DayNumber(F("referral_date")),
                                  filter=waiting_at(period.end)),
        "waiting_month_ends": month_ends_waited(context.referrals, period.month_ends),
    }  # fmt: skip
    return measures, {}


def compute(context) -> list[Value]:
    period = context.period
    group_target = context.norms.get(NormKind.GROUP_PCT)
    norms = {code: norm for _, code, norm in _service_norms_of(context)}
    started = started_in(period)
    month_ends = period.month_ends
    by_level = referral_counts(context)
    every_area(by_level, context.codes)
    median = medians(context.referrals.filter(started), ALL_LEVELS, wait_days(), context.codes)
    values = []
    for level, groups in by_level.items():
        for key, row in groups.items():
            row = {name: row.get(name) or 0 for name in (
                "started_n", "wait_total", "norm_n", "within_n", "group_n", "waiting_end",
                "waiting_days_total", "waiting_month_ends",
            )}  # fmt: skip
            norm = _service_norms(level, key, norms)
            n = row["started_n"]
            waiting = row["waiting_month_ends"]
            values += [
                Value(level, key, "mean_wait_days", mean_value(row["wait_total"], n),
                      row["wait_total"], n, norm),
                Value(level, key, "median_wait_days", rounded(median[level].get(key)), None, n,
                      norm),
                Value(level, key, "pct_within_norm", ratio(row["within_n"], row["norm_n"], 100),
                      row["within_n"], row["norm_n"]),
                Value(level, key, "waiting_at_end", row["waiting_end"]),
                Value(level, key, "mean_days_waiting_at_end",
                      mean_value(row["waiting_days_total"], row["waiting_end"]),
                      row["waiting_days_total"], row["waiting_end"]),
                Value(level, key, "mean_waiting_per_month", mean_value(waiting, len(month_ends)),
                      waiting, len(month_ends)),
                Value(level, key, "group_share", ratio(row["group_n"], n, 100), row["group_n"], n,
                      group_target),
            ]  # fmt: skip
    return values

"""Bereik (reach): who gets support in the period. INDICATORS.md, "Bereik".

Groups written: system, every wijk, and each voorziening, aanbieder, wijk × voorziening and
opdrachtnemer with a referral that counts in Q (base.py). Counts there are 0 when nothing
happened; `clients_per_1000` is 0.0 for a wijk with a known population and no clients, empty
where the population is unknown."""

from django.db.models import Count

# Labels and units are marked here and translated where they are shown (selectors.cells).
from django.utils.translation import gettext_noop as _

from districts.models import District, DistrictPopulation

from ..rounding import ratio
from .base import (
    ALL_LEVELS,
    AREA_LEVELS,
    SYSTEM_KEY,
    IndicatorDef,
    Kind,
    Value,
    every_area,
)
from .referral_sets import (
    clients_in_care,
    ended_in,
    in_care,
    referral_counts,
    referred_in,
    repeat_measures,
    started_in,
)

FAMILY = "bereik"
INDICATORS = [
    IndicatorDef("clients_in_care", FAMILY, Kind.COUNT, _("Cliënten in zorg"), ALL_LEVELS, _("cliënten")),
    IndicatorDef("new_referrals", FAMILY, Kind.COUNT, _("Nieuwe verwijzingen"), ALL_LEVELS, _("verwijzingen"),
                 over_time=True),
    IndicatorDef("started", FAMILY, Kind.COUNT, _("Gestarte ondersteuning"), ALL_LEVELS, _("verwijzingen"),
                 over_time=True),
    IndicatorDef("ended", FAMILY, Kind.COUNT, _("Beëindigde ondersteuning"), ALL_LEVELS, _("verwijzingen"),
                 over_time=True),
    IndicatorDef("clients_per_1000", FAMILY, Kind.RATE, _("Cliënten per 1.000 inwoners"), AREA_LEVELS,
                 _("per 1.000"), per=1000),
]  # fmt: skip
COUNTS = ("new_referrals", "started", "ended")


def _population(year: int) -> dict[str, int]:
    """Inhabitants per wijk in `year`; the city's total only when every wijk has a figure."""
    by_district = dict(
        DistrictPopulation.objects.filter(year=year).values_list("district__code", "population")
    )
    if by_district and len(by_district) == District.objects.count():
        by_district[SYSTEM_KEY] = sum(by_district.values())
    return by_district


def referral_measures(context):
    """What bereik counts in the run's one pass over the period's referrals (referral_counts)."""
    period = context.period
    period_q = referred_in(period), started_in(period), ended_in(period)
    measures = {"in_care_rows": Count("pk", filter=in_care(period)),
                **repeat_measures(period),
                **{code: Count("pk", filter=condition)
                   for code, condition in zip(COUNTS, period_q, strict=True)}}  # fmt: skip
    return measures, {}


def compute(context) -> list[Value]:
    period = context.period
    population = _population(period.end.year)
    counts = referral_counts(context)
    clients = clients_in_care(context, counts)
    every_area(counts, context.codes)
    values = []
    for level, groups in counts.items():
        for key, row in groups.items():
            in_care_n = clients[level].get(key) or 0
            values.append(Value(level, key, "clients_in_care", in_care_n))
            values += [Value(level, key, code, row.get(code) or 0) for code in COUNTS]
            if level in AREA_LEVELS:
                inhabitants = population.get(key)
                values.append(
                    Value(level, key, "clients_per_1000", ratio(in_care_n, inhabitants, 1000),
                          in_care_n, inhabitants)
                )  # fmt: skip
    return values

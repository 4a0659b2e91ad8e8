"""Bereik (reach): who gets support in the quarter. INDICATORS.md, "Bereik"."""

from django.db.models import Count

from districts.models import District, DistrictPopulation

from ..rounding import ratio
from .base import ALL_LEVELS, AREA_LEVELS, SYSTEM_KEY, IndicatorDef, Kind, Value, grouped_levels
from .referral_sets import ended_in, in_care, referred_in, started_in

FAMILY = "bereik"
INDICATORS = [
    IndicatorDef("clients_in_care", FAMILY, Kind.COUNT, "Cliënten in zorg", ALL_LEVELS, "cliënten"),
    IndicatorDef("new_referrals", FAMILY, Kind.COUNT, "Nieuwe verwijzingen", ALL_LEVELS, "verwijzingen"),
    IndicatorDef("started", FAMILY, Kind.COUNT, "Gestarte ondersteuning", ALL_LEVELS, "verwijzingen"),
    IndicatorDef("ended", FAMILY, Kind.COUNT, "Beëindigde ondersteuning", ALL_LEVELS, "verwijzingen"),
    IndicatorDef("clients_per_1000", FAMILY, Kind.RATE, "Cliënten per 1.000 inwoners", AREA_LEVELS,
                 "per 1.000"),
]  # fmt: skip


def _population(year: int) -> dict[str, int]:
    """Inhabitants per wijk in `year`; the city's total only when every wijk has a figure."""
    by_district = dict(
        DistrictPopulation.objects.filter(year=year).values_list("district__code", "population")
    )
    if by_district and len(by_district) == District.objects.count():
        by_district[SYSTEM_KEY] = sum(by_district.values())
    return by_district


def compute(context) -> list[Value]:
    quarter = context.quarter
    base = context.referrals
    population = _population(quarter.end.year)
    values = []
    by_level = grouped_levels(
        base,
        ALL_LEVELS,
        clients_in_care=Count("client_id", distinct=True, filter=in_care(quarter)),
        new_referrals=Count("pk", filter=referred_in(quarter)),
        started=Count("pk", filter=started_in(quarter)),
        ended=Count("pk", filter=ended_in(quarter)),
    )
    for level, groups in by_level.items():
        for key, row in groups.items():
            for code in ("clients_in_care", "new_referrals", "started", "ended"):
                values.append(Value(level, key, code, row[code] or 0))
            if level in AREA_LEVELS:
                clients = row["clients_in_care"] or 0
                inhabitants = population.get(key)
                values.append(
                    Value(level, key, "clients_per_1000", ratio(clients, inhabitants, 1000),
                          clients, inhabitants)
                )  # fmt: skip
    return values

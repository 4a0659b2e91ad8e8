"""Demo figures (rounded estimates, not official CBS counts) so per-1000 ratios can be shown."""

from .models import District, DistrictPopulation

# Approximate inhabitants per wijk around 2024; yearly growth differs per wijk.
DEMO_POPULATION_2024 = {
    "WK034401": 26_000,
    "WK034402": 43_000,
    "WK034403": 35_000,
    "WK034404": 28_500,
    "WK034405": 37_000,
    "WK034406": 18_500,
    "WK034407": 34_000,
    "WK034408": 39_000,
    "WK034409": 62_000,
    "WK034410": 48_000,
}
GROWTH = {"WK034409": 0.035, "WK034410": 0.015}


def seed_populations(first_year=2020, last_year=2027) -> int:
    written = 0
    for district in District.objects.filter(code__in=DEMO_POPULATION_2024):
        base = DEMO_POPULATION_2024[district.code]
        growth = GROWTH.get(district.code, 0.008)
        for year in range(first_year, last_year + 1):
            population = round(base * (1 + growth) ** (year - 2024))
            DistrictPopulation.objects.update_or_create(
                district=district, year=year, defaults={"population": population}
            )
            written += 1
    return written

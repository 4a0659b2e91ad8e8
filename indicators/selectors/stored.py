"""Reading stored figures: the IndicatorValue rows a page needs in one query (a Store), the
names of wijken, services and providers, the quarters that have values and the published
baseline. Nothing here computes: what is read is what every page, export and report shows."""

from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django.db.models import CharField, F, Q
from django.db.models import Value as V
from django.utils.translation import gettext_noop

from wmo.catalogue.norms import NormHistory
from wmo.periods import HalfYear, Period, Quarter, Year, periods_between

from ..models import BaselineFigure, IndicatorValue
from .filters import Filters
from .layout import (
    DISTRICT_COLUMNS,
    DIVERSITY,
    FIRST_OF_KIND,
    FIRST_YEAR,
    OBJECTIVE_III,
    OBJECTIVE_SERVICE_COLUMNS,
    ORGANISATION_COLUMNS,
    SERIES_INDICATORS,
    SERVICE_COLUMNS,
    SPEND,
    SPEND_COLUMNS,
    STAFF_SECTIONS,
)


class Row(NamedTuple):
    """One stored value (a tuple: a page loads a few thousand of them)."""

    quarter: Period
    level: str
    level_key: str
    indicator: str
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    norm: Decimal | None
    suppression: str = ""  # the council's mark (suppression.marks)


class Store:
    """The stored rows a dashboard needs, fetched in one query and pivoted in Python. `quarter`
    is the chosen period: a quarter, a half-year or a year."""

    def __init__(self, quarter: Period, rows: Iterable[Row], norms: NormHistory | None = None):
        self.quarter = quarter
        self.norms = norms  # the dated norms and targets, for figures stored without theirs
        self.rows = {}
        self.keys = {}  # (period, level) -> level_keys present
        for r in rows:
            self.rows[(r.quarter, r.level, r.level_key, r.indicator)] = r
            self.keys.setdefault((r.quarter, r.level), set()).add(r.level_key)

    def get(self, quarter, level: str, key: str, indicator: str) -> Row | None:
        return self.rows.get((quarter, level, key, indicator))

    def keys_at(self, level: str, quarter: Period | None = None) -> set[str]:
        return self.keys.get((quarter or self.quarter, level), set())

    def periods(self, kind: type[Period]) -> list[Period]:
        """Stored periods of one kind (system level present) from the first the trends show
        up to the end of the chosen period, in period order."""
        first = FIRST_OF_KIND[kind]
        return sorted(
            period
            for (period, level) in self.keys
            if level == "system"
            and type(period) is kind
            and first <= period
            and period.end <= self.quarter.end
        )

    def quarters(self) -> list[Quarter]:
        """Stored quarters from FIRST_QUARTER up to the chosen period's end."""
        return self.periods(Quarter)


def sub_year_kind(period: Period) -> type[Period]:
    """The kind of the shorter series beside the yearly one: half-years when a half-year is
    chosen, else quarters (for a chosen year: its quarters)."""
    return HalfYear if isinstance(period, HalfYear) else Quarter


def series_periods(period: Period) -> list[Period]:
    """Every period a dashboard for `period` reads at its level: the period itself, the one
    before and the same one a year earlier (tiles), the shorter series from its first period
    and the years from FIRST_YEAR (trends), each up to the chosen period's end."""
    kind = sub_year_kind(period)
    last_sub = kind.containing(period.end)
    periods = {period, period.previous(), period.same_period_last_year()}
    periods.update(periods_between(FIRST_OF_KIND[kind], last_sub))
    periods.update(periods_between(FIRST_YEAR, Year(period.end.year)))
    return sorted(periods)


def load(quarter: Period, filters: "Filters | None" = None, sections=None, names=None) -> Store:
    """Every IndicatorValue row the dashboard sections need (default: all), in one query. Only
    the indicators the sections show are fetched, so the query stays small at every level.

    Every condition names its quarters, levels and keys exactly (given `names`, the wijk and
    service codes), so PostgreSQL answers each from the (quarter, level, level_key, indicator)
    index instead of filtering thousands of rows of the level."""
    filters = filters or Filters()
    sections = STAFF_SECTIONS if sections is None else sections
    quarters = series_periods(quarter)
    level, key = filters.level
    parts = [
        # Tiles, previous quarter, same quarter last year, trends and ratios at the chosen level.
        Q(level=level, level_key=key, indicator__in=SERIES_INDICATORS, quarter__in=quarters),
        # The system level over time: the list of stored quarters, ratios and diversity.
        Q(level="system", indicator__in=[*SERIES_INDICATORS, *DIVERSITY], quarter__in=quarters),
        # Diversity per wijk over time.
        Q(level="district", indicator__in=DIVERSITY, quarter__in=quarters),
    ]
    districts = [code for code, _ in names["districts"]] if names else None
    services = [code for code, _ in names["services"]] if names else None
    if "objectives" in sections:
        # Objective III at the chosen wijk or the city; IV and V per service.
        parts.append(Q(quarter=quarter, level="system", indicator__in=OBJECTIVE_III))
        if filters.district:
            parts.append(Q(quarter=quarter, level="district", level_key=filters.district,
                           indicator__in=OBJECTIVE_III))  # fmt: skip
            keys = Q(level_key__in=[f"{filters.district}:{s}" for s in services]) if services \
                else Q(level_key__startswith=f"{filters.district}:")  # fmt: skip
            parts.append(Q(quarter=quarter, level="district_service",
                           indicator__in=OBJECTIVE_SERVICE_COLUMNS) & keys)  # fmt: skip
        else:
            parts.append(Q(quarter=quarter, level="service_type",
                           indicator__in=OBJECTIVE_SERVICE_COLUMNS))  # fmt: skip
    # Comparisons for the chosen period.
    if "districts" in sections:
        parts.append(Q(quarter=quarter, level="district", indicator__in=DISTRICT_COLUMNS))
        if filters.service:
            keys = Q(level_key__in=[f"{d}:{filters.service}" for d in districts]) if districts \
                else Q(level_key__endswith=f":{filters.service}")  # fmt: skip
            parts.append(Q(quarter=quarter, level="district_service", indicator__in=DISTRICT_COLUMNS)
                         & keys)  # fmt: skip
            parts.append(Q(quarter=quarter, level="service_type", level_key=filters.service,
                           indicator__in=DISTRICT_COLUMNS))  # fmt: skip
    if "services" in sections:
        parts.append(Q(quarter=quarter, level="service_type", indicator__in=SERVICE_COLUMNS))
        if filters.district:
            keys = Q(level_key__in=[f"{filters.district}:{s}" for s in services]) if services \
                else Q(level_key__startswith=f"{filters.district}:")  # fmt: skip
            parts.append(Q(quarter=quarter, level="district_service", indicator__in=SERVICE_COLUMNS)
                         & keys)  # fmt: skip
    if "spend" in sections:
        # The city's tiles (with the periods they compare with) and the quarters of the
        # period's year for the chart; the chosen period per voorziening and, for staff pages
        # (which show the contracting parties), per contracting party.
        year_quarters = [Quarter(quarter.end.year, n) for n in range(1, 5)]
        parts.append(Q(level="system", indicator__in=[*SPEND, "clients_in_care"],
                       quarter__in=sorted({*quarters, *year_quarters})))  # fmt: skip
        spend_levels = ["service_type", *(["contractor"] if "contractors" in sections else [])]
        parts.append(Q(quarter=quarter, level__in=spend_levels, indicator__in=SPEND_COLUMNS))
    organisation_levels = [lvl for lvl, name in (("provider", "providers"),
                                                 ("contractor", "contractors")) if name in sections]  # fmt: skip
    if organisation_levels:
        parts.append(
            Q(quarter=quarter, level__in=organisation_levels, indicator__in=ORGANISATION_COLUMNS)
        )
    # UNION ALL, not OR: each part is planned on its own index, and no row is checked against
    # every other part's conditions. A row two parts select arrives twice; the Store keeps one.
    columns = ("quarter", "level", "level_key", "indicator", "value", "numerator", "denominator",
               "norm", "suppression")  # fmt: skip
    selects = [
        IndicatorValue.objects.filter(part).order_by().values_list(*columns) for part in parts
    ]
    rows = selects[0].union(*selects[1:], all=True)
    return Store(quarter, map(Row._make, rows), NormHistory())


def reference_names() -> dict[str, list[tuple[str, str]]]:
    """(code, name) of wijken, services and providers, for labels and filter choices, and
    (service code, objective): one UNION query, since every dashboard page needs them all."""
    from districts.models import District
    from providers.models import Provider
    from wmo.catalogue.models import ServiceType

    def part(model, kind, code_field):
        return (
            model.objects.order_by()
            .annotate(k=V(kind, CharField()), c=F(code_field), n=F("name"))
            .values_list("k", "c", "n")
        )

    objectives = (
        ServiceType.objects.order_by()
        .annotate(k=V("objectives", CharField()), c=F("code"), n=F("objective"))
        .values_list("k", "c", "n")
    )
    rows = part(District, "districts", "code").union(
        part(ServiceType, "services", "code"), part(Provider, "providers", "agb_code"),
        objectives, all=True,
    )  # fmt: skip
    names = {"districts": [], "services": [], "providers": [], "objectives": []}
    for kind, code, name in rows:
        names[kind].append((code, name))
    # "objectives": (service code, objective) from wmo.catalogue's ServiceType.objective.
    names["districts"].sort()
    names["services"].sort(key=lambda item: item[1].lower())
    names["providers"].sort(key=lambda item: item[1].lower())
    return names


def stored_periods() -> list[Period]:
    """Quarters, half-years and years with stored values, newest first in period order (one
    query on the trend index; sorted here, since the stored text sorts 2026 before 2026Q1)."""
    found = IndicatorValue.objects.filter(indicator="clients_in_care", level="system").values_list(
        "quarter", flat=True
    )
    return sorted(set(found), reverse=True)


def stored_quarters(periods: list[Period] | None = None) -> list[Quarter]:
    """Quarters with stored values, newest first (the stored half-years and years left out)."""
    periods = stored_periods() if periods is None else periods
    return [p for p in periods if isinstance(p, Quarter)]


def stored_longer_periods(periods: list[Period] | None = None) -> list[Period]:
    """Half-years and years with stored values, newest first in period order."""
    periods = stored_periods() if periods is None else periods
    return [p for p in periods if isinstance(p, HalfYear | Year)]


def default_quarter(today, quarters: list[Quarter] | None = None) -> Quarter | None:
    """The last completed quarter that has stored values (else the newest stored one; None when
    nothing is stored)."""
    quarters = stored_quarters() if quarters is None else quarters
    last_completed = Quarter.last_completed(today)
    completed = [q for q in quarters if q <= last_completed]
    if completed:
        return max(completed)
    return max(quarters) if quarters else None


# The published baseline units, in the words the pages use.
PUBLISHED_UNITS = {"days": "dagen", "working_days": "werkdagen"}
# The notes of the published baseline (indicators/data/baseline_2020_2022.csv), marked so that
# an English page shows them translated; a note edited since shows as it is written.
PUBLISHED_NOTES = (
    gettext_noop('Nulmeting: gepubliceerd onder de kop "Gemiddelde wachttijd per jaar in dagen", '
                 "terwijl de tekst 7,2 (2022) vergelijkt met de norm van 5 werkdagen. Of de "
                 "gepubliceerde cijfers kalenderdagen of werkdagen zijn, is in de bron niet "
                 "eenduidig; de app zelf telt werkdagen."),
)  # fmt: skip


class BaselineIndex(dict):
    """(service, indicator, year) -> published value. `notes`: (service, indicator) -> the
    published unit (in Dutch) and the note that must be shown with the figure, where it has
    one (the buurtteam's mean wait: "in dagen" beside a norm in werkdagen)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.notes = {}

    def add(self, service, indicator, year, value, unit="", note=""):
        self[(service, indicator, year)] = value
        if note:
            self.notes[(service, indicator)] = {
                "unit": PUBLISHED_UNITS.get(unit, unit), "note": note,
            }  # fmt: skip


def baseline_index() -> BaselineIndex:
    """The published baseline with its notes, for `trends` (one query)."""
    index = BaselineIndex()
    for row in BaselineFigure.objects.order_by().values_list(
        "service", "indicator", "year", "value", "unit", "note"
    ):
        index.add(*row)
    return index

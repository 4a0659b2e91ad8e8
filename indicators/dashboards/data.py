"""Data builders for the dashboards, their CSV/XLSX downloads and the quarterly report.

Everything here reads stored values only (IndicatorValue, BaselineFigure, BudgetLine,
RealisedSpend) and never recomputes, so the browser, the exports and the PDF show the same numbers.
Each public builder takes `(quarter, filters, suppressed)` plus an optional `store` (the rows of
one `load()` call, so a page that shows every section runs one IndicatorValue query) and returns
plain Python structures:

- a *cell* is ``{"text": str, "number": float | None, "numerator": str, "denominator": str,
  "note": str}``: ``text`` is what the page, the CSV and the PDF show (Dutch number format; for
  council members the suppressed form `<5` / `—`); ``number`` is for charts and spreadsheets and
  is None when the value is undefined or suppressed; ``note`` is the secondary-suppression note
  (`cell_text` adds its marker).
- a *table* is ``{"id", "caption", "columns": [str], "rows": [{"key", "label", "cells": [cell]}]}``;
  ``columns[0]`` heads the row labels. `table_rows(table)` flattens it to strings for CSV.
- a *chart* is ``{"id", "type", "title", "labels", "datasets": [{"label", "data"}], "summary",
  "table", "marker"}``: ``summary`` is the one-sentence text alternative, ``table`` its data.

`suppressed=True` (council members) sends every figure through
`indicators.suppression.council_view`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple
from urllib.parse import urlencode

from django.db.models import CharField, F, Q
from django.db.models import Value as V

from ..definitions import INDICATORS
from ..definitions.base import SYSTEM_KEY, Kind
from ..models import BaselineFigure, BudgetLine, IndicatorValue, RealisedSpend
from ..quarters import Quarter
from ..rounding import round_one_decimal
from ..suppression import MARKER, NOTE, TOO_FEW, council_view, published

# Trends show the published baseline years, then stored quarters from here on.
BASELINE_YEARS = (2020, 2021, 2022)
FIRST_QUARTER = Quarter(2023, 1)
# The city-wide contract (one contracting party, district teams) starts here.
SWITCH = Quarter(2027, 1)

LOWER, HIGHER = "lower", "higher"
# Which way is good, for the figures that have a norm or target.
DIRECTION = {
    "mean_wait_days": LOWER,
    "median_wait_days": LOWER,
    "bt_mean_wait_workdays": LOWER,
    "bt_referral_rate": LOWER,  # 80/20: at most a fifth of buurtteam cases is referred on
    "bt_group_share": HIGHER,  # 50/50 group vs individual at the buurtteam
    "group_share": HIGHER,  # 15/85 in aanvullende zorg: more group-based support is the aim
    "pct_within_norm": HIGHER,
}
# Each service has its own waiting norm, so the city and a wijk have none for the mean waiting
# time; the share started within each referral's own norm is what carries the norm there. Policy
# sets no share to reach, so the dashboard colours it against this signal value (said on the page).
SIGNAL_VALUES = {"pct_within_norm": Decimal(80)}

TILE_GROUPS = [
    ("bereik", "Bereik", ["clients_in_care", "new_referrals", "clients_per_1000", "bt_clients"]),
    ("beschikbaarheid", "Beschikbaarheid",
     ["mean_wait_days", "median_wait_days", "pct_within_norm", "waiting_at_end",
      "mean_days_waiting_at_end", "mean_waiting_per_month", "bt_mean_wait_workdays"]),
    ("kwaliteit", "Kwaliteit",
     ["exp_solution_pct", "exp_self_reliance_pct", "complaints", "complaints_per_100_clients"]),
]  # fmt: skip
# Waiting times and waiting counts: on the staff dashboard they link to the live waiting list.
WAITING = ("mean_wait_days", "median_wait_days", "waiting_at_end", "mean_waiting_per_month",
           "mean_days_waiting_at_end")  # fmt: skip

# (indicator, baseline service (None: the selected service), baseline indicator)
TREND_SERIES = [
    ("clients_in_care", None, "unique_clients"),
    ("bt_clients", "buurtteam", "unique_clients"),
    ("mean_wait_days", None, "mean_wait"),
    ("pct_within_norm", None, None),
    ("bt_mean_wait_workdays", "buurtteam", "mean_wait"),
    ("waiting_at_end", None, None),
    ("mean_waiting_per_month", None, "mean_waiting_per_month"),
]
RATIOS = [
    ("bt_referral_rate", "Buurtteam: doorverwezen naar aanvullende zorg (doel 80/20)"),
    ("bt_group_share", "Buurtteam: groepsgericht of gecombineerd (doel 50/50)"),
    ("group_share", "Aanvullende zorg: groepsgericht gestart (doel 15/85)"),
]
DISTRICT_COLUMNS = [
    "clients_in_care", "clients_per_1000", "new_referrals", "mean_wait_days", "pct_within_norm",
    "waiting_at_end", "bt_mean_wait_workdays", "bt_referral_rate", "small_org_share",
    "exp_solution_pct",
]  # fmt: skip
SERVICE_COLUMNS = [
    "clients_in_care", "new_referrals", "started", "mean_wait_days", "pct_within_norm",
    "waiting_at_end", "mean_waiting_per_month", "group_share",
]  # fmt: skip
ORGANISATION_COLUMNS = [
    "clients_in_care", "started", "ended", "mean_wait_days", "pct_within_norm", "waiting_at_end",
    "group_share", "small_org_share", "exp_solution_pct", "complaints",
]  # fmt: skip
DIVERSITY = ("small_org_share", "providers_active", "referrals_in_care")
OBJECTIVES = {
    "III": "III — laagdrempelige basiszorg (buurtteams)",
    "IV": "IV — passende aanvullende zorg",
    "V": "V — opvang en verblijf (U16)",
}

SERIES_INDICATORS = sorted(
    {code for _, _, codes in TILE_GROUPS for code in codes}
    | {code for code, _, _ in TREND_SERIES}
    | {code for code, _ in RATIOS}
)


# --- filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The optional dashboard filters: CBS wijk code, service code, provider / contractor AGB."""

    district: str = ""
    service: str = ""
    provider: str = ""
    contractor: str = ""

    @property
    def level(self) -> tuple[str, str]:
        """The stored (level, level_key) that answers this combination of filters."""
        if self.provider:
            return "provider", self.provider
        if self.contractor:
            return "contractor", self.contractor
        if self.district and self.service:
            return "district_service", f"{self.district}:{self.service}"
        if self.district:
            return "district", self.district
        if self.service:
            return "service_type", self.service
        return "system", SYSTEM_KEY

    @property
    def ignored(self) -> list[str]:
        """Filters left out because no value is stored for that combination (e.g. wijk ×
        aanbieder): the page says so instead of silently showing something else."""
        level = self.level[0]
        ignored = []
        if level in ("provider", "contractor"):
            ignored += [name for name, v in (("wijk", self.district),
                                             ("voorziening", self.service)) if v]  # fmt: skip
        if level == "provider" and self.contractor:
            ignored.append("contractpartij")
        return ignored

    def as_query(self) -> dict[str, str]:
        """The dashboard's own GET parameters for these filters."""
        pairs = (("wijk", self.district), ("voorziening", self.service),
                 ("aanbieder", self.provider), ("contractpartij", self.contractor))  # fmt: skip
        return {name: value for name, value in pairs if value}

    def waiting_list_query(self) -> str | None:
        """Query string for the waiting list (referrals:waiting-list filters wijk, voorziening,
        aanbieder) showing the people behind a figure at this selection's stored level: exactly
        that level's filters, not the ignored ones (a provider's figure covers every wijk).
        None at contractor level: the list cannot filter on it and would show more."""
        level, key = self.level
        if level == "contractor":
            return None
        if level == "district_service":
            district, service = key.split(":", 1)
            return urlencode({"wijk": district, "voorziening": service})
        names = {"district": "wijk", "service_type": "voorziening", "provider": "aanbieder"}
        return urlencode({names[level]: key}) if level in names else ""


# --- number formatting -----------------------------------------------------------------------


# `drill`: the waiting-list query string behind a waiting figure (staff only), else None.
EMPTY = {"text": "", "number": None, "numerator": "", "denominator": "", "drill": None, "note": ""}


def kind_of(indicator: str) -> str:
    return INDICATORS[indicator].kind if indicator in INDICATORS else Kind.COUNT


# English grouping and decimal marks swapped in one pass: 1,234.5 -> 1.234,5.
DUTCH_MARKS = str.maketrans(",.", ".,")


def format_number(value, decimals: int | None = None) -> str:
    """Dutch notation: 1.234 and 12,5. Integers of a count without decimals; others with one."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if not isinstance(value, Decimal):
        value = Decimal(value)
    if decimals is None:
        decimals = 0 if value == value.to_integral_value() else 1
    return f"{value:,.{decimals}f}".translate(DUTCH_MARKS)


def _text(indicator: str, value) -> str:
    if value is None or isinstance(value, str):
        return format_number(value)
    return format_number(value, None if kind_of(indicator) == Kind.COUNT else 1)


def make_cell(indicator: str, row, suppressed: bool) -> dict:
    """A stored row (or None) as a cell; for council members what suppression.council_view
    lets them see."""
    if row is None:
        return dict(EMPTY)
    value, numerator, denominator, note = row.value, row.numerator, row.denominator, ""
    if suppressed:
        shown = council_view(row)
        value, numerator, denominator, note = (shown.value, shown.numerator, shown.denominator,
                                               shown.note)  # fmt: skip
    return {
        "text": _text(indicator, value),
        "number": None if value is None or isinstance(value, str) else float(value),
        "numerator": format_number(numerator),
        "denominator": format_number(denominator),
        "drill": None,
        "note": note,
    }


def cell_text(cell: dict) -> str:
    """The cell's text with the marker of a figure hidden to protect another (`—*`)."""
    return cell["text"] + MARKER if cell.get("note") else cell["text"]


def table_note(table: dict) -> str:
    """The footnote a table needs when a figure in it carries the marker, else ''."""
    if any(cell.get("note") for row in table["rows"] for cell in row["cells"]):
        return f"{MARKER} {NOTE[0].upper()}{NOTE[1:]}."
    return ""


def label_of(indicator: str) -> str:
    return INDICATORS[indicator].label


def unit_of(indicator: str) -> str:
    return INDICATORS[indicator].unit


def column_title(indicator: str) -> str:
    unit = unit_of(indicator)
    return (
        f"{label_of(indicator)} ({unit})"
        if unit in ("%", "dagen", "werkdagen")
        else (label_of(indicator))
    )


# --- loading ---------------------------------------------------------------------------------


class Row(NamedTuple):
    """One stored value (a tuple: a page loads a few thousand of them)."""

    quarter: str
    level: str
    level_key: str
    indicator: str
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    norm: Decimal | None
    suppression: str = ""  # the council's mark (suppression.marks)


class Store:
    """The stored rows a dashboard needs, fetched in one query and pivoted in Python."""

    def __init__(self, quarter: Quarter, rows: Iterable[Row]):
        self.quarter = quarter
        self.rows = {}
        self.keys = {}  # (quarter, level) -> level_keys present
        for r in rows:
            self.rows[(r.quarter, r.level, r.level_key, r.indicator)] = r
            self.keys.setdefault((r.quarter, r.level), set()).add(r.level_key)

    def get(self, quarter, level: str, key: str, indicator: str) -> Row | None:
        return self.rows.get((str(quarter), level, key, indicator))

    def keys_at(self, level: str, quarter=None) -> set[str]:
        return self.keys.get((str(quarter or self.quarter), level), set())

    def quarters(self) -> list[Quarter]:
        """Stored quarters from FIRST_QUARTER up to the chosen one (system level present)."""
        found = {q for (q, level) in self.keys if level == "system"}
        return sorted(
            quarter
            for quarter in map(Quarter.parse, found)
            if FIRST_QUARTER <= quarter <= self.quarter
        )


def _quarters_between(first: Quarter, last: Quarter) -> list[str]:
    quarters = []
    while first <= last:
        quarters.append(str(first))
        first = first.next()
    return quarters


def load(quarter: Quarter, filters: "Filters | None" = None, sections=None, names=None) -> Store:
    """Every IndicatorValue row the dashboard sections need (default: all), in one query. Only
    the indicators the sections show are fetched, so the query stays small at every level.

    Every condition names its quarters, levels and keys exactly (given `names`, the wijk and
    service codes), so PostgreSQL answers each from the (quarter, level, level_key, indicator)
    index instead of filtering thousands of rows of the level."""
    filters = filters or Filters()
    sections = STAFF_SECTIONS if sections is None else sections
    q = str(quarter)
    # Trends start at FIRST_QUARTER; tiles also need the same quarter a year earlier.
    quarters = _quarters_between(min(FIRST_QUARTER, quarter.same_quarter_last_year()), quarter)
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
    # Comparisons for the chosen quarter.
    if "districts" in sections:
        parts.append(Q(quarter=q, level="district", indicator__in=DISTRICT_COLUMNS))
        if filters.service:
            keys = Q(level_key__in=[f"{d}:{filters.service}" for d in districts]) if districts \
                else Q(level_key__endswith=f":{filters.service}")  # fmt: skip
            parts.append(Q(quarter=q, level="district_service", indicator__in=DISTRICT_COLUMNS)
                         & keys)  # fmt: skip
            parts.append(Q(quarter=q, level="service_type", level_key=filters.service,
                           indicator__in=DISTRICT_COLUMNS))  # fmt: skip
    if "services" in sections:
        parts.append(Q(quarter=q, level="service_type", indicator__in=SERVICE_COLUMNS))
        if filters.district:
            keys = Q(level_key__in=[f"{filters.district}:{s}" for s in services]) if services \
                else Q(level_key__startswith=f"{filters.district}:")  # fmt: skip
            parts.append(Q(quarter=q, level="district_service", indicator__in=SERVICE_COLUMNS)
                         & keys)  # fmt: skip
    organisation_levels = [lvl for lvl, name in (("provider", "providers"),
                                                 ("contractor", "contractors")) if name in sections]  # fmt: skip
    if organisation_levels:
        parts.append(
            Q(quarter=q, level__in=organisation_levels, indicator__in=ORGANISATION_COLUMNS)
        )
    # UNION ALL, not OR: each part is planned on its own index, and no row is checked against
    # every other part's conditions. A row two parts select arrives twice; the Store keeps one.
    columns = ("quarter", "level", "level_key", "indicator", "value", "numerator", "denominator",
               "norm", "suppression")  # fmt: skip
    selects = [
        IndicatorValue.objects.filter(part).order_by().values_list(*columns) for part in parts
    ]
    rows = selects[0].union(*selects[1:], all=True)
    return Store(quarter, map(Row._make, rows))


def reference_names() -> dict[str, list[tuple[str, str]]]:
    """(code, name) of wijken, services and providers, for labels and filter choices: one
    UNION query, since every dashboard page needs all three lists."""
    from districts.models import District
    from providers.models import Provider
    from wmo.catalogue.models import ServiceType

    def part(model, kind, code_field):
        return (
            model.objects.order_by()
            .annotate(k=V(kind, CharField()), c=F(code_field), n=F("name"))
            .values_list("k", "c", "n")
        )

    rows = part(District, "districts", "code").union(
        part(ServiceType, "services", "code"), part(Provider, "providers", "agb_code"), all=True
    )
    names = {"districts": [], "services": [], "providers": []}
    for kind, code, name in rows:
        names[kind].append((code, name))
    names["districts"].sort()
    names["services"].sort(key=lambda item: item[1].lower())
    names["providers"].sort(key=lambda item: item[1].lower())
    return names


def available_quarters() -> list[Quarter]:
    """Quarters with stored values, newest first (one query on the trend index)."""
    found = (
        IndicatorValue.objects.filter(indicator="clients_in_care", level="system")
        .order_by("-quarter")
        .values_list("quarter", flat=True)
    )
    return [Quarter.parse(q) for q in found]


def default_quarter(today, quarters: list[Quarter] | None = None) -> Quarter | None:
    """The last completed quarter that has stored values (else the newest stored one)."""
    quarters = available_quarters() if quarters is None else quarters
    last_completed = Quarter.last_completed(today)
    completed = [q for q in quarters if q <= last_completed]
    if completed:
        return max(completed)
    return max(quarters) if quarters else None


# --- status against a norm or target ---------------------------------------------------------


def norm_of(indicator: str, row: Row | None) -> Decimal | None:
    """The stored norm, else the definition's target, else the dashboard's signal value."""
    if row is not None and row.norm is not None:
        return row.norm
    definition = INDICATORS.get(indicator)
    if definition is not None and definition.target is not None:
        return definition.target
    return SIGNAL_VALUES.get(indicator)


def norm_label(indicator: str) -> str:
    return "Signaalwaarde" if indicator in SIGNAL_VALUES else "Norm"


def status(indicator: str, cell: dict, norm: Decimal | None) -> tuple[str | None, str]:
    """("ok" | "off" | None, Dutch text). Suppressed or missing values get no status, so a
    colour never reveals what the number hides."""
    direction = DIRECTION.get(indicator)
    if direction is None or norm is None or cell["number"] is None:
        return None, ""
    word = ("het doel" if indicator in dict(RATIOS)
            else "de signaalwaarde" if indicator in SIGNAL_VALUES else "de norm")  # fmt: skip
    norm_text = format_number(norm)
    value = Decimal(str(cell["number"]))
    if direction == LOWER:
        if value <= norm:
            return "ok", f"Voldoet aan {word} (≤ {norm_text})"
        return "off", f"Boven {word} ({norm_text})"
    if value >= norm:
        return "ok", f"Voldoet aan {word} (≥ {norm_text})"
    return "off", f"Onder {word} ({norm_text})"


# --- sections --------------------------------------------------------------------------------


def _available(indicator: str, level: str) -> bool:
    return level in INDICATORS[indicator].levels


def tile(
    indicator: str, quarter: Quarter, filters: Filters, suppressed: bool, store: Store
) -> dict:
    level, key = filters.level
    row = store.get(quarter, level, key, indicator)
    previous, last_year = quarter.previous(), quarter.same_quarter_last_year()
    current = make_cell(indicator, row, suppressed)
    norm = norm_of(indicator, row)
    state, state_text = status(indicator, current, norm)
    drill = None
    if indicator in WAITING and not suppressed:
        drill = filters.waiting_list_query()
    return {
        "indicator": indicator,
        "label": label_of(indicator),
        "unit": unit_of(indicator),
        "available": _available(indicator, level),
        "current": current,
        "previous": make_cell(indicator, store.get(previous, level, key, indicator), suppressed),
        "previous_quarter": str(previous),
        "last_year": make_cell(indicator, store.get(last_year, level, key, indicator), suppressed),
        "last_year_quarter": str(last_year),
        "norm": format_number(norm),
        "norm_number": float(norm) if norm is not None else None,
        "norm_label": "Signaalwaarde" if indicator in SIGNAL_VALUES else "Norm of doel",
        "status": state,
        "status_text": state_text,
        "drill": drill,
        # "—" (too few observations) stands alone: "— %" reads as a broken number.
        "unit_shown": current["text"] not in ("", TOO_FEW),
    }


def wait_norm_note() -> str:
    target = format_number(SIGNAL_VALUES["pct_within_norm"])
    return (
        "Elke voorziening heeft haar eigen wachttijdnorm (meestal 14 dagen, opvang en verblijf "
        "91 dagen). Voor heel Utrecht en per wijk is er daarom geen norm voor de gemiddelde "
        "wachttijd; ‘Binnen de norm gestart’ toetst elke gestarte verwijzing aan de norm van haar "
        f"eigen voorziening. Die tegel en de trend kleuren tegen een signaalwaarde van {target} %: "
        "een signaalwaarde van dit dashboard, geen door de raad vastgesteld doel."
    )


def overview(quarter: Quarter, filters: Filters | None = None, suppressed: bool = False,
             store: Store | None = None) -> dict:  # fmt: skip
    """Tiles per family (bereik, beschikbaarheid, kwaliteit): value, previous quarter, same
    quarter last year, norm/target and status, plus a table with the same figures."""
    filters = filters or Filters()
    store = store or load(quarter, filters)
    groups = []
    rows = []
    for family, title, codes in TILE_GROUPS:
        tiles = [tile(code, quarter, filters, suppressed, store) for code in codes]
        tiles = [t for t in tiles if t["available"]]
        note = wait_norm_note() if family == "beschikbaarheid" else ""
        groups.append({"family": family, "title": title, "tiles": tiles, "note": note})
        for t in tiles:
            rows.append({
                "key": t["indicator"], "label": t["label"],
                "cells": [t["current"], t["previous"], t["last_year"],
                          {**EMPTY, "text": t["norm"], "number": t["norm_number"]},
                          {**EMPTY, "text": t["status_text"]}],
            })  # fmt: skip
    table = {
        "id": "overzicht",
        "caption": f"Overzicht {quarter}",
        "columns": [
            "Indicator",
            str(quarter),
            str(quarter.previous()),
            str(quarter.same_quarter_last_year()),
            "Norm of doel",
            "Status",
        ],  # fmt: skip
        "rows": rows,
    }
    return {"quarter": str(quarter), "level": filters.level, "groups": groups, "table": table}


def baseline_index() -> dict:
    """(service, indicator, year) -> published value, for `trends` (one query)."""
    rows = BaselineFigure.objects.order_by().values_list("service", "indicator", "year", "value")
    return {(service, indicator, year): value for service, indicator, year, value in rows}


def _baseline_index(baseline) -> dict:
    if baseline is None:
        return baseline_index()
    if isinstance(baseline, dict):
        return baseline
    return {(b.service, b.indicator, b.year): b.value for b in baseline}


def _baseline_values(indicator, service, base_indicator, filters, index, service_codes):
    """Published yearly values 2020–2022 for the series, or None where none exist at this level:
    they are city-wide figures per service (and for the buurtteam), so only at the system level
    or for a single service."""
    level, _ = filters.level
    if base_indicator is None:
        return None
    if service == "buurtteam":
        if level != "system":
            return None
        values = [index.get(("buurtteam", base_indicator, y)) for y in BASELINE_YEARS]
    elif level == "service_type":
        values = [index.get((filters.service, base_indicator, y)) for y in BASELINE_YEARS]
    elif level == "system" and base_indicator == "unique_clients":
        # The sum over services of aanvullende zorg; a client with two services counts twice.
        values = []
        for year in BASELINE_YEARS:
            parts = [index.get((code, base_indicator, year)) for code in service_codes]
            parts = [p for p in parts if p is not None]
            values.append(sum(parts) if parts else None)
    else:
        return None
    return values if any(v is not None for v in values) else None


def _series_summary(label: str, periods: list[str], cells: list[dict], unit: str) -> str:
    known = [(p, c) for p, c in zip(periods, cells, strict=True) if c["text"]]
    if not known:
        return f"{label}: nog geen opgeslagen waarden."
    (first_p, first_c), (last_p, last_c) = known[0], known[-1]
    if first_p == last_p:
        return f"{label}: {_with_unit(cell_text(last_c), unit)} in {last_p}."
    return (f"{label}: {_with_unit(cell_text(first_c), unit)} in {first_p} en "
            f"{_with_unit(cell_text(last_c), unit)} in {last_p}.")  # fmt: skip


def _with_unit(text: str, unit: str) -> str:
    """A figure with its unit ("12,5 dagen"); a suppressed "—" stands alone ("— dagen" reads
    as a broken number)."""
    return f"{text} {unit}" if unit and not text.startswith(TOO_FEW) else text


def chart_table(chart: dict) -> dict:
    """The visible-on-demand table of a chart: one row per label, one column per dataset."""
    return {
        "id": f"{chart['id']}-tabel",
        "caption": chart["title"],
        "columns": [chart.get("label_title", "Periode"), *[d["label"] for d in chart["datasets"]]],
        "rows": [
            {"key": label, "label": label, "cells": [d["cells"][i] for d in chart["datasets"]]}
            for i, label in enumerate(chart.get("row_labels") or chart["labels"])
        ],  # fmt: skip
    }


def _chart(chart_id, chart_type, title, labels, datasets, summary, label_title="Periode",
           marker=None, unit=""):  # fmt: skip
    chart = {
        "id": chart_id, "type": chart_type, "title": title, "labels": labels,
        "label_title": label_title, "unit": unit, "marker": marker, "summary": summary,
        "datasets": [
            {"label": d["label"], "cells": d["cells"], "data": [c["number"] for c in d["cells"]],
             "style": d.get("style", "")}
            for d in datasets
        ],
    }  # fmt: skip
    chart["table"] = chart_table(chart)
    return chart


def trends(quarter: Quarter, filters: Filters | None = None, suppressed: bool = False,
           store: Store | None = None, baseline=None, service_codes=None) -> list[dict]:  # fmt: skip
    """Per series: the baseline years 2020–2022 (where published for this level), then every
    stored quarter up to `quarter`, with the norm as a second line where there is one."""
    filters = filters or Filters()
    store = store or load(quarter, filters)
    index = _baseline_index(baseline)
    if service_codes is None:
        service_codes = [code for code, _ in reference_names()["services"]]
    level, key = filters.level
    quarters = store.quarters()
    result = []
    for indicator, service, base_indicator in TREND_SERIES:
        if not _available(indicator, level):
            continue
        periods, cells = [], []
        base = _baseline_values(indicator, service, base_indicator, filters, index, service_codes)
        if base:
            for year, value in zip(BASELINE_YEARS, base, strict=True):
                periods.append(str(year))
                cells.append(_baseline_cell(indicator, value, suppressed))
        norms = []
        for q in quarters:
            row = store.get(q, level, key, indicator)
            periods.append(str(q))
            cells.append(make_cell(indicator, row, suppressed))
            norms.append(norm_of(indicator, row))
        norm = next((n for n in reversed(norms) if n is not None), None)
        if norm is None:
            norm = norm_of(indicator, None)
        datasets = [{"label": label_of(indicator), "cells": cells}]
        if norm is not None:
            norm_cell = {**EMPTY, "text": format_number(norm), "number": float(norm)}
            datasets.append({"label": norm_label(indicator), "cells": [norm_cell] * len(periods),
                             "style": "norm"})  # fmt: skip
        unit = unit_of(indicator)
        chart = _chart(
            f"trend-{indicator}", "line", f"{label_of(indicator)} sinds 2020", periods, datasets,
            _series_summary(label_of(indicator), periods, cells, unit),
            marker=str(SWITCH) if str(SWITCH) in periods else None, unit=unit,
        )  # fmt: skip
        chart["indicator"] = indicator
        chart["baseline"] = bool(base)
        if base:
            chart["row_labels"] = [f"{p} (nulmeting)" if p.isdigit() else p for p in periods]
            chart["table"] = chart_table(chart)
        result.append(chart)
    return result


def _baseline_cell(indicator: str, value, suppressed: bool) -> dict:
    if value is None:
        return dict(EMPTY)
    # Published city-wide figures: counts still follow the small-count rule.
    shown = published(indicator, value) if suppressed else value
    return {**EMPTY, "text": _text(indicator, shown),
            "number": None if isinstance(shown, str) else float(shown)}  # fmt: skip


def _comparison(table_id, caption, first_column, entries, columns, level_for, quarter, store,
                suppressed, drill_for=None):  # fmt: skip
    """A table with one row per entry (key, label) and one column per indicator."""
    rows = []
    for key, label in entries:
        level = level_for(key)
        cells = []
        for code in columns:
            cell = make_cell(code, store.get(quarter, level, key, code), suppressed)
            if drill_for and code in WAITING and not suppressed and cell["text"]:
                cell["drill"] = drill_for(key)
            cells.append(cell)
        rows.append({"key": key, "label": label, "cells": cells})
    return {
        "id": table_id,
        "caption": caption,
        "columns": [first_column, *[column_title(code) for code in columns]],
        "indicators": list(columns),
        "rows": rows,
    }


def _bar_chart(chart_id, title, table, indicator, label_title, extra=None):
    index = table["indicators"].index(indicator)
    labels = [row["label"] for row in table["rows"]]
    cells = [row["cells"][index] for row in table["rows"]]
    known = [(row["label"], c) for row, c in zip(table["rows"], cells, strict=True)
             if c["number"] is not None]  # fmt: skip
    label = label_of(indicator)
    unit = unit_of(indicator)
    if len(known) == 1:
        summary = (f"{label}: alleen {known[0][0]} heeft een waarde "
                   f"({_with_unit(known[0][1]['text'], unit)}).")  # fmt: skip
    elif known:
        high = max(known, key=lambda item: item[1]["number"])
        low = min(known, key=lambda item: item[1]["number"])
        summary = (f"{label}: hoogst in {high[0]} ({_with_unit(high[1]['text'], unit)}), "
                   f"laagst in {low[0]} ({_with_unit(low[1]['text'], unit)}).")  # fmt: skip
    else:
        summary = f"{label}: geen waarden om te vergelijken."
    datasets = [{"label": label, "cells": cells}, *(extra or [])]
    return _chart(chart_id, "bar", title, labels, datasets, summary, label_title=label_title,
                  unit=unit)  # fmt: skip


def by_district(quarter: Quarter, filters: Filters | None = None, suppressed: bool = False,
                store: Store | None = None, names=None) -> dict:  # fmt: skip
    """The ten wijken side by side (for the chosen service if one is filtered), with the city
    as the last row; charts of clients per 1,000 inhabitants and mean waiting time per wijk."""
    filters = filters or Filters()
    store = store or load(quarter, filters)
    names = names or reference_names()
    service = filters.service
    columns = [c for c in DISTRICT_COLUMNS
               if _available(c, "district_service" if service else "district")]  # fmt: skip
    entries = [(code, name) for code, name in names["districts"]]

    def key_level(key):
        return ("district_service", f"{key}:{service}") if service else ("district", key)

    rows_entries = [(key_level(code)[1], name) for code, name in entries]
    total_level, total_key = ("service_type", service) if service else ("system", SYSTEM_KEY)
    levels = {key_level(code)[1]: key_level(code)[0] for code, _ in entries}
    levels[total_key] = total_level
    service_name = dict(names["services"]).get(service, service)
    caption = f"Per wijk, {quarter}" + (f" — {service_name}" if service else "")

    def drill(key):
        district = key.split(":", 1)[0]
        query = {"wijk": district if key != total_key else ""}
        if service:
            query["voorziening"] = service
        return urlencode({k: v for k, v in query.items() if v})

    table = _comparison("per-wijk", caption, "Wijk", [*rows_entries, (total_key, "Heel Utrecht")],
                        columns, levels.__getitem__, quarter, store, suppressed, drill)  # fmt: skip
    for row in table["rows"]:
        row["key"] = row["key"].split(":", 1)[0] if row["key"] != total_key else "totaal"
    wijk_rows = {**table, "rows": table["rows"][:-1]}
    charts = []
    first = "clients_per_1000" if "clients_per_1000" in columns else "clients_in_care"
    charts.append(_bar_chart("wijk-bereik", f"{label_of(first)} per wijk, {quarter}", wijk_rows,
                             first, "Wijk"))  # fmt: skip
    charts.append(_bar_chart("wijk-wachttijd", f"Gemiddelde wachttijd per wijk, {quarter}",
                             wijk_rows, "mean_wait_days", "Wijk"))  # fmt: skip
    return {"table": table, "charts": charts, "ignored": filters.ignored}


def by_service(quarter: Quarter, filters: Filters | None = None, suppressed: bool = False,
               store: Store | None = None, names=None) -> dict:  # fmt: skip
    """Every service with stored values (for the chosen wijk if one is filtered), with its
    waiting norm; chart of mean waiting time against the norm."""
    filters = filters or Filters()
    store = store or load(quarter, filters)
    names = names or reference_names()
    district = filters.district
    level = "district_service" if district else "service_type"
    present = store.keys_at(level)
    entries = []
    for code, name in names["services"]:
        key = f"{district}:{code}" if district else code
        if key in present:
            entries.append((key, name))
    district_name = dict(names["districts"]).get(district, district)
    caption = f"Per voorziening, {quarter}" + (f" — {district_name}" if district else "")

    def drill(key):
        query = {"wijk": district, "voorziening": key.split(":")[-1]}
        return urlencode({k: v for k, v in query.items() if v})

    table = _comparison("per-voorziening", caption, "Voorziening", entries, SERVICE_COLUMNS,
                        lambda key: level, quarter, store, suppressed, drill)  # fmt: skip
    table["columns"].insert(1, "Norm (dagen)")
    for row, (key, _) in zip(table["rows"], entries, strict=True):
        norm = norm_of("mean_wait_days", store.get(quarter, level, key, "mean_wait_days"))
        if norm is None:
            # The norm belongs to the service: the city-wide row carries it too.
            service_row = store.get(quarter, "service_type", key.split(":")[-1], "mean_wait_days")
            norm = norm_of("mean_wait_days", service_row)
        row["cells"].insert(0, {**EMPTY, "text": format_number(norm),
                                "number": float(norm) if norm is not None else None})  # fmt: skip
        row["key"] = key.split(":")[-1]
    table["indicators"].insert(0, "norm")
    norms = [row["cells"][0] for row in table["rows"]]
    chart = _bar_chart("voorziening-wachttijd", f"Gemiddelde wachttijd per voorziening, {quarter}",
                       table, "mean_wait_days", "Voorziening",
                       extra=[{"label": "Norm", "cells": norms, "style": "norm"}])  # fmt: skip
    return {"table": table, "charts": [chart], "ignored": filters.ignored}


def by_organisation(quarter: Quarter, filters: Filters | None = None, suppressed: bool = False,
                    store: Store | None = None, names=None, level: str = "provider") -> dict:  # fmt: skip
    """Per delivering provider (level "provider") or per contracting party ("contractor")."""
    filters = filters or Filters()
    store = store or load(quarter, filters)
    names = names or reference_names()
    provider_names = dict(names["providers"])
    present = store.keys_at(level)
    entries = sorted(((key, provider_names.get(key, key)) for key in present),
                     key=lambda item: item[1].lower())  # fmt: skip
    columns = [c for c in ORGANISATION_COLUMNS if _available(c, level)]
    is_provider = level == "provider"
    caption = f"Per {'aanbieder' if is_provider else 'contractpartij'}, {quarter}"

    def drill(key):
        return urlencode({"aanbieder": key})

    table = _comparison("per-aanbieder" if is_provider else "per-contractpartij", caption,
                        "Aanbieder" if is_provider else "Contractpartij", entries, columns,
                        lambda key: level, quarter, store, suppressed,
                        drill if is_provider else None)  # fmt: skip
    noun = "aanbieder" if is_provider else "contractpartij"
    chart = _bar_chart(f"{table['id']}-clienten", f"Cliënten in zorg per {noun}, {quarter}", table,
                       "clients_in_care", table["columns"][0])  # fmt: skip
    # Dozens of organisations: horizontal bars, one line each, so every name stays readable.
    chart["horizontal"] = True
    return {"table": table, "charts": [chart], "level": level}


def _percent(cell: dict) -> str:
    if not cell["text"]:
        return "geen waarde"
    return cell_text(cell) if cell["number"] is None else f"{cell['text']} %"


def ratios(quarter: Quarter, filters: Filters | None = None, suppressed: bool = False,
           store: Store | None = None) -> dict:  # fmt: skip
    """The policy ratios against their targets, at the chosen level where stored (buurtteam
    ratios only for the city and per wijk), with their course over the stored quarters."""
    filters = filters or Filters()
    store = store or load(quarter, filters)
    level, key = filters.level
    items, rows = [], []
    for indicator, title in RATIOS:
        at_level = _available(indicator, level)
        lvl, k = (level, key) if at_level else ("system", SYSTEM_KEY)
        row = store.get(quarter, lvl, k, indicator)
        cell = make_cell(indicator, row, suppressed)
        target = norm_of(indicator, row)
        state, state_text = status(indicator, cell, target)
        items.append({
            "indicator": indicator, "label": title, "current": cell,
            "target": format_number(target), "target_number": float(target),
            "status": state, "status_text": state_text,
            "scope": "gekozen selectie" if at_level else "heel Utrecht",
            "numerator": cell["numerator"], "denominator": cell["denominator"],
        })  # fmt: skip
        rows.append({"key": indicator, "label": title,
                     "cells": [cell, {**EMPTY, "text": format_number(target) + " %"},
                               {**EMPTY, "text": state_text},
                               {**EMPTY, "text": items[-1]["scope"]}]})  # fmt: skip
    table = {"id": "verhoudingen", "caption": f"Verhoudingen tegen hun doel, {quarter}",
             "columns": ["Verhouding", "Waarde (%)", "Doel", "Status", "Niveau"], "rows": rows}  # fmt: skip
    chart = _chart(
        "verhoudingen-grafiek", "bar", f"Verhoudingen tegen hun doel, {quarter}",
        [label for _, label in RATIOS],
        [{"label": "Waarde (%)", "cells": [i["current"] for i in items]},
         {"label": "Doel (%)", "style": "norm",
          "cells": [{**EMPTY, "text": i["target"], "number": i["target_number"]} for i in items]}],
        " ".join(f"{i['label']}: {_percent(i['current'])} (doel {i['target']} %)." for i in items),
        label_title="Verhouding", unit="%",
    )  # fmt: skip
    return {"items": items, "table": table, "charts": [chart]}


def diversity(quarter: Quarter, filters: Filters | None = None, suppressed: bool = False,
              store: Store | None = None, names=None) -> dict:  # fmt: skip
    """The council motion's question: per wijk and over time, the share of referrals in care
    delivered by small or resident/target-group organisations, across the 2027 switch."""
    store = store or load(quarter, filters)
    names = names or reference_names()
    quarters = store.quarters()
    entries = [*names["districts"], (SYSTEM_KEY, "Heel Utrecht")]
    rows, datasets = [], []
    for code, name in entries:
        level = "system" if code == SYSTEM_KEY else "district"
        cells = [make_cell("small_org_share", store.get(q, level, code, "small_org_share"),
                           suppressed) for q in quarters]  # fmt: skip
        active = make_cell("providers_active", store.get(quarter, level, code, "providers_active"),
                           suppressed)  # fmt: skip
        rows.append({"key": "totaal" if code == SYSTEM_KEY else code, "label": name,
                     "cells": [*cells, active]})  # fmt: skip
        datasets.append({"label": name, "cells": cells,
                         "style": "total" if code == SYSTEM_KEY else ""})  # fmt: skip
    table = {
        "id": "diversiteit",
        "caption": f"Aandeel kleine en bewoners-/doelgroeporganisaties per wijk (%), tot en met {quarter}",
        "columns": ["Wijk", *[str(q) for q in quarters], f"Actieve aanbieders {quarter}"],
        "rows": rows,
    }
    city = rows[-1]["cells"]
    before = [q for q in quarters if q < SWITCH]
    latest = cell_text(city[-2]) if quarters else ""
    summary = (
        f"Heel Utrecht, {quarter}: {_with_unit(latest, '%') if latest else 'geen waarde'} van de "
        "verwijzingen in zorg bij kleine of bewoners-/doelgroeporganisaties"
    )
    if before and quarter >= SWITCH:
        earlier = cell_text(city[quarters.index(before[-1])])
        summary += (
            f", tegen {_with_unit(earlier, '%') if earlier else 'geen waarde'} in {before[-1]} "
            "(voor de overstap in 2027)"
        )
    summary += "."
    chart = _chart("diversiteit-grafiek", "line", table["caption"], [str(q) for q in quarters],
                   datasets, summary, marker=str(SWITCH) if quarter >= SWITCH else None, unit="%")  # fmt: skip
    return {"table": table, "charts": [chart], "switch": str(SWITCH)}


def _budget_item(objective: str, label: str, planned, spent) -> dict:
    difference = spent - planned if planned is not None and spent is not None else None
    # Exact, then half away from zero like every other figure (INDICATORS.md).
    share = round_one_decimal(Fraction(spent * 100) / Fraction(planned)) if (
        planned and spent is not None) else None  # fmt: skip
    return {
        "objective": objective, "label": label,
        "budget": format_number(planned), "realised": format_number(spent),
        "difference": format_number(difference),
        "pct": format_number(share, 1) if share is not None else "",
        "over": difference is not None and difference > 0,
        "numbers": {"budget": planned, "realised": spent, "difference": difference, "pct": share},
    }  # fmt: skip


def budget(quarter: Quarter) -> dict:
    """Programme budget vs realised spend (k€) per objective for the quarter's year, beside the
    year before (one query)."""
    year = quarter.year
    years = (year - 1, year)
    # Budget and realisation of both years in one UNION query.
    planned_rows = (
        BudgetLine.objects.filter(line="budget", year__in=years, objective__in=OBJECTIVES)
        .order_by()
        .annotate(k=V("budget", CharField()), o=F("objective"), y=F("year"), a=F("amount_keur"))
        .values_list("k", "o", "y", "a")
    )
    spent_rows = (
        RealisedSpend.objects.filter(year__in=years, objective__in=OBJECTIVES)
        .order_by()
        .annotate(k=V("realised", CharField()), o=F("objective"), y=F("year"), a=F("amount_keur"))
        .values_list("k", "o", "y", "a")
    )
    found = {}
    for kind, objective, row_year, value in planned_rows.union(spent_rows, all=True):
        found[(kind, objective, row_year)] = Decimal(value) if value is not None else None
    rows, items, previous = [], [], {}
    for objective, label in OBJECTIVES.items():
        item = _budget_item(objective, label, found.get(("budget", objective, year)),
                            found.get(("realised", objective, year)))  # fmt: skip
        before = _budget_item(objective, label, found.get(("budget", objective, year - 1)),
                              found.get(("realised", objective, year - 1)))  # fmt: skip
        items.append(item)
        previous[objective] = before
        figures = [item["numbers"][name] for name in ("budget", "realised", "difference", "pct")]
        texts = [item[name] for name in ("budget", "realised", "difference", "pct")]
        figures += [before["numbers"]["realised"], before["numbers"]["pct"]]
        texts += [before["realised"], before["pct"]]
        rows.append({"key": objective, "label": label, "cells": [
            {**EMPTY, "text": text, "number": float(number) if number is not None else None}
            for text, number in zip(texts, figures, strict=True)
        ]})  # fmt: skip
    table = {"id": "budget", "caption": f"Begroting en realisatie {year} (k€), met {year - 1}",
             "columns": ["Beleidsdoel", "Begroting (k€)", "Gerealiseerd (k€)", "Verschil (k€)",
                         "Gerealiseerd (% van begroting)", f"Gerealiseerd {year - 1} (k€)",
                         f"Gerealiseerd {year - 1} (% van begroting)"], "rows": rows}  # fmt: skip
    return {"year": year, "previous_year": year - 1, "items": items, "table": table,
            "main": next(i for i in items if i["objective"] == "IV"),
            "main_previous": previous["IV"]}  # fmt: skip


STAFF_SECTIONS = ("overview", "trends", "districts", "services", "providers", "contractors",
                  "ratios", "diversity", "budget")  # fmt: skip
COUNCIL_SECTIONS = ("overview", "trends", "districts", "ratios", "diversity", "budget")


def dashboard(quarter: Quarter, filters: Filters | None = None, suppressed: bool = False,
              sections=None, names=None) -> dict:  # fmt: skip
    """Every section at once: one IndicatorValue query, one for the baseline and one for the
    budget (plus the name lists unless `names` is given); the section builders themselves run
    none. What the dashboards and the quarterly report render."""
    filters = filters or Filters()
    sections = sections or (COUNCIL_SECTIONS if suppressed else STAFF_SECTIONS)
    names = names or reference_names()
    store = load(quarter, filters, sections, names)
    result = {"quarter": str(quarter), "filters": filters, "level": filters.level,
              "ignored": filters.ignored, "sections": list(sections)}  # fmt: skip
    if "overview" in sections:
        result["overview"] = overview(quarter, filters, suppressed, store)
    if "trends" in sections:
        result["trends"] = trends(quarter, filters, suppressed, store, baseline_index(),
                                  service_codes=[c for c, _ in names["services"]])  # fmt: skip
    if "districts" in sections:
        result["districts"] = by_district(quarter, filters, suppressed, store, names)
    if "services" in sections:
        result["services"] = by_service(quarter, filters, suppressed, store, names)
    if "providers" in sections:
        result["providers"] = by_organisation(
            quarter, filters, suppressed, store, names, "provider"
        )
    if "contractors" in sections:
        result["contractors"] = by_organisation(quarter, filters, suppressed, store, names,
                                                "contractor")  # fmt: skip
    if "ratios" in sections:
        result["ratios"] = ratios(quarter, filters, suppressed, store)
    if "diversity" in sections:
        result["diversity"] = diversity(quarter, filters, suppressed, store, names)
    if "budget" in sections:
        result["budget"] = budget(quarter)
    return result


def all_tables(data: dict) -> dict[str, dict]:
    """table id -> table, for every table and chart table in a `dashboard()` result."""
    tables = {}
    for name in data.get("sections", ()):
        section = data.get(name)
        if section is None:
            continue
        if name == "trends":
            for chart in section:
                tables[chart["table"]["id"]] = chart["table"]
            continue
        if "table" in section:
            tables[section["table"]["id"]] = section["table"]
        for chart in section.get("charts", ()):
            tables[chart["table"]["id"]] = chart["table"]
    return tables


def table_rows(table: dict, note: bool = True) -> list[list[str]]:
    """Header and rows as the strings the page shows (for CSV and the PDF), and the footnote
    for marked figures as a last line unless `note` is False."""
    rows = [list(table["columns"])] + [
        [row["label"], *[cell_text(cell) for cell in row["cells"]]] for row in table["rows"]
    ]
    footnote = table_note(table) if note else ""
    return [*rows, [footnote]] if footnote else rows

"""Trends like for like: a yearly series from the published baseline years 2020–2022 (where
there is one for the chosen level) into the computed years, and apart from it the series of
stored quarters (or half-years), each with its norm as a second line. A yearly baseline is never
set beside quarters: a year's clients beside a quarter's would read as a collapse."""

from django.utils.translation import gettext, gettext_noop

from wmo.periods import Period, Year

from ..suppression import published
from .cells import (
    EMPTY,
    cell_text,
    format_number,
    is_available,
    label_of,
    make_cell,
    unit_of,
    value_text,
    with_unit,
)
from .charts import chart_table, make_chart
from .filters import Filters
from .layout import BASELINE_YEARS, SWITCH, TREND_SERIES
from .norms import norm_label, norm_of
from .stored import BaselineIndex, Store, baseline_index, load, reference_names, sub_year_kind


def _baseline_index(baseline) -> dict:
    if baseline is None:
        return baseline_index()
    if isinstance(baseline, dict):
        return baseline
    index = BaselineIndex()
    for b in baseline:
        index.add(b.service, b.indicator, b.year, b.value, b.unit, b.note)
    return index


def baseline_note(index, service, base_indicator) -> dict | None:
    """The published unit and note of a baseline series, if it carries one: shown beside the
    figure rather than silently relabelling it (POLICY.md, baseline figures)."""
    return getattr(index, "notes", {}).get((service, base_indicator))


# The city's baseline clients are no published figure: the published clients per voorziening
# added up, in which a client with two voorzieningen counts twice; the app's years count each
# client once. Said beside the chart, so the step from 2022 to the computed years is not read as
# a fall in care (a tester read 34.297 in 2020 against 29.706 in 2023 so).
SUMMED = gettext_noop("nulmeting, som per voorziening")
SUMMED_NOTE = gettext_noop("De nulmeting 2020–2022 voor heel Utrecht is de som van de gepubliceerde "
               "cliëntaantallen per voorziening: een cliënt met twee voorzieningen telt daarin twee "
               "keer. De berekende jaren tellen elke cliënt één keer; het verschil tussen 2022 en "
               "die jaren is dus geen daling van het aantal cliënten.")  # fmt: skip
# A chart's title per kind of series: without and with the first period shown.
TITLES = {
    "jaar": (gettext_noop("%(label)s per jaar"), gettext_noop("%(label)s per jaar sinds %(first)s")),
    "halfjaar": (gettext_noop("%(label)s per halfjaar"),
                 gettext_noop("%(label)s per halfjaar sinds %(first)s")),
    "kwartaal": (gettext_noop("%(label)s per kwartaal"),
                 gettext_noop("%(label)s per kwartaal sinds %(first)s")),
}  # fmt: skip


def series_title(label: str, noun: str, periods: list[str]) -> str:
    bare, since = TITLES[noun]
    if not periods:
        return gettext(bare) % {"label": label}
    return gettext(since) % {"label": label, "first": periods[0]}


def _summed(service, base_indicator, filters) -> bool:
    return filters.level[0] == "system" and service is None and base_indicator == "unique_clients"


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
    elif _summed(service, base_indicator, filters):
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
        return gettext("%(label)s: nog geen opgeslagen waarden.") % {"label": label}
    (first_p, first_c), (last_p, last_c) = known[0], known[-1]
    if first_p == last_p:
        return gettext("%(label)s: %(value)s in %(period)s.") % {
            "label": label, "value": with_unit(cell_text(last_c), unit), "period": last_p}  # fmt: skip
    return gettext("%(label)s: %(first)s in %(first_period)s en %(last)s in %(last_period)s.") % {
        "label": label, "first": with_unit(cell_text(first_c), unit), "first_period": first_p,
        "last": with_unit(cell_text(last_c), unit), "last_period": last_p}  # fmt: skip


def _series_chart(chart_id, indicator, title, periods, cells, norms, row_labels=None,
                  fallback_norm=None):  # fmt: skip
    """A line chart of one series with its norm as a second line where there is one (the last
    stored one, else `fallback_norm`: the target valid at the series' end)."""
    norm = next((n for n in reversed(norms) if n is not None), fallback_norm)
    datasets = [{"label": label_of(indicator), "cells": cells}]
    if norm is not None:
        norm_cell = {**EMPTY, "text": format_number(norm), "number": float(norm)}
        datasets.append({"label": norm_label(indicator), "cells": [norm_cell] * len(periods),
                         "style": "norm"})  # fmt: skip
    unit = unit_of(indicator)
    switch = next((p for p in periods if p in (str(SWITCH), str(SWITCH.year))), None)
    chart = make_chart(chart_id, "line", title, periods, datasets,
                       _series_summary(label_of(indicator), periods, cells, unit),
                       marker=switch, unit=unit)  # fmt: skip
    chart["indicator"] = indicator
    if row_labels:
        chart["row_labels"] = row_labels
        chart["table"] = chart_table(chart)
    return chart


def trends(quarter: Period, filters: Filters | None = None, suppressed: bool = False,
           store: Store | None = None, baseline=None, service_codes=None) -> list[dict]:  # fmt: skip
    """Like for like, never mixed in one chart: per series a yearly chart (the published
    baseline years 2020–2022 where there is one for this level, then every computed year) and a
    chart of the stored quarters (half-years when a half-year is chosen) up to the chosen
    period, with the norm as a second line where there is one. The yearly charts come first
    (`series` "jaar"), then the shorter ones ("kwartaal" or "halfjaar")."""
    filters = filters or Filters()
    store = store or load(quarter, filters)
    index = _baseline_index(baseline)
    if service_codes is None:
        service_codes = [code for code, _ in reference_names()["services"]]
    level, key = filters.level
    years = store.periods(Year)
    kind = sub_year_kind(quarter)
    shorter = store.periods(kind)
    yearly, periodic = [], []
    for indicator, service, base_indicator in TREND_SERIES:
        if not is_available(indicator, level):
            continue
        label = label_of(indicator)
        base = _baseline_values(indicator, service, base_indicator, filters, index, service_codes)
        if base or years:
            periods, cells, norms, row_labels = [], [], [], []
            note = (
                baseline_note(index, service or filters.service, base_indicator) if base else None
            )
            published = (
                gettext("nulmeting, gepubliceerd in %(unit)s") % {"unit": gettext(note["unit"])}
                if note
                else gettext("nulmeting")
            )
            if note:
                # The published note is reference data; the known ones have a translation.
                note = {**note, "note": gettext(note["note"])}
            if base and _summed(service, base_indicator, filters):
                published, note = gettext(SUMMED), {"note": gettext(SUMMED_NOTE)}
            for year, value in zip(BASELINE_YEARS, base or (), strict=False):
                periods.append(str(year))
                row_labels.append(f"{year} ({published})")
                cells.append(_baseline_cell(indicator, value, suppressed))
            for year in years:
                if base and year.year <= BASELINE_YEARS[-1]:
                    continue  # the published figure stands for that year
                row = store.get(year, level, key, indicator)
                periods.append(str(year))
                row_labels.append(str(year))
                cells.append(make_cell(indicator, row, suppressed))
                norms.append(norm_of(indicator, row, year, store.norms))
            fallback = norm_of(indicator, None, years[-1] if years else None, store.norms)
            chart = _series_chart(f"jaartrend-{indicator}", indicator,
                                  series_title(label, "jaar", periods), periods, cells, norms,
                                  row_labels, fallback)  # fmt: skip
            chart["series"] = "jaar"
            chart["baseline"] = bool(base)
            chart["baseline_note"] = note["note"] if note else ""
            if note:
                chart["summary"] = f"{chart['summary']} {note['note']}"
            yearly.append(chart)
        periods, cells, norms = [], [], []
        for period in shorter:
            row = store.get(period, level, key, indicator)
            periods.append(str(period))
            cells.append(make_cell(indicator, row, suppressed))
            norms.append(norm_of(indicator, row, period, store.norms))
        noun = kind.NOUN
        fallback = norm_of(indicator, None, shorter[-1] if shorter else None, store.norms)
        chart = _series_chart(f"trend-{indicator}", indicator, series_title(label, noun, periods),
                              periods, cells, norms, fallback_norm=fallback)  # fmt: skip
        chart["series"] = noun
        chart["baseline"] = False
        chart["baseline_note"] = ""
        periodic.append(chart)
    return [*yearly, *periodic]


def _baseline_cell(indicator: str, value, suppressed: bool) -> dict:
    if value is None:
        return dict(EMPTY)
    # Published city-wide figures: counts still follow the small-count rule.
    shown = published(indicator, value) if suppressed else value
    return {**EMPTY, "text": value_text(indicator, shown),
            "number": None if isinstance(shown, str) else float(shown)}  # fmt: skip

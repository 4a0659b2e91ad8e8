"""Trends: each series from the published baseline years 2020–2022 (where there is one for the
chosen level) through every stored quarter, with its norm as a second line."""

from wmo.periods import Quarter

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
from .stored import BaselineIndex, Store, baseline_index, load, reference_names


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
        return f"{label}: {with_unit(cell_text(last_c), unit)} in {last_p}."
    return (f"{label}: {with_unit(cell_text(first_c), unit)} in {first_p} en "
            f"{with_unit(cell_text(last_c), unit)} in {last_p}.")  # fmt: skip


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
        if not is_available(indicator, level):
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
        summary = _series_summary(label_of(indicator), periods, cells, unit)
        note = baseline_note(index, service or filters.service, base_indicator) if base else None
        if note:
            summary = f"{summary} {note['note']}"
        chart = make_chart(
            f"trend-{indicator}", "line", f"{label_of(indicator)} sinds 2020", periods, datasets,
            summary, marker=str(SWITCH) if str(SWITCH) in periods else None, unit=unit,
        )  # fmt: skip
        chart["indicator"] = indicator
        chart["baseline"] = bool(base)
        chart["baseline_note"] = note["note"] if note else ""
        if base:
            published = f"nulmeting, gepubliceerd in {note['unit']}" if note else "nulmeting"
            chart["row_labels"] = [f"{p} ({published})" if p.isdigit() else p for p in periods]
            chart["table"] = chart_table(chart)
        result.append(chart)
    return result


def _baseline_cell(indicator: str, value, suppressed: bool) -> dict:
    if value is None:
        return dict(EMPTY)
    # Published city-wide figures: counts still follow the small-count rule.
    shown = published(indicator, value) if suppressed else value
    return {**EMPTY, "text": value_text(indicator, shown),
            "number": None if isinstance(shown, str) else float(shown)}  # fmt: skip

"""What the stored figures say, as the dashboards, their CSV/XLSX downloads and the quarterly
report show them: the floor below all three, so none of them imports another.

Everything here reads stored values only (IndicatorValue, BaselineFigure, BudgetLine,
SpendBooking) and never recomputes, so the browser, the exports and the PDF show the same numbers.
Each public builder takes `(quarter, filters, suppressed)` (`quarter`: the chosen period, a
quarter, half-year or year) plus an optional `store` (the rows of
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

from .budget import budget, budget_chart
from .cells import (
    EMPTY,
    cell_text,
    column_title,
    format_number,
    is_available,
    label_of,
    make_cell,
    table_note,
    unit_of,
)
from .charts import all_tables, chart_table, table_rows
from .comparisons import by_district, by_organisation, by_service
from .dashboard import dashboard
from .diversity import diversity
from .filters import Filters
from .layout import COUNCIL_SECTIONS, FIRST_QUARTER, STAFF_SECTIONS, SWITCH
from .norms import norm_label, norm_of, status
from .objectives import objectives
from .overview import overview, tile, wait_norm_note
from .ratios import ratios
from .spend import spend
from .stored import (
    Row,
    Store,
    baseline_index,
    default_quarter,
    load,
    reference_names,
    stored_longer_periods,
    stored_periods,
    stored_quarters,
    sub_year_kind,
)
from .trends import trends

__all__ = [
    "COUNCIL_SECTIONS", "EMPTY", "FIRST_QUARTER", "STAFF_SECTIONS", "SWITCH", "Filters", "Row",
    "Store", "all_tables", "baseline_index", "budget", "budget_chart", "by_district", "by_organisation",
    "by_service", "cell_text", "chart_table", "column_title", "dashboard", "default_quarter",
    "diversity", "format_number", "is_available", "label_of", "load", "make_cell", "norm_label",
    "norm_of", "objectives", "overview", "ratios", "reference_names", "spend", "status",
    "stored_longer_periods", "stored_periods", "stored_quarters", "sub_year_kind", "table_note",
    "table_rows", "tile", "trends", "unit_of", "wait_norm_note",
]  # fmt: skip

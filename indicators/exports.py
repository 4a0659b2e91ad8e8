"""The export format of INDICATORS.md: period,level,level_key,indicator,value,numerator,
denominator,norm — one row per stored value of one period (2026Q3, 2026H1 or 2025), sorted by
level, level_key, indicator. The
suppressed (public) version shows what council members see (suppression.council_view): no
numerators or denominators, and a last column `note` saying which figures are hidden only so
that another cannot be worked out."""

import io
import math
from itertools import chain

from wmo import downloads
from wmo.periods import Period

from .definitions import INDICATORS
from .definitions.base import Kind
from .models import IndicatorValue
from .suppression import council_hidden_rows, council_view, display

HEADER = ["period", "level", "level_key", "indicator", "value", "numerator", "denominator", "norm"]
SUPPRESSED_HEADER = [*HEADER, "note"]


def _format_value(row: IndicatorValue, value) -> str:
    definition = INDICATORS.get(row.indicator)
    if value is None or isinstance(value, str):
        return display(value)
    if definition and definition.kind != Kind.COUNT:
        return f"{value:.{definition.decimals}f}"
    return display(value)


def _format_numerator(row: IndicatorValue, numerator) -> str:
    """A count whole; an amount (the spend behind cost_per_client_eur) with its cents."""
    definition = INDICATORS.get(row.indicator)
    if numerator is None or isinstance(numerator, str) or not definition:
        return display(numerator)
    if definition.numerator_decimals is not None:
        return f"{numerator:.{definition.numerator_decimals}f}"
    return display(numerator)


def export_rows(period: Period, suppressed: bool = False):
    rows = IndicatorValue.objects.filter(quarter=period).order_by("level", "level_key", "indicator")
    if suppressed:
        # What the council never sees (contractor amounts) is left out, not marked.
        for level, indicator in council_hidden_rows():
            rows = rows.exclude(level=level, indicator=indicator)
    for row in rows.iterator(chunk_size=5000):
        value, numerator, denominator = row.value, row.numerator, row.denominator
        if suppressed:
            shown = council_view(row)
            value, numerator, denominator = shown.value, shown.numerator, shown.denominator
        line = [
            str(row.quarter), row.level, row.level_key, row.indicator, _format_value(row, value),
            _format_numerator(row, numerator), display(denominator), display(row.norm),
        ]  # fmt: skip
        yield [*line, shown.note] if suppressed else line


def write_csv(out, period: Period, suppressed: bool = False) -> int:
    """The export as CSV (PLAIN: the fixed format of INDICATORS.md); the number of values."""
    header = SUPPRESSED_HEADER if suppressed else HEADER
    rows = chain([header], export_rows(period, suppressed))
    return downloads.write_csv(out, rows, downloads.PLAIN) - 1  # less the header


def csv_text(period: Period, suppressed: bool = False) -> str:
    buffer = io.StringIO()
    write_csv(buffer, period, suppressed)
    return buffer.getvalue()


def default_xlsx_name(period: Period) -> str:
    return downloads.download_name("indicatoren", period, ext="xlsx")


def write_xlsx(path_or_file, period: Period, suppressed: bool = False) -> int:
    """The export as a workbook, figures as numeric cells; the number of values."""
    header = SUPPRESSED_HEADER if suppressed else HEADER
    rows = ([_cell(value) for value in row] for row in export_rows(period, suppressed))
    written = downloads.write_xlsx(path_or_file, chain([header], rows), f"Indicatoren {period}")
    return written - 1  # less the header


def _cell(text: str):
    """Numbers as numbers in the workbook, so Excel can sum them; text (`<5`, `—`) stays text."""
    try:
        number = float(text)
    except ValueError:
        return text
    if not math.isfinite(number):  # "nan", "inf" are words here, not numbers
        return text
    return int(number) if number.is_integer() and "." not in text else number

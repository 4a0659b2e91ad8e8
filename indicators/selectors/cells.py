"""Cells: one figure as the page, the CSV and the PDF show it (in the number format of the active
language, Dutch by default; for council members the suppressed form), with the number for charts
and spreadsheets. Also the names and units of the indicators, as column titles and labels."""

from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.utils.formats import get_format
from django.utils.translation import get_language, gettext

from ..definitions import INDICATORS
from ..definitions.base import Kind
from ..rounding import round_one_decimal
from ..suppression import MARKER, NOTE, TOO_FEW, council_view

# `drill`: the waiting-list query string behind a waiting figure (staff only), else None.
EMPTY = {"text": "", "number": None, "numerator": "", "denominator": "", "drill": None, "note": ""}


def kind_of(indicator: str) -> str:
    return INDICATORS[indicator].kind if indicator in INDICATORS else Kind.COUNT


_MARKS: dict[str, dict] = {}


def _marks() -> dict:
    """Python's marks (1,234.5) as the active language writes them: Dutch 1.234,5, English
    unchanged. Per language once: a dashboard formats thousands of figures."""
    language = get_language() or settings.LANGUAGE_CODE
    if language not in _MARKS:
        grouping, decimal = (get_format("THOUSAND_SEPARATOR", language),
                             get_format("DECIMAL_SEPARATOR", language))  # fmt: skip
        _MARKS[language] = str.maketrans({",": grouping, ".": decimal})
    return _MARKS[language]


def format_number(value, decimals: int | None = None) -> str:
    """In the active language's notation: 1.234 and 12,5 in Dutch, 1,234 and 12.5 in English.
    Integers of a count without decimals; others with one."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if not isinstance(value, Decimal):
        value = Decimal(value)
    if decimals is None:
        decimals = 0 if value == value.to_integral_value() else 1
    return f"{value:,.{decimals}f}".translate(_marks())


def value_text(indicator: str, value) -> str:
    if value is None or isinstance(value, str):
        return format_number(value)
    if kind_of(indicator) == Kind.COUNT:
        return format_number(value)
    return format_number(value, INDICATORS[indicator].decimals if indicator in INDICATORS else 1)


def numerator_text(indicator: str, numerator) -> str:
    """A count whole; an amount (the spend behind a cost per client) with its cents."""
    decimals = INDICATORS[indicator].numerator_decimals if indicator in INDICATORS else None
    if decimals is None or numerator is None or isinstance(numerator, str):
        return format_number(numerator)
    return format_number(numerator, decimals)


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
        "text": value_text(indicator, value),
        "number": None if value is None or isinstance(value, str) else float(value),
        "numerator": numerator_text(indicator, numerator),
        "denominator": format_number(denominator),
        "drill": None,
        "note": note,
    }


def exact_number(indicator: str, row, suppressed: bool) -> Fraction | None:
    """The figure before its rounding to one decimal (numerator × scale / denominator), for
    arithmetic on figures: a change worked out from two rounded figures can be far off (0,2 to
    0,35 reads as 0,2 to 0,4: +100 % for a real +75 %). The stored value where its parts are not
    stored; None where the cell shows no number (undefined, or hidden from council members)."""
    if row is None or row.value is None or isinstance(row.value, str):
        return None
    if suppressed and council_view(row).hidden:
        return None
    definition = INDICATORS.get(indicator)
    scale = definition.scale if definition else None
    if scale and row.numerator is not None and row.denominator:
        exact = Fraction(row.numerator) * scale / Fraction(row.denominator)  # parts may hold cents
        if round_one_decimal(exact) == row.value:  # the parts the value was computed from
            return exact
    return Fraction(row.value)


def cell_text(cell: dict) -> str:
    """The cell's text with the marker of a figure hidden to protect another (`—*`)."""
    return cell["text"] + MARKER if cell.get("note") else cell["text"]


def table_note(table: dict) -> str:
    """The footnote a table needs when a figure in it carries the marker, else ''."""
    if any(cell.get("note") for row in table["rows"] for cell in row["cells"]):
        note = gettext(NOTE)
        return f"{MARKER} {note[0].upper()}{note[1:]}."
    return ""


def label_of(indicator: str) -> str:
    return gettext(INDICATORS[indicator].label)


def unit_of(indicator: str) -> str:
    return gettext(INDICATORS[indicator].unit) if INDICATORS[indicator].unit else ""


def column_title(indicator: str) -> str:
    unit = unit_of(indicator)
    return (
        f"{label_of(indicator)} ({unit})"
        if INDICATORS[indicator].unit in ("%", "dagen", "werkdagen", "euro")
        else (label_of(indicator))
    )


def with_unit(text: str, unit: str) -> str:
    """A figure with its unit ("12,5 dagen"); a suppressed "—" stands alone ("— dagen" reads
    as a broken number)."""
    return f"{text} {unit}" if unit and not text.startswith(TOO_FEW) else text


def is_available(indicator: str, level: str) -> bool:
    return level in INDICATORS[indicator].levels

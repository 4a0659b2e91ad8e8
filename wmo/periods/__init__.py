"""One period type for the whole app: quarters, half-years and calendar years (period.py), the
model field that stores them as text (fields.py), the URL converter and query-parameter reading
(web.py) and the API field and filter (api.py). Importing this package pulls in no Django."""

from .period import (
    HalfYear,
    Period,
    PeriodError,
    Quarter,
    Year,
    parse_period,
    periods_between,
)

__all__ = [
    "HalfYear",
    "Period",
    "PeriodError",
    "Quarter",
    "Year",
    "parse_period",
    "periods_between",
]

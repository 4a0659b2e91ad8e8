"""Working days: not Saturday, not Sunday, not a Dutch public holiday (`holidays` NL calendar)."""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.NL(years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """The number of working days d with a < d <= b (0 when b <= a)."""
    if b <= a:
        return 0
    count = 0
    day = a + datetime.timedelta(days=1)
    # Whole weeks hold 5 weekdays; only the holidays in them need checking.
    while (b - day).days >= 7:
        end = day + datetime.timedelta(days=6)
        count += 5 - sum(1 for h in _holidays_in(day, end) if h.weekday() < 5)
        day = end + datetime.timedelta(days=1)
    while day <= b:
        count += is_working_day(day)
        day += datetime.timedelta(days=1)
    return count


def _holidays_in(start: datetime.date, end: datetime.date):
    for year in {start.year, end.year}:
        for h in _holidays_of(year):
            if start <= h <= end:
                yield h

"""The periods every indicator is defined for (INDICATORS.md "Periods"): a quarter (`2026Q3` =
2026-07-01 … 2026-09-30), a half-year (`2026H1` = 2026-01-01 … 2026-06-30, as the Monitor Sociaal
Domein publishes) or a calendar year (`2025`), all inclusive.

Immutable, hashable values. Periods of any kind are ordered by (first day, last day): earlier
first, and of two starting on the same day the shorter one first (2026Q1 < 2026H1 < 2026), a
total order that agrees with equality. The text form is what is stored and typed in URLs,
query parameters and commands; `parse_period` reads it for every kind, `Quarter.parse` (and the
like) only for its own."""

import datetime
import functools
import re
from dataclasses import dataclass
from typing import ClassVar

PERIOD_PATTERN = re.compile(r"^([1-9][0-9]{3})(?:([QH])([0-9]))?\Z")


class PeriodError(ValueError):
    """Text that is not a period (of the kind asked for); the message is Dutch, for the user."""


@dataclass(frozen=True, eq=True, order=False)
class Period:
    """A calendar period: `year` and its `number` within the year (1 for a year)."""

    year: int
    number: int = 1

    # Months per period, the letter of the text form ("" for a year) and Dutch names.
    MONTHS: ClassVar[int] = 12
    LETTER: ClassVar[str] = ""
    NOUN: ClassVar[str] = "periode"
    EXAMPLE: ClassVar[str] = "2026Q3 (kwartaal), 2026H1 (halfjaar) of 2026 (jaar)"

    def __post_init__(self):
        if type(self) is Period:
            raise TypeError("Period is abstract: use Quarter, HalfYear or Year.")
        per_year = 12 // self.MONTHS
        if not 1 <= self.number <= per_year or not 1 <= self.year <= 9998:
            raise PeriodError(f"{self.year} heeft geen {self.NOUN} {self.number}.")

    # --- text form ---

    def __str__(self) -> str:
        return f"{self.year}{self.LETTER}{self.number}" if self.LETTER else str(self.year)

    @classmethod
    def parse(cls, text) -> "Period":
        """The period `text` names (`2026Q3`, `2026h1`, ` 2026 `). On a subclass only that kind
        is accepted. Raises PeriodError with a Dutch message for anything else."""
        if isinstance(text, Period):
            period = text
        else:
            period = _parse(str(text or "").strip().upper())
            if period is None:
                raise PeriodError(
                    f"'{_shown(text)}' is geen {cls.NOUN}; gebruik de vorm {cls.EXAMPLE}."
                )
        if cls is not Period and type(period) is not cls:
            raise PeriodError(
                f"'{_shown(text)}' is een {period.NOUN}, geen {cls.NOUN}; "
                f"gebruik de vorm {cls.EXAMPLE}."
            )
        return period

    # --- the days and months it covers ---

    @property
    def first_month(self) -> int:
        return (self.number - 1) * self.MONTHS + 1

    @property
    def start(self) -> datetime.date:
        """The first day."""
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        """The last day (inclusive)."""
        return self.next().start - datetime.timedelta(days=1)

    @property
    def months(self) -> list[tuple[int, int]]:
        """(year, month) of each month in the period: 3, 6 or 12."""
        first = self.first_month
        return [(self.year, month) for month in range(first, first + self.MONTHS)]

    @property
    def month_ends(self) -> list[datetime.date]:
        """The last day of each month: "the period's month-ends" of the waiting definitions."""
        return [_month_end(year, month) for year, month in self.months]

    def __contains__(self, day: datetime.date) -> bool:
        """`day in period`: start ≤ day ≤ end ("in Q" of INDICATORS.md)."""
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    # --- neighbours and the periods around it ---

    def next(self) -> "Period":
        per_year = 12 // self.MONTHS
        if self.number == per_year:
            return type(self)(self.year + 1, 1)
        return type(self)(self.year, self.number + 1)

    def previous(self) -> "Period":
        if self.number == 1:
            return type(self)(self.year - 1, 12 // self.MONTHS)
        return type(self)(self.year, self.number - 1)

    def same_period_last_year(self) -> "Period":
        return type(self)(self.year - 1, self.number)

    @classmethod
    def containing(cls, day: datetime.date) -> "Period":
        """The period of this kind that `day` falls in."""
        cls._concrete()
        return cls(day.year, (day.month - 1) // cls.MONTHS + 1)

    @classmethod
    def last_completed(cls, today: datetime.date) -> "Period":
        """The newest period of this kind that has ended before `today`."""
        return cls.containing(today).previous()

    def quarters(self) -> list["Quarter"]:
        """The quarters it is made of (one for a quarter)."""
        first = Quarter.containing(self.start)
        return [Quarter(self.year, first.number + i) for i in range(self.MONTHS // 3)]

    @property
    def half_year(self) -> "HalfYear":
        """The half-year it lies in (a year has none)."""
        if self.MONTHS > 6:
            raise PeriodError(f"{self} is een {self.NOUN} en ligt niet in één halfjaar.")
        return HalfYear.containing(self.start)

    @property
    def calendar_year(self) -> "Year":
        return Year(self.year)

    # --- ordering by (first day, last day) across kinds ---

    def _key(self) -> tuple[datetime.date, int]:
        return (self.start, self.MONTHS)

    def __lt__(self, other):
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other):
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other):
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other):
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() >= other._key()

    @classmethod
    def _concrete(cls):
        if cls is Period:
            raise TypeError("Period is abstract: use Quarter, HalfYear or Year.")


@dataclass(frozen=True, eq=True, order=False)
class Quarter(Period):
    MONTHS: ClassVar[int] = 3
    LETTER: ClassVar[str] = "Q"
    NOUN: ClassVar[str] = "kwartaal"
    EXAMPLE: ClassVar[str] = "2026Q3"

    def same_quarter_last_year(self) -> "Quarter":
        return self.same_period_last_year()


@dataclass(frozen=True, eq=True, order=False)
class HalfYear(Period):
    MONTHS: ClassVar[int] = 6
    LETTER: ClassVar[str] = "H"
    NOUN: ClassVar[str] = "halfjaar"
    EXAMPLE: ClassVar[str] = "2026H1"


@dataclass(frozen=True, eq=True, order=False)
class Year(Period):
    NOUN: ClassVar[str] = "jaar"
    EXAMPLE: ClassVar[str] = "2026"


KINDS: dict[str, type[Period]] = {"Q": Quarter, "H": HalfYear, "": Year}


@functools.lru_cache(maxsize=1024)
def _parse(text: str) -> Period | None:
    """The period of a normalised text form, else None. Cached: a page reads thousands of stored
    rows naming a handful of periods."""
    match = PERIOD_PATTERN.match(text)
    if not match:
        return None
    year, letter, number = match.groups()
    try:
        return KINDS[letter or ""](int(year), int(number or 1))
    except PeriodError:
        return None


def parse_period(text) -> Period:
    """A quarter, half-year or year from its text form; PeriodError (a ValueError, in Dutch)
    for anything else."""
    return Period.parse(text)


def periods_between(first: Period, last: Period) -> list[Period]:
    """`first`, its successors of the same kind, up to and including `last`."""
    result, current = [], first
    while current <= last:
        result.append(current)
        current = current.next()
    return result


def _shown(text) -> str:
    """The text as the error message repeats it: a long answer is cut, not echoed whole."""
    text = str(text)
    return text if len(text) <= 20 else text[:20] + "…"


def _month_end(year: int, month: int) -> datetime.date:
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)

"""Working-day calendars, two of them, each a fixed list in this module.

- `BUURTTEAM`: the buurtteam's working days for the 5-working-day norm (INDICATORS.md,
  `bt_mean_wait_workdays`). Not Saturday, not Sunday, not one of the Dutch public holidays as the
  `holidays` package's NL calendar had them up to version 0.82: Bevrijdingsdag only in years
  divisible by 5, no Goede Vrijdag. Later versions of the package add Goede Vrijdag, which would
  silently change every stored figure, so the list lives here instead of following the package.
- `ATW`: the Algemene termijnenwet (Atw) for statutory periods such as the standstill after an
  award decision (Aanbestedingswet art. 2.127; Hof Den Haag 20 April 2021 applied the Atw to a
  standstill that ended on a Sunday). Art. 3 lid 1 and 2 name the holidays: Nieuwjaarsdag, Goede
  Vrijdag, tweede paas- en pinksterdag, beide kerstdagen, Hemelvaartsdag, Koningsdag and 5 mei
  (every year). Art. 3 lid 3 lets a royal decree equate further days with a holiday, decided per
  three years: the decrees known here are in `ROYAL_DECREES`; for a year no decree here covers,
  `possibly_equated` says when a day is of the kind such a decree usually names, so a page can ask
  for a check instead of guessing.
"""

import datetime
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache

from dateutil.easter import easter

ONE_DAY = datetime.timedelta(days=1)
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]

NEW_YEAR = "Nieuwjaarsdag"
GOOD_FRIDAY = "Goede Vrijdag"
KINGS_DAY = "Koningsdag"
LIBERATION_DAY = "Bevrijdingsdag"
ASCENSION = "Hemelvaartsdag"
CHRISTMAS = "Eerste Kerstdag"
BOXING_DAY = "Tweede Kerstdag"


def _kings_day(year: int) -> tuple[datetime.date, str]:
    """Koningsdag on 27 April from 2014 (Koninginnedag on 30 April before); a day earlier when
    that is a Sunday."""
    day, name = (
        (datetime.date(year, 4, 27), KINGS_DAY)
        if year >= 2014
        else (datetime.date(year, 4, 30), "Koninginnedag")
    )
    return (day - ONE_DAY if day.weekday() == 6 else day), name


def _public_holidays(year: int) -> dict[datetime.date, str]:
    """The Dutch public holidays of INDICATORS.md; 5 May only in lustrum years."""
    easter_sunday = easter(year)
    kings_day, kings_day_name = _kings_day(year)
    days = {
        datetime.date(year, 1, 1): NEW_YEAR,
        easter_sunday: "Eerste paasdag",
        easter_sunday + ONE_DAY: "Tweede paasdag",
        kings_day: kings_day_name,
        easter_sunday + 39 * ONE_DAY: ASCENSION,
        easter_sunday + 49 * ONE_DAY: "Eerste Pinksterdag",
        easter_sunday + 50 * ONE_DAY: "Tweede Pinksterdag",
        datetime.date(year, 12, 25): CHRISTMAS,
        datetime.date(year, 12, 26): BOXING_DAY,
    }
    if year % 5 == 0:
        days[datetime.date(year, 5, 5)] = LIBERATION_DAY
    return days


D = datetime.date
# Atw art. 3 lid 3: the decrees, each with the years it covers and the days it equates.
ROYAL_DECREES: tuple[tuple[str, range, dict[datetime.date, str]], ...] = (
    (
        "Besluit van 24 oktober 2016, Stcrt. 2016, 58653",
        range(2017, 2020),
        {
            D(2017, 4, 28): "vrijdag na Koningsdag",
            D(2017, 5, 26): "vrijdag na Hemelvaartsdag",
            D(2018, 5, 11): "vrijdag na Hemelvaartsdag",
            D(2018, 12, 24): "maandag vóór Eerste Kerstdag",
            D(2018, 12, 31): "maandag vóór Nieuwjaarsdag",
            D(2019, 5, 31): "vrijdag na Hemelvaartsdag",
            D(2019, 12, 27): "vrijdag na Tweede Kerstdag",
        },
    ),
    (
        "Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, 27 december 2024 en "
        "30 mei 2025 met een algemeen erkende feestdag",
        range(2023, 2026),
        {
            D(2023, 4, 28): "vrijdag na Koningsdag",
            D(2023, 5, 19): "vrijdag na Hemelvaartsdag",
            D(2024, 5, 10): "vrijdag na Hemelvaartsdag",
            D(2024, 12, 27): "vrijdag na Tweede Kerstdag",
            D(2025, 5, 30): "vrijdag na Hemelvaartsdag",
        },
    ),
    (
        "Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en "
        "26 mei 2028 met een algemeen erkende feestdag",
        range(2026, 2029),
        {
            D(2026, 1, 2): "vrijdag na Nieuwjaarsdag",
            D(2026, 5, 15): "vrijdag na Hemelvaartsdag",
            D(2027, 5, 7): "vrijdag na Hemelvaartsdag",
            D(2028, 4, 28): "vrijdag na Koningsdag",
            D(2028, 5, 26): "vrijdag na Hemelvaartsdag",
        },
    ),
)
del D

EQUATED = "gelijkgesteld bij koninklijk besluit"


def decree_for(year: int) -> str:
    """The royal decree under Atw art. 3 lid 3 known for `year`, or "" when none is known here."""
    return next((title for title, years, _ in ROYAL_DECREES if year in years), "")


def _atw_holidays(year: int) -> dict[datetime.date, str]:
    days = _public_holidays(year)
    days[easter(year) - 2 * ONE_DAY] = GOOD_FRIDAY
    days[datetime.date(year, 5, 5)] = LIBERATION_DAY
    for _, _, equated in ROYAL_DECREES:
        days.update(
            (day, f"{what} ({EQUATED})") for day, what in equated.items() if day.year == year
        )
    return days


class Calendar:
    """Working days: not Saturday, not Sunday, not one of the calendar's holidays."""

    def __init__(self, name: str, holidays_of: Callable[[int], dict[datetime.date, str]]):
        self.name = name
        self._holidays_of = lru_cache(maxsize=128)(holidays_of)

    def __repr__(self) -> str:
        return f"<Calendar {self.name}>"

    def holidays(self, year: int) -> Mapping[datetime.date, str]:
        """The holidays of `year` with their Dutch names (do not mutate: it is cached)."""
        return self._holidays_of(year)

    def holiday_name(self, day: datetime.date) -> str:
        return self._holidays_of(day.year).get(day, "")

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in self._holidays_of(day.year)

    def working_days_between(self, a: datetime.date, b: datetime.date) -> int:
        """The number of working days d with a < d <= b (0 when b <= a)."""
        if b <= a:
            return 0
        count = 0
        day = a + ONE_DAY
        # Whole weeks hold 5 weekdays; only the holidays in them need checking.
        while (b - day).days >= 7:
            end = day + 6 * ONE_DAY
            count += 5 - sum(1 for h in self._holidays_in(day, end) if h.weekday() < 5)
            day = end + ONE_DAY
        while day <= b:
            count += self.is_working_day(day)
            day += ONE_DAY
        return count

    def _holidays_in(self, start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
        for year in {start.year, end.year}:
            for h in self._holidays_of(year):
                if start <= h <= end:
                    yield h


BUURTTEAM = Calendar("buurtteam", _public_holidays)
ATW = Calendar("Algemene termijnenwet", _atw_holidays)


def why_not_a_last_day(day: datetime.date) -> str:
    """Why a statutory period cannot end on `day` under the Atw ("zaterdag", "Koningsdag",
    "zaterdag, Bevrijdingsdag"), or "" when it can."""
    reasons = []
    if day.weekday() >= 5:
        reasons.append(WEEKDAYS[day.weekday()])
    if name := ATW.holiday_name(day):
        reasons.append(name)
    return ", ".join(reasons)


def extend_last_day(
    last_day: datetime.date,
) -> tuple[datetime.date, list[tuple[datetime.date, str]]]:
    """Atw art. 1 lid 1: the last day moved to the next day that is no Saturday, Sunday or
    holiday, and the days passed over with the reason for each."""
    passed_over = []
    day = last_day
    while reason := why_not_a_last_day(day):
        passed_over.append((day, reason))
        day += ONE_DAY
    return day, passed_over


# A royal decree under art. 3 lid 3 typically equates these with a holiday.
_BRIDGED_BY_MONDAY = {NEW_YEAR, KINGS_DAY, LIBERATION_DAY, CHRISTMAS}
_BRIDGED_BY_FRIDAY = {NEW_YEAR, KINGS_DAY, LIBERATION_DAY, BOXING_DAY}


def possibly_equated(day: datetime.date) -> str:
    """A reason when `day` falls in a year no decree here covers and is a day a royal decree
    usually equates with a holiday: the Friday after Ascension, the Monday before a holiday on
    Tuesday, the Friday after one on Thursday. "" otherwise (in a covered year the decree's days
    are holidays of `ATW` already)."""
    if decree_for(day.year):
        return ""
    if day.weekday() == 4:
        before = ATW.holiday_name(day - ONE_DAY)
        if before == ASCENSION or before in _BRIDGED_BY_FRIDAY:
            return f"de vrijdag na {before}"
    if day.weekday() == 0:
        after = ATW.holiday_name(day + ONE_DAY)
        if after in _BRIDGED_BY_MONDAY:
            return f"de maandag vóór {after}"
    return ""

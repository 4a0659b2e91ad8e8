"""The Algemene termijnenwet (Atw) as far as the standstill period needs it.

Art. 1 lid 1: a period set by law that ends on a Saturday, a Sunday or a generally recognised
holiday runs on to and including the next day that is none of those. The standstill of
Aanbestedingswet art. 2.127 is a statutory period, so the Atw applies to it (Hof Den Haag 20 April 2021, on a standstill
that ended on a Sunday).

Art. 3 lid 1 and 2 name the holidays: Nieuwjaarsdag, Goede Vrijdag, tweede paas- en pinksterdag,
beide kerstdagen, Hemelvaartsdag, Koningsdag and 5 mei. The `holidays` package gives the Dutch
public holidays with the right Koningsdag rule, but has Bevrijdingsdag only in lustrum years (the
day off in most collective agreements) and no Goede Vrijdag; both are added here. Its other days
(eerste paas- and pinksterdag) are Sundays, so they change nothing.

Days a royal decree equates with a holiday (art. 3 lid 3; usually the Friday after Ascension and
some bridge days) are decided per three years and are not in this table: `possibly_equated` says
when the last day is such a day, so the page can ask for a check."""

import datetime
from functools import lru_cache

import holidays
from dateutil.easter import easter  # the same Easter computation `holidays` itself uses

ONE_DAY = datetime.timedelta(days=1)
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
GOOD_FRIDAY = "Goede Vrijdag"
LIBERATION_DAY = "Bevrijdingsdag"


@lru_cache(maxsize=64)
def atw_holidays(year: int) -> dict[datetime.date, str]:
    """The generally recognised holidays of the Atw in `year`, with their Dutch names."""
    days = dict(holidays.NL(years=year, language="nl"))
    days[easter(year) - 2 * ONE_DAY] = GOOD_FRIDAY
    days[datetime.date(year, 5, 5)] = LIBERATION_DAY
    return days


def holiday_name(day: datetime.date) -> str:
    return atw_holidays(day.year).get(day, "")


def why_not_a_last_day(day: datetime.date) -> str:
    """Why a period cannot end on `day` ("zaterdag", "Koningsdag", "zaterdag, Bevrijdingsdag"),
    or "" when it can."""
    reasons = []
    if day.weekday() >= 5:
        reasons.append(WEEKDAYS[day.weekday()])
    if name := holiday_name(day):
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
_BRIDGED_BY_MONDAY = {"Nieuwjaarsdag", "Koningsdag", LIBERATION_DAY, "Eerste Kerstdag"}
_BRIDGED_BY_FRIDAY = {"Nieuwjaarsdag", "Koningsdag", LIBERATION_DAY, "Tweede Kerstdag"}


def possibly_equated(day: datetime.date) -> str:
    """A reason when `day` is a day a royal decree usually equates with a holiday: the Friday
    after Ascension, the Monday before a holiday on Tuesday, the Friday after one on Thursday."""
    if day.weekday() == 4:
        before = holiday_name(day - ONE_DAY)
        if before == "Hemelvaartsdag" or before in _BRIDGED_BY_FRIDAY:
            return f"de vrijdag na {before}"
    if day.weekday() == 0:
        after = holiday_name(day + ONE_DAY)
        if after in _BRIDGED_BY_MONDAY:
            return f"de maandag vóór {after}"
    return ""

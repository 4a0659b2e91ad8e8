"""The two working-day calendars: the buurtteam's fixed list (INDICATORS.md) and the Algemene
termijnenwet with the days equated by royal decree."""

import datetime

import holidays
import pytest

from wmo.calendar import ATW, BUURTTEAM, decree_for, extend_last_day, possibly_equated

D = datetime.date


@pytest.mark.parametrize(
    ("day", "buurtteam", "atw"),
    [
        (D(2026, 1, 1), "Nieuwjaarsdag", "Nieuwjaarsdag"),
        # Goede Vrijdag: a working day for the buurtteam, a holiday under Atw art. 3 lid 2.
        (D(2026, 4, 3), "", "Goede Vrijdag"),
        (D(2026, 4, 6), "Tweede paasdag", "Tweede paasdag"),
        (D(2026, 4, 27), "Koningsdag", "Koningsdag"),
        # 27 April 2025 is a Sunday: Koningsdag is Saturday 26 April.
        (D(2025, 4, 26), "Koningsdag", "Koningsdag"),
        (D(2025, 4, 27), "", ""),
        # 5 May: the buurtteam only in years divisible by 5, the Atw every year.
        (D(2025, 5, 5), "Bevrijdingsdag", "Bevrijdingsdag"),
        (D(2026, 5, 5), "", "Bevrijdingsdag"),
        (D(2030, 5, 5), "Bevrijdingsdag", "Bevrijdingsdag"),
        (D(2026, 5, 14), "Hemelvaartsdag", "Hemelvaartsdag"),
        # The Friday after Ascension: equated by the 2026-2028 decree, a buurtteam working day.
        (D(2026, 5, 15), "", "vrijdag na Hemelvaartsdag (gelijkgesteld bij koninklijk besluit)"),
        (D(2026, 5, 25), "Tweede Pinksterdag", "Tweede Pinksterdag"),
        (D(2026, 12, 25), "Eerste Kerstdag", "Eerste Kerstdag"),
        (D(2026, 12, 26), "Tweede Kerstdag", "Tweede Kerstdag"),
        (D(2026, 12, 24), "", ""),
        (D(2018, 12, 31), "", "maandag vóór Nieuwjaarsdag (gelijkgesteld bij koninklijk besluit)"),
    ],
)
def test_the_named_days_of_each_calendar(day, buurtteam, atw):
    assert BUURTTEAM.holiday_name(day) == buurtteam
    assert ATW.holiday_name(day) == atw
    assert BUURTTEAM.is_working_day(day) == (day.weekday() < 5 and not buurtteam)
    assert ATW.is_working_day(day) == (day.weekday() < 5 and not atw)


def test_the_buurtteam_list_is_the_holidays_package_nl_calendar_of_version_0_82():
    # INDICATORS.md fixes the list as `holidays` 0.82 had it; later versions add Goede Vrijdag,
    # which is left out here so this check keeps meaning the same list after an upgrade.
    for year in range(1990, 2041):
        package = {
            day for day, name in holidays.NL(years=year, language="nl").items()
            if name != "Goede Vrijdag"
        }  # fmt: skip
        assert set(BUURTTEAM.holidays(year)) == package, year


def test_the_buurtteam_count_does_not_follow_goede_vrijdag():
    # Thursday 2 April 2026 to Tuesday 7 April: Goede Vrijdag counts, Paasmaandag does not.
    assert BUURTTEAM.working_days_between(D(2026, 4, 2), D(2026, 4, 7)) == 2
    assert ATW.working_days_between(D(2026, 4, 2), D(2026, 4, 7)) == 1


def test_every_decree_day_is_a_weekday_in_its_years_and_named_after_its_neighbour():
    from wmo.calendar import ROYAL_DECREES

    for _, years, days in ROYAL_DECREES:
        for day, what in days.items():
            assert day.year in years and day.weekday() < 5
            weekday, _, holiday = what.partition(" ")
            neighbour = day + datetime.timedelta(days=1 if weekday == "maandag" else -1)
            assert ATW.holiday_name(neighbour) == holiday.split(" ", 1)[1]


def test_years_without_a_known_decree_are_flagged_not_guessed():
    assert decree_for(2026).startswith("Besluit gelijkstelling van 2 januari 2026")
    assert decree_for(2021) == "" and decree_for(2029) == ""
    # Friday after Ascension 2021: no decree here, so it is a possible, not a certain, holiday.
    assert ATW.is_working_day(D(2021, 5, 14))
    assert possibly_equated(D(2021, 5, 14)) == "de vrijdag na Hemelvaartsdag"
    # Monday before Koningsdag on Tuesday 27 April 2021.
    assert possibly_equated(D(2021, 4, 26)) == "de maandag vóór Koningsdag"
    # In a covered year the decree decides: 4 May 2026 (Monday, 5 May on Tuesday) is not equated.
    assert possibly_equated(D(2026, 5, 4)) == ""
    assert ATW.is_working_day(D(2026, 5, 4))


def test_a_last_day_moves_past_weekend_holidays_and_equated_days():
    # New Year 2026 on Thursday; the decree equates Friday 2 January; then the weekend.
    assert extend_last_day(D(2026, 1, 1)) == (
        D(2026, 1, 5),
        [
            (D(2026, 1, 1), "Nieuwjaarsdag"),
            (D(2026, 1, 2), "vrijdag na Nieuwjaarsdag (gelijkgesteld bij koninklijk besluit)"),
            (D(2026, 1, 3), "zaterdag"),
            (D(2026, 1, 4), "zondag"),
        ],
    )
    assert extend_last_day(D(2026, 1, 6)) == (D(2026, 1, 6), [])


def test_working_days_across_a_year_end_and_a_long_span_match_day_by_day():
    for calendar in (BUURTTEAM, ATW):
        a, b = D(2016, 1, 1), D(2028, 12, 31)
        slow = sum(
            calendar.is_working_day(a + datetime.timedelta(days=i))
            for i in range(1, (b - a).days + 1)
        )
        assert calendar.working_days_between(a, b) == slow
    # Friday 19 Dec 2025 to Friday 9 Jan 2026: 15 weekdays, Christmas 25/26 Dec and 1 January
    # out for both; the Atw also skips 2 January.
    assert BUURTTEAM.working_days_between(D(2025, 12, 19), D(2026, 1, 9)) == 12
    assert ATW.working_days_between(D(2025, 12, 19), D(2026, 1, 9)) == 11

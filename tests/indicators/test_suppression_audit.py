"""The audit (indicators/suppression_audit.py) on hand-made sums: what it reads and what it
withholds when hiding more rows no longer helps."""

from decimal import Decimal

import pytest

from indicators.definitions.base import Value
from indicators.suppression import AUDIT_RULES, PRIMARY, SECONDARY, WITHHELD
from indicators.suppression_audit import Audit

WIJKEN = ["WK034402", "WK034405", "WK034409", "WK034410"]


def _cell(period, key, value):
    return (period, "district_service", key, "complaints"), Value(
        "district_service", key, "complaints", Decimal(value)
    )


def _stuck_year():
    """2025Q2: a voorziening's 4 complaints (`<5`), one in each of four wijken, the four
    withheld already. Each wijk's year is `<5` too and its other quarter 0 (shown), so each
    wijk's 2025Q2 is at least 1 whatever it shows, and four of them under 4 are 1 each."""
    cells, groups, mark = {}, [], {}
    total, row = _cell("2025Q2", "rolstoelvoorziening", 4)
    cells[total] = row
    mark[total] = PRIMARY
    members = []
    for wijk in WIJKEN:
        quarter, row = _cell("2025Q2", f"{wijk}:rolstoelvoorziening", 1)
        other, zero = _cell("2025Q1", f"{wijk}:rolstoelvoorziening", 0)
        year, whole = _cell("2025", f"{wijk}:rolstoelvoorziening", 1)
        cells.update({quarter: row, other: zero, year: whole})
        mark.update({quarter: WITHHELD, year: PRIMARY})
        groups.append((year, [other, quarter]))
        members.append(quarter)
    groups.append((total, members))
    return Audit(groups, cells), mark


def _pinned(audit, mark) -> list:
    marks, low, high = audit.narrowed(mark, AUDIT_RULES)
    return [audit.keys[i] for i, how in enumerate(marks) if how and low[i] == high[i] != 0]


def _cover_until_done(audit, mark):
    for _ in range(20):
        if not audit.cover(mark, AUDIT_RULES):
            return
    pytest.fail("the audit kept marking")


def test_a_sum_pinned_with_every_member_withheld_withholds_its_total():
    audit, mark = _stuck_year()
    assert len(_pinned(audit, mark)) == 9  # the total, the four quarters, the four years
    _cover_until_done(audit, mark)
    assert _pinned(audit, mark) == []
    assert mark[("2025Q2", "district_service", "rolstoelvoorziening", "complaints")] == WITHHELD


def test_without_withholding_totals_the_wijken_stay_pinned(monkeypatch):
    monkeypatch.setattr(Audit, "_withhold_totals", lambda self, *args: False)
    audit, mark = _stuck_year()
    _cover_until_done(audit, mark)
    assert ("2025Q2", "district_service", "WK034402:rolstoelvoorziening", "complaints") in (
        _pinned(audit, mark)
    )


def test_an_unseen_total_reads_as_unknown():
    """A pool no page shows: its members' sum tells nothing about a hidden member by itself."""
    total, pool = (
        ("2025Q2", "objective", "V", "complaints"),
        Value("objective", "V", "complaints", Decimal(7)),
    )
    hidden, small = _cell("2025Q2", "WK034402:living_lab", 2)
    shown, five = _cell("2025Q2", "WK034402:beschermd_thuis", 5)
    cells = {total: pool, hidden: small, shown: five}
    mark = {hidden: PRIMARY}
    assert _pinned(Audit([(total, [hidden, shown])], cells), mark) == [hidden]
    assert _pinned(Audit([(total, [hidden, shown])], cells, {total}), mark) == []


def test_a_pool_the_overview_shows_reads_as_unknown_while_its_parent_is_hidden():
    """Objective IV's waiting: dagbegeleiding `<5`, woonvoorziening `<5*`, together 29, which
    the overview shows (two hidden voorzieningen that the pool does not pin). The city's 29 is
    hidden as well, and IV is the only objective with anyone waiting: the pool would be the
    city's figure, so the overview hides it (suppression.pool_hidden) and the audit reads it
    as unknown."""
    period, indicator = "2026Q2", "waiting_at_end"

    def cell(level, key, value):
        return (period, level, key, indicator), Value(level, key, indicator, Decimal(value))

    city, city_row = cell("system", "all", 29)
    pool, pool_row = cell("objective", "IV", 29)
    day, day_row = cell("service_type", "dagbegeleiding", 3)
    home, home_row = cell("service_type", "woonvoorziening", 26)
    cells = {city: city_row, pool: pool_row, day: day_row, home: home_row}
    groups = [(pool, [day, home]), (city, [pool]), (city, [day, home])]
    audit = Audit(groups, cells, fixed={pool})
    hidden_services = {day: PRIMARY, home: SECONDARY}
    marks, low, high = audit.narrowed(hidden_services, AUDIT_RULES)
    at = {key: i for i, key in enumerate(audit.keys)}
    assert (low[at[pool]], high[at[pool]]) == (29, 29)  # shown while the city's is
    marks, low, high = audit.narrowed({**hidden_services, city: SECONDARY}, AUDIT_RULES)
    assert high[at[pool]] > 29
    assert _pinned(audit, {**hidden_services, city: SECONDARY}) == []

"""Council suppression across the periods of one calendar year (INDICATORS.md, "Rounding and
suppression": no suppressed figure may be recoverable from what is shown).

A figure over events dated in the period (IndicatorDef.over_time: referrals started, complaints
received, …) adds up over time: a half-year's is the sum of its two quarters', a year's the sum
of its half-years' and of its four quarters'. Council members see quarters, half-years and years
side by side, so a quarter hidden on its own would follow by subtraction (a contractor's ended
referrals: 8 in 2026H1, 6 in 2026Q1, so `<5` in 2026Q2 was 2). The periods of a year are
therefore marked together: each period by its own breakdowns (suppression.marks), then each time
group by the same rule as a breakdown (suppression.protect: a single hidden part, or a hidden
total over shown parts, hides one more), and again until nothing changes, as a figure hidden for
the time axis can leave a single hidden row in its period's breakdown.

A part without a row for a wijk, voorziening or provider had none of its events (0), which
hides nothing; so does, for this rule, a part not stored at all (a quarter not computed yet,
or still running): the half-year then equals the quarter that is stored, unless the missing
one has events, and either way a quarter hidden alone is covered by hiding the half-year."""

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from wmo.periods import HalfYear, Period, Quarter, Year

from . import suppression, suppression_audit
from .definitions import INDICATORS


def year_periods(year: int) -> list[Period]:
    """The periods one year's marks are decided over."""
    return [
        Year(year),
        HalfYear(year, 1),
        HalfYear(year, 2),
        *(Quarter(year, n) for n in (1, 2, 3, 4)),
    ]


def _time_groups(year: int) -> list[tuple[Period, list[Period]]]:
    first, second = HalfYear(year, 1), HalfYear(year, 2)
    quarters = [Quarter(year, n) for n in (1, 2, 3, 4)]
    return [
        (first, quarters[:2]),
        (second, quarters[2:]),
        (Year(year), [first, second]),
        (Year(year), quarters),
    ]


def _adds_up(indicator: str) -> bool:
    definition = INDICATORS.get(indicator)
    return definition is not None and definition.over_time


class YearReading(NamedTuple):
    """A year's stored periods as whoever knows the rules reads them together. A period is
    its rank in `periods` (cells are keyed `(rank, level, level_key, indicator)`)."""

    periods: list[Period]
    cells: dict
    groups: list  # the time groups: (total cell, its parts)
    prepared: dict  # rank -> suppression.PeriodMarks
    audit: suppression_audit.Audit


def read_year(year: int, rows_by_period: dict[Period, Iterable]) -> YearReading:
    """The cells, time groups, periods and audit that marks_for_year marks over (and that
    tests/indicators/lp_audit.py reads exactly)."""
    # Inside, a period is its rank in time: the cells of a year are hashed, compared and sorted
    # some million times, which a Period does in Python and an int in C.
    periods = sorted(rows_by_period)
    rank = {period: index for index, period in enumerate(periods)}
    rows_by_period = {rank[period]: list(rows) for period, rows in rows_by_period.items()}
    cells = {
        (period, r.level, r.level_key, r.indicator): r
        for period, rows in rows_by_period.items()
        for r in rows
    }
    groups = []
    for total_period, parts in _time_groups(year):
        if total_period not in rank:
            continue
        total_period, parts = rank[total_period], [rank.get(part) for part in parts]
        for period, level, key, indicator in cells:
            if period == total_period and _adds_up(indicator):
                members = [(part, level, key, indicator) for part in parts]
                groups.append(((total_period, level, key, indicator),
                               [m for m in members if m in cells]))  # fmt: skip
    prepared = {period: suppression.PeriodMarks(rows) for period, rows in rows_by_period.items()}
    # Read together by whoever knows the rules: each period's sums and the time groups.
    cells.update({(period, *cell): row for period, marking in prepared.items()
                  for cell, row in marking.totals.items()})  # fmt: skip

    def of_every_period(name: str) -> set:
        return {(period, *cell) for period, marking in prepared.items()
                for cell in getattr(marking, name)}  # fmt: skip

    audit = suppression_audit.Audit(groups + [
        ((period, *total), [(period, *member) for member in members])
        for period, marking in prepared.items()
        for total, members in marking.read_together
    ], cells, of_every_period("unseen"), of_every_period("pools"))  # fmt: skip
    return YearReading(periods, cells, groups, prepared, audit)


def marks_for_year(year: int, rows_by_period: dict[Period, Iterable]) -> dict[Period, dict]:
    """Per stored period of `year`: (level, level_key, indicator) -> its mark, as
    suppression.marks gives for one period, with the time groups protected as well."""
    periods, cells, groups, prepared, audit = read_year(year, rows_by_period)
    # Which time groups a cell is in: after the first round only the groups of newly hidden
    # cells can need more.
    groups_of = defaultdict(list)
    for index, (total, members) in enumerate(groups):
        for cell in (total, *members):
            groups_of[cell].append(index)
    by_period = {period: marking.run(audit=False) for period, marking in prepared.items()}
    mark = {(period, *cell): kind for period, marked in by_period.items()
            for cell, kind in marked.items()}  # fmt: skip

    def mark_again(before: dict) -> list[int]:
        """The periods whose marks changed since `before` (new ones, or counts withheld) are
        marked again, from all they now have; returns the time groups of the changed cells,
        the only ones that can need more."""
        # Marks are only ever added or raised, so what changed is what `before` lacks.
        changed = [cell for cell, _ in mark.items() - before.items()]
        now: dict[int, dict] = {period: {} for period in {cell[0] for cell in changed}}
        for cell, kind in mark.items():
            if cell[0] in now:
                now[cell[0]][cell[1:]] = kind
        for period, preset in now.items():
            by_period[period] = prepared[period].run(preset, audit=False)
            mark.update({(period, *cell): kind for cell, kind in by_period[period].items()})
        return sorted({index for cell, _ in mark.items() - before.items()
                       for index in groups_of[cell]})  # fmt: skip

    pending = range(len(groups))
    while True:
        while pending:
            before = dict(mark)
            for index in pending:
                suppression.protect(*groups[index], cells, mark)
            pending = mark_again(before)
        before = dict(mark)
        if not audit.cover(mark, suppression.AUDIT_RULES):
            return {periods[period]: marked for period, marked in by_period.items()}
        pending = mark_again(before)


def changed_marks(stored: dict[Period, list], by_period: dict[Period, dict]) -> dict[str, list]:
    """mark -> the ids of the `stored` rows (anything with id, level, level_key, indicator and
    suppression) whose mark `by_period` changes: what the job and the migrations write back."""
    changed: dict[str, list] = {}
    for period, rows in stored.items():
        marked = by_period[period]
        for row in rows:
            mark = marked.get((row.level, row.level_key, row.indicator), "")
            if mark != row.suppression:
                changed.setdefault(mark, []).append(row.id)
    return changed


def remark_stored_values(value_model, batch: int = 2000) -> None:
    """Mark the stored values again with the rules as they now are (a data migration's step,
    `value_model` its historical IndicatorValue): one year at a time, writing only the rows
    whose mark changes."""
    periods = value_model.objects.order_by().values_list("quarter", flat=True).distinct()
    for year in sorted({period.year for period in periods}):
        stored: dict = {}
        rows = value_model.objects.filter(quarter__in=year_periods(year)).only(
            "id", "quarter", "level", "level_key", "indicator", "value", "numerator",
            "denominator", "suppression",
        )  # fmt: skip
        for row in rows:
            stored.setdefault(row.quarter, []).append(row)
        changed = changed_marks(stored, marks_for_year(year, stored))
        for mark, ids in changed.items():
            for start in range(0, len(ids), batch):
                value_model.objects.filter(id__in=ids[start : start + batch]).update(
                    suppression=mark
                )

"""Linear programming over the audit's own reading of one stored year: for every hidden count,
the least and the most it can be, given every figure shown, every sum that holds and the range
each mark reads as (suppression_over_time.read_year, suppression_audit.Audit.narrowed). The
audit narrows one sum at a time; two breakdowns read together can pin a count that no single
sum pins (a 2-D table: the voorzieningen's columns add up to the city's figures, the wijk's
objective pools on the overview to the rows). A count whose LP range holds one whole number is
recoverable.

    DJANGO_SETTINGS_MODULE=wmo.settings.dev .venv/bin/python -m tests.indicators.lp_audit 2023

on a database seeded with `manage.py seed_demo --direct alle` (about 50 s a year: two LPs per
hidden count, per connected set of sums). Prints each recovered count with the sums that give
it (the LP's certificate) and exits 1 when there is one. On 6 December it found 11 in 2023
(2023Q1 `waiting_at_end` per wijk × voorziening) and none in 2024–2026; since then marking reads
the sums together itself (indicators/suppression_exact.py: one program for all sets, not two
per count) and it finds none in 2023–2026. This stays the independent check."""

import sys
import time

import django

TOLERANCE = 1e-6


def recovered(year: int, explain=print) -> list[tuple]:
    """(cell, mark, least, most, stored value) of every hidden count the LP pins."""
    import numpy as np
    from scipy.optimize import linprog

    from indicators import suppression
    from indicators.models import IndicatorValue
    from indicators.services import StoredMark
    from indicators.suppression_exact import LinkedSums, components
    from indicators.suppression_over_time import marks_for_year, read_year, year_periods

    stored: dict = {}
    rows = IndicatorValue.objects.filter(quarter__in=year_periods(year))
    for row in rows.values_list(*StoredMark._fields):
        stored.setdefault(row[1], []).append(StoredMark(*row))
    reading = read_year(year, stored)
    rank = {period: index for index, period in enumerate(reading.periods)}
    mark = {(rank[period], *cell): kind
            for period, marked in marks_for_year(year, stored).items()
            for cell, kind in marked.items()}  # fmt: skip
    audit = reading.audit
    marks, low, high = audit.narrowed(mark, suppression.AUDIT_RULES)
    free = {cell for cell in range(len(audit.keys)) if low[cell] != high[cell]}
    pinned = []
    for cells, sums in components(audit.groups, free):
        targets = [cell for cell in cells if marks[cell] and not audit.unseen[cell]]
        if not targets:
            continue
        linked = LinkedSums(audit.groups, cells, sums, low, high)
        column, equations, constants = linked.column, linked.equations, linked.constants
        bounds = list(zip(linked.low, linked.high, strict=True))
        for cell in targets:
            objective = np.zeros(len(cells))
            objective[column[cell]] = 1
            least = linprog(objective, A_eq=equations, b_eq=constants, bounds=bounds)
            most = linprog(-objective, A_eq=equations, b_eq=constants, bounds=bounds)
            if least.status != 0 or most.status not in (0, 3):
                raise RuntimeError(f"LP for {audit.keys[cell]}: {least.message} {most.message}")
            upper = -most.fun if most.status == 0 else float("inf")
            if np.ceil(least.fun - TOLERANCE) < np.floor(upper + TOLERANCE):
                continue
            key = audit.keys[cell]
            pinned.append(((str(reading.periods[key[0]]), *key[1:]), marks[cell], least.fun,
                           upper, audit.values[cell]))  # fmt: skip
            certificate = most.eqlin.marginals if most.status == 0 else least.eqlin.marginals
            explain(f"{pinned[-1][0]} ({marks[cell]}) is {least.fun:g}..{upper:g}, stored "
                    f"{audit.values[cell]}; from:")  # fmt: skip
            for row, weight in enumerate(certificate):
                if abs(weight) > TOLERANCE:
                    total, members = audit.groups[sums[row]]
                    parts = " + ".join(f"{audit.keys[m][1:3]}={audit.values[m]}" for m in members)
                    explain(f"    {weight:+g} × {audit.keys[total][1:3]}={audit.values[total]} = "
                            f"{parts}")  # fmt: skip
    return pinned


def main(year: int) -> int:
    started = time.monotonic()
    pinned = recovered(year)
    print(f"{year}: {len(pinned)} hidden counts recovered by linear programming "
          f"({time.monotonic() - started:.0f} s)")  # fmt: skip
    return 1 if pinned else 0


if __name__ == "__main__":
    django.setup()
    sys.exit(main(int(sys.argv[1])))

"""council_breakdown(s): the council rules for a plain count and its breakdowns (the transition
monitor's tables)."""

import random

from indicators.suppression import NOTE, SMALL, TOO_FEW, Shown
from indicators.suppression_tallies import council_breakdown, council_breakdowns


def shown(total, rows):
    total_shown, row_shown = council_breakdown(total, rows)
    return total_shown.value, {k: (v.value, v.note) for k, v in row_shown.items()}


def test_nothing_small_nothing_hidden():
    assert shown(30, {"a": 10, "b": 20}) == (30, {"a": (10, ""), "b": (20, "")})


def test_one_small_row_takes_the_smallest_other_with_it():
    assert shown(33, {"a": 3, "b": 10, "c": 20}) == (
        33,
        {"a": (SMALL, ""), "b": (SMALL, NOTE), "c": (20, "")},
    )


def test_zero_is_shown_and_never_a_complement():
    assert shown(3, {"a": 3, "b": 0}) == (SMALL, {"a": (SMALL, ""), "b": (0, "")})


def test_two_small_rows_pinned_by_the_remainder_hide_one_more():
    # 1 + 1: a remainder of 2 over two `<5` rows gives both away.
    assert shown(22, {"a": 1, "b": 1, "c": 20})[1]["c"] == (SMALL, NOTE)
    # 2 + 3: not pinned, nothing more hidden.
    assert shown(25, {"a": 2, "b": 3, "c": 20})[1]["c"] == (20, "")


def test_no_complement_left_hides_the_total():
    # 4 + 4 of 8 pins both rows, and the only other row is 0: the total goes.
    total, rows = shown(8, {"a": 4, "b": 4, "c": 0})
    assert total == SMALL and rows["c"] == (0, "")
    assert council_breakdown(8, {"a": 4, "b": 4, "c": 0})[0].note == NOTE


def test_a_total_hidden_in_one_breakdown_is_hidden_in_all():
    # The wijken pin 4 + 4 = 8 and have nothing else to hide: the total goes. Shown beside the
    # providers' table (5 and 3) it would give both wijken away; each other breakdown covers it.
    total, tables = council_breakdowns(8, {"wijk": {"a": 4, "b": 4},
                                           "aanbieder": {"x": 5, "y": 3},
                                           "voorziening": {"z": 8}})  # fmt: skip
    assert (total.value, total.note) == (SMALL, NOTE)
    assert tables["aanbieder"]["x"].value == SMALL and tables["voorziening"]["z"].value == SMALL


def test_bounds_that_meet_in_one_point_withhold_a_breakdown():
    # Two wijken of 4 say 2 to 8, eight voorzieningen of 1 say 8 to 32: together 8, and then
    # each voorziening is 1. Every row above 0 is hidden already; the voorzieningen, whose
    # absence settles it, are withheld (every row `—*`, the zero too), the wijken stay.
    voorzieningen = {f"v{i}": 1 for i in range(8)} | {"v8": 0}
    total, tables = council_breakdowns(8, {"wijk": {"a": 4, "b": 4, "c": 0},
                                           "voorziening": voorzieningen})  # fmt: skip
    assert (total.value, total.note) == (SMALL, NOTE)
    assert {k: (c.value, c.note) for k, c in tables["wijk"].items()} == {
        "a": (SMALL, ""),
        "b": (SMALL, ""),
        "c": (0, ""),
    }
    assert {(c.value, c.note) for c in tables["voorziening"].values()} == {(TOO_FEW, NOTE)}
    assert len(tables["voorziening"]) == 9
    # Without the wijken nothing meets: nothing is withheld.
    total, tables = council_breakdowns(8, {"voorziening": voorzieningen})
    assert {c.value for c in tables["voorziening"].values()} == {SMALL, 0}


# --- an attacker who reads every table of one count together ---------------------------------

# Above anything the bounds in these tables reach (at most 5 rows of at most 30): "unbounded".
BIG = 60


def _ranges(shown: Shown) -> tuple[int, int]:
    """The values a cell can have to whoever reads it: `<5` is 1–4, `<5*` is above 4, a
    withheld row (`—*`) anything."""
    if not shown.hidden:
        return shown.value, shown.value
    if shown.value == TOO_FEW:
        return 0, BIG
    return (5, BIG) if shown.note else (1, 4)


def _possible(total: Shown, tables: dict) -> dict:
    """Per hidden cell (the total too), the values it can take given everything shown."""
    totals = [t for t in range(_ranges(total)[0], min(_ranges(total)[1], BIG) + 1)
              if all(_fits(t, rows) for rows in tables.values())]  # fmt: skip
    found = {("total",): set(totals)}
    for name, rows in tables.items():
        for key, cell in rows.items():
            if not cell.hidden:
                continue
            lo, hi = _ranges(cell)
            others = {k: c for k, c in rows.items() if k != key}
            found[name, key] = {v for t in totals for v in range(lo, min(hi, t) + 1)
                                if _fits(t - v, others)}  # fmt: skip
    return found


def _fits(total: int, rows: dict) -> bool:
    low = sum(_ranges(c)[0] for c in rows.values())
    high = sum(_ranges(c)[1] for c in rows.values())
    return low <= total <= high


def test_nothing_hidden_follows_from_all_tables_together():
    rng = random.Random(5)
    withheld = 0
    for _ in range(3000):
        total = rng.randint(1, 30)
        breakdowns = {name: _split(rng, total) for name in ("wijk", "aanbieder", "voorziening")}
        total_shown, tables = council_breakdowns(total, breakdowns)
        withheld += any(c.value == TOO_FEW for rows in tables.values() for c in rows.values())
        for cell, values in _possible(total_shown, tables).items():
            if cell == ("total",) and not total_shown.hidden:
                continue
            assert len(values) > 1, (total, breakdowns, cell, values)
    # Withholding a whole breakdown is the last resort: rare, but reached.
    assert 0 < withheld < 300, withheld


def _split(rng: random.Random, total: int) -> dict:
    """`total` over 1–5 rows, small rows and zeros likely."""
    rows = {f"r{i}": 0 for i in range(rng.randint(1, 5))}
    for _ in range(total):
        key = rng.choice(list(rows)) if rng.random() < 0.7 else "r0"
        rows[key] += 1
    return rows

"""Council suppression of plain counts outside the indicator store: the continuity monitor's
tables (wmo.referrals.transition.Monitor) on its page, in its download and in the API. The same
rules as the stored figures (indicators.suppression: `<5`, a second row or the total hidden with
the note, `—*` for a withheld breakdown), for one count and its breakdowns at a time."""

from .suppression import (
    NOTE,
    PRIMARY,
    READS_AS,
    SECONDARY,
    SMALL,
    TOO_FEW,
    Shown,
    _count_pinned,
    _small,
)


def council_breakdown(total: int, rows: dict) -> tuple[Shown, dict]:
    """A council member's view of a count and one breakdown of it (rows: key → count, adding
    up to `total`): `council_breakdowns` with that breakdown alone."""
    total_shown, shown = council_breakdowns(total, {"": rows})
    return total_shown, shown[""]


def _needs_cover(total, total_mark, rows, mark) -> bool:
    """Would this breakdown's hidden rows (or the hidden total) follow from what is shown?
    With the total shown: one hidden row, or several `<5` rows that the remainder pins (each
    is 1–4 to whoever reads `<5`: 2 over two of them means 1 and 1). With the total hidden:
    rows all shown add up to it; one hidden row follows once the total follows from another
    breakdown; and `<5` rows alone bound it (k to 4k), which another breakdown's bound can
    meet in one point (two wijken of 4 and eight voorzieningen of 1 both say 8)."""
    hidden = [key for key in rows if key in mark]
    if total_mark:
        return len(hidden) <= 1 or all(mark[key] == PRIMARY for key in hidden)
    if not hidden:
        return False
    remainder = total - sum(value for key, value in rows.items() if key not in mark)
    return len(hidden) == 1 or _count_pinned(remainder, [mark[key] for key in hidden])


def council_breakdowns(total: int, breakdowns: dict[str, dict]) -> tuple[Shown, dict]:
    """A council member's view of a count and its breakdowns (name → rows: key → count, each
    adding up to `total`), by the rules above, together: a count of 1–4 is `<5` (primary);
    where a breakdown would give a hidden row away (`_needs_cover`), its smallest other row
    above 0 is hidden too (secondary, with the note), and if none is left, the total, in every
    breakdown at once — a total hidden in one table and shown in the next hides nothing.
    Repeats until nothing changes, as a hidden total asks more of the other breakdowns. Last,
    breakdowns that still give a hidden figure away when read together are withheld
    (`_withheld`): every row of theirs shows `—*`."""
    marks = {name: {key: PRIMARY for key, value in rows.items() if _small(value)}
             for name, rows in breakdowns.items()}  # fmt: skip
    total_mark = PRIMARY if _small(total) else ""
    changed = True
    while changed:
        changed = False
        for name, rows in breakdowns.items():
            mark = marks[name]
            if not _needs_cover(total, total_mark, rows, mark):
                continue
            candidates = [key for key, value in rows.items() if key not in mark and value > 0]
            if candidates:
                mark[min(candidates, key=lambda key: rows[key])] = SECONDARY
                changed = True
            elif not total_mark:
                total_mark = SECONDARY
                changed = True
    withheld = _withheld(total, total_mark, breakdowns, marks)

    def shown(value, how):
        if not how:
            return Shown(value)
        return Shown(SMALL, NOTE if how == SECONDARY else "")

    return shown(total, total_mark), {
        name: {key: Shown(TOO_FEW, NOTE) if name in withheld
               else shown(value, marks[name].get(key, "")) for key, value in rows.items()}
        for name, rows in breakdowns.items()
    }  # fmt: skip


def _withheld(total, total_mark, breakdowns, marks) -> set[str]:
    """The breakdowns to withhold so that reading them together pins no hidden figure. With
    every row above 0 hidden no row is left to cover with, yet each breakdown still bounds a
    hidden total (k rows of `<5` say k to 4k), and two bounds can meet in one point: two wijken
    of 4 and eight voorzieningen of 1 both say 8, which gives the total and all eight away. A
    withheld breakdown says nothing. Of those whose absence settles it, else of all, the one
    with the most hidden rows goes, until nothing is pinned."""
    withheld: set[str] = set()
    while _pinned_together(total, total_mark, breakdowns, marks, withheld):
        left = [name for name in breakdowns if name not in withheld]
        settling = [name for name in left
                    if not _pinned_together(total, total_mark, breakdowns, marks,
                                            withheld | {name})]  # fmt: skip
        withheld.add(max(settling or left, key=lambda name: len(marks[name])))
    return withheld


def _pinned_together(total, total_mark, breakdowns, marks, withheld) -> bool:
    """Does a hidden figure follow from the total and the breakdowns not withheld, read
    together? Each breakdown bounds the total by its rows' ranges (READS_AS: `<5` 1–4, `<5*`
    at least 5, a shown count itself); a hidden total is pinned where those bounds leave one
    value, a hidden row where the total's range and the other rows of its breakdown leave it
    one. (suppression_audit narrows the stored figures' sums the same way, over many more.)"""
    low, high = READS_AS.get(total_mark, (total, total))
    tables = []
    for name, rows in breakdowns.items():
        if name in withheld:
            continue
        ranges = {key: READS_AS.get(marks[name].get(key), (value, value))
                  for key, value in rows.items()}  # fmt: skip
        low = max(low, sum(lo for lo, _ in ranges.values()))
        high = min(high, sum(hi for _, hi in ranges.values()))
        tables.append((ranges, marks[name]))
    if total_mark and low == high:
        return True
    for ranges, mark in tables:
        for key in mark:
            lo, hi = ranges[key]
            others_low = sum(r[0] for k, r in ranges.items() if k != key)
            others_high = sum(r[1] for k, r in ranges.items() if k != key)
            if max(lo, low - others_high) == min(hi, high - others_low):
                return True
    return False


def council_tally_tables(total, breakdowns, names) -> list[dict]:
    """A council member's view of the transition monitor (wmo.referrals.transition.Monitor):
    per count in `names`, the total and each breakdown of `breakdowns` ((level, title,
    tallies)) suppressed together by `council_breakdowns`. The care-gap days are a mean and a
    maximum of a handful of people: not shown. The page, its download and the API show this."""
    columns = {
        name: council_breakdowns(getattr(total, name), {
            level: {t.key: getattr(t, name) for t in tallies} for level, _, tallies in breakdowns})
        for name in names
    }  # fmt: skip
    return [{
        "level": level, "title": title,
        "total": [columns[name][0] for name in names],
        "rows": [(t.key, t.name, [columns[name][1][level][t.key] for name in names])
                 for t in tallies],
    } for level, title, tallies in breakdowns]  # fmt: skip

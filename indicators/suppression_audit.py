"""The last check of council suppression (INDICATORS.md: no suppressed figure may be
recoverable from what is shown), for counts: what whoever reads the figures can still work out.

suppression.protect looks at one breakdown at a time. A reader combines them: the wijk ×
voorziening table adds up to its wijken and to its voorzieningen, the quarters to their
half-year, and every hidden count is a range to whoever knows the rules — a `<5` is 1–4, a
`<5*` (hidden to protect another: neither 0 nor small) at least 5. Narrowing each range by every
sum it takes part in, until nothing narrows, can pin a hidden count to one number although no
single breakdown does. `narrowed` does that narrowing; `cover` hides one more row of each sum
that pins one (or, with nothing above 0 left in it, withholds one such sum whole, and its
total when that is not enough: `—*` says nothing), so the callers (suppression.PeriodMarks,
suppression_over_time) mark again until the narrowing pins nothing. When it pins nothing, the
sums are read together as well (suppression_exact: one linear program), which can pin what no
single sum does. Treating distinct clients as adding up, as the breakdowns do, hides more, not
less."""

from collections import defaultdict, deque
from collections.abc import Callable
from functools import cache
from typing import NamedTuple

from .definitions import INDICATORS
from .definitions.base import Kind

UNBOUNDED = 10**12
# A reader's narrowing converges in a few rounds on real periods; the bound keeps a pathological
# one from running long, at the price of possibly missing a pin that needs more rounds.
ROUNDS = 50


class Rules(NamedTuple):
    """What the audit needs of suppression.py's rules: its marks and what a reader reads into
    each (suppression.READS_AS), which rows may be hidden as a complement and how much each
    would hide, and when the overview shows a pool."""

    secondary: str
    withheld: str
    reads_as: dict  # mark -> (lowest, highest) a reader who knows the rules reads into it
    eligible: Callable
    size: Callable
    # (pool, its voorzieningen, cells, marks, whether its parent is hidden): shown on the overview?
    pool_shown: Callable


@cache
def _plain_count(indicator: str) -> bool:
    definition = INDICATORS.get(indicator)
    return definition is not None and definition.kind == Kind.COUNT


def _adds_up(total, members, cells) -> bool:
    values = [cells[cell].value for cell in (total, *members)]
    return None not in values and values[0] == sum(values[1:])


def unbounded(high) -> bool:
    """Is this upper end "no end" (UNBOUNDED, or what arithmetic on it left)?"""
    return high >= UNBOUNDED // 2


def _bounded(high: int) -> int:
    """An upper end computed from an unbounded one stays unbounded: otherwise each reading
    would lower it by a few and the narrowing would never end."""
    return UNBOUNDED if unbounded(high) else high


class Audit:
    """The sums over plain counts that hold exactly, prepared once (cells numbered, so the
    narrowing works on lists), for `pinned` and `cover` as the marks grow. Distinct clients
    counted in two wijken do not add up to the city's, and a reader who tried would meet a
    contradiction, so such a sum is left out (the breakdowns still protect it as if it did).
    `unseen`: cells no page shows (an objective's pool of a figure the overview does not pool):
    unknown to a reader, yet the total of each breakdown that adds up to it, so those
    breakdowns are still read together. `fixed`: cells that cannot be hidden on their own
    (pools follow from their voorzieningen): never chosen to cover another."""

    def __init__(self, groups: list, cells: dict, unseen=frozenset(), fixed=frozenset()):
        kept = [(t, ms) for t, ms in groups if _plain_count(t[-1]) and _adds_up(t, ms, cells)]
        self.keys = sorted({cell for total, members in kept for cell in (total, *members)})
        number = {cell: index for index, cell in enumerate(self.keys)}
        self.rows = [cells[cell] for cell in self.keys]
        self.values = [row.value for row in self.rows]
        self.unseen = [cell in unseen for cell in self.keys]
        self.fixed = [cell in fixed for cell in self.keys]
        self.groups = [(number[t], [number[m] for m in ms]) for t, ms in kept]
        self.groups_of = defaultdict(list)
        for index, (total, members) in enumerate(self.groups):
            for cell in (total, *members):
                self.groups_of[cell].append(index)
        # The pools the overview shows, with the voorzieningen they are pooled from (not the
        # municipalities that add up to objective V's too): shown or not as their marks say.
        self.overview_pools = {
            t: ms for t, ms in self.groups
            if self.fixed[t] and not self.unseen[t]
            and self.keys[ms[0]][-3] in ("service_type", "district_service")
        }  # fmt: skip
        # The figure each pool adds up to with the other objectives' pools (city, wijk).
        self.parent_of = {m: t for t, ms in self.groups if not self.fixed[t]
                          for m in ms if m in self.overview_pools}  # fmt: skip

    def _ranges(self, marks: list, rules: Rules) -> tuple[list, list]:
        """What a reader knows of each cell: a shown count exactly; a hidden one as `<5`
        (1–4) or, hidden to protect another, as `<5*` (at least 5); a withheld one (`—*`) not
        at all; a pool no page shows, or one the overview hides, not at all either."""
        low, high = [], []
        # A pool the overview shows reads as the overview shows it, whatever it is marked.
        pools = {i: self._pool_shown(i, marks, rules) for i in self.overview_pools}
        for i, (value, how) in enumerate(zip(self.values, marks, strict=True)):
            if self.unseen[i] or pools.get(i) is False:
                lo, hi = 0, UNBOUNDED
            elif pools.get(i):
                lo, hi = int(value), int(value)
            elif not how:
                lo, hi = (int(value), int(value)) if value is not None else (0, UNBOUNDED)
            elif how == rules.secondary and value is not None and 0 < value < 5:
                lo, hi = 1, 4  # a class total hidden as a complement may itself be small
            else:
                lo, hi = rules.reads_as[how]
                hi = min(hi, UNBOUNDED)
            low.append(lo)
            high.append(hi)
        return low, high

    def _pool_shown(self, pool: int, marks: list, rules: Rules) -> bool:
        members = self.overview_pools[pool]
        parent = self.parent_of.get(pool)
        parent_hidden = parent is not None and bool(marks[parent])
        if not parent_hidden and not any(marks[m] for m in members):
            return True  # most pools: nothing hidden in them (the rule's first answer, sooner)
        keys = self.keys
        cells = {keys[c]: self.rows[c] for c in (pool, *members)}
        mark = {keys[m]: marks[m] for m in members if marks[m]}
        return rules.pool_shown(keys[pool], [keys[m] for m in members], cells, mark, parent_hidden)

    def _implied(self, index: int, low: list, high: list) -> list:
        """What one sum says of each of its cells, given the others' ranges."""
        total, members = self.groups[index]
        lows = [low[m] for m in members]
        highs = [high[m] for m in members]
        summed_low, summed_high = sum(lows), sum(highs)
        said = [(total, summed_low, _bounded(summed_high))]
        # Each member: the total less the others, i.e. less all members and plus itself.
        floor, ceiling = low[total] - summed_high, high[total] - summed_low
        for m, lo, hi in zip(members, lows, highs, strict=True):
            said.append((m, floor + hi, _bounded(ceiling + lo)))
        return said

    def narrowed(self, mark: dict, rules: Rules) -> tuple[list, list, list]:
        """Each cell's range after narrowing by every sum, until nothing narrows: a sum is
        read again only when one of its cells narrowed. A sum whose cells are all shown says
        nothing and is left out."""
        marks = [mark.get(cell, "") for cell in self.keys]
        low, high = self._ranges(marks, rules)
        active = [i for i, (t, ms) in enumerate(self.groups)
                  if marks[t] or self.unseen[t] or any(marks[m] for m in ms)]  # fmt: skip
        pending, queued = deque(active), set(active)
        budget = ROUNDS * len(active)
        while pending and budget:
            budget -= 1
            index = pending.popleft()
            queued.discard(index)
            for cell, lo, hi in self._implied(index, low, high):
                if lo > low[cell] or hi < high[cell]:
                    low[cell], high[cell] = max(low[cell], lo), min(high[cell], hi)
                    for other in self.groups_of[cell]:
                        if other not in queued:
                            pending.append(other)
                            queued.add(other)
        return marks, low, high

    def cover(self, mark: dict, rules: Rules) -> bool:
        """Hide one more row of every sum that pins a hidden cell: the smallest eligible
        member, or the total when none is left. Where neither is left (every count above 0
        hidden, the total too), the sum's bounds can still meet another's in one point (two
        wijken of 4 say 2 to 8, eight voorzieningen of 1 say 8 to 32): then the members of
        one such sum, the one with the most hidden, are withheld — its zeros too (unless its
        parts show them to be 0), or `—*` would still say "above 0". True when something was
        marked; the caller marks again and calls this until it is not."""
        marks, low, high = self.narrowed(mark, rules)
        # A withheld zero that reads as 0 gives nobody away (zeros are shown everywhere else),
        # and covering it would hide a total of 0, which reads as at least 5.
        found = [i for i, how in enumerate(marks)
                 if how and not self.unseen[i] and low[i] == high[i] != 0]  # fmt: skip
        keys, changed, stuck = self.keys, False, defaultdict(set)
        for cell in found:
            for index in self.groups_of[cell]:
                said = {c: (lo, hi) for c, lo, hi in self._implied(index, low, high)}
                lo, hi = said[cell]
                if lo < low[cell] and hi > high[cell]:
                    continue  # this sum does not pin it
                total, members = self.groups[index]
                candidates = [m for m in members if keys[m] not in mark and not self.fixed[m]
                              and rules.eligible(self.rows[m])]  # fmt: skip
                if candidates:
                    mark[keys[min(candidates, key=lambda m: rules.size(self.rows[m]))]] = (
                        rules.secondary
                    )
                    changed = True
                elif keys[total] not in mark and self.values[total] and not self.fixed[total]:
                    mark[keys[total]] = rules.secondary
                    changed = True
                else:
                    stuck[self._linked_key(cell)].add(index)
        if not found:
            changed = self._cover_solved(marks, low, high, mark, rules, stuck)
        return changed or self._withhold(stuck, mark, rules, high)

    def _linked_key(self, cell: int) -> tuple:
        """Per period (of a year's cells) and indicator: what pins there is linked."""
        return self.keys[cell][:-3] + self.keys[cell][-1:]

    def _cover_solved(self, marks, low, high, mark: dict, rules: Rules, stuck) -> bool:
        """What the sums read together pin where no single one does (suppression_exact): one
        more row hidden among the sums that pin it, or the smallest of their totals, per set
        of linked sums."""
        # Imported here: scipy takes a third of a second to load, and only marking needs it.
        from . import suppression_exact

        targets = {i for i, how in enumerate(marks) if how and not self.unseen[i]}
        keys, changed = self.keys, False
        for cell, sums in suppression_exact.pinned(self.groups, targets, self.values, low, high):
            members = {m for index in sums for m in self.groups[index][1]}
            candidates = [m for m in sorted(members) if keys[m] not in mark
                          and not self.fixed[m] and rules.eligible(self.rows[m])]  # fmt: skip
            totals = [t for t in sorted({self.groups[index][0] for index in sums})
                      if keys[t] not in mark and self.values[t] and not self.fixed[t]]  # fmt: skip
            if candidates or totals:
                chosen = min(candidates or totals, key=lambda m: rules.size(self.rows[m]))
                mark[keys[chosen]] = rules.secondary
                changed = True
            else:
                stuck[self._linked_key(cell)].update(sums)
        return changed

    def _withhold(self, stuck: dict, mark: dict, rules: Rules, high: list) -> bool:
        """Of the stuck sums of each period and indicator, the one with the most hidden members
        is withheld: one may suffice where several meet, which the next narrowing shows."""
        keys, withheld = self.keys, False

        def open_members(index):
            # A zero that reads as 0 anyway (its own parts are all shown 0) stays shown.
            return [m for m in self.groups[index][1] if self.values[m] is not None
                    and mark.get(keys[m]) != rules.withheld
                    and (keys[m] in mark or (self.values[m] == 0 and high[m] > 0))]  # fmt: skip

        for indexes in stuck.values():
            candidates = sorted(index for index in indexes if open_members(index))
            if candidates:
                chosen = max(candidates, key=lambda index: sum(
                    keys[m] in mark for m in self.groups[index][1]))  # fmt: skip
                for m in open_members(chosen):
                    mark[keys[m]] = rules.withheld
                withheld = True
            else:
                withheld = self._withhold_totals(indexes, mark, rules) or withheld
        return withheld

    def _withhold_totals(self, indexes, mark: dict, rules: Rules) -> bool:
        """Stuck sums whose members are all withheld and still pinned (the other periods of
        the year bound each from below: a wijk's `<5` year of one quarter's events is at least
        1 in that quarter, whatever the quarter shows): their hidden totals are withheld too."""
        withheld = False
        for total in sorted({self.groups[index][0] for index in indexes}):
            hidden = self.keys[total] in mark and mark[self.keys[total]] != rules.withheld
            if hidden and not self.fixed[total]:
                mark[self.keys[total]] = rules.withheld
                withheld = True
        return withheld

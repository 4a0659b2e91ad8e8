"""The reader who solves the sums together (suppression_audit.Audit.cover's last step).

The audit's narrowing reads one sum at a time. Sums read together can pin a hidden count that
no single sum pins: in the demo's 2023Q1 the waiting at the end per wijk × voorziening had two
voorzieningen' columns of `<5` counts (8 and 12 people city-wide) and, per wijk, their objective's
pool on the overview (each with two of them hidden): the columns less the pools of two wijken
left ten counts, each at least 1, adding up to 10 — all ten were 1. A linear program finds that
(tests/indicators/lp_audit.py did), and one linear program per set of linked sums finds every
such count at once:

- A count is pinned at the end of its range when no reading of the figures lets it leave that
  end. Freund, Roundy and Todd (1985) find all such ends with one program: give each end a
  slack in [0, 1], scale the system by θ ≥ 1 and maximise the slacks. Adding any reading that
  leaves an end to a solution raises that end's slack without lowering another, so at the
  optimum every end that can be left has slack 1 and every pinned end slack 0.
- Which sums pin it: the program that moves the count off its end as far as it can, whose
  duals name the sums that hold it there (the certificate). The audit hides one more count in
  one of them and asks again.

A count pinned inside its range follows from counts pinned at their ends; once those are
known, the narrowing finds it, or it is freed when they are."""

from collections import defaultdict

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

from .suppression_audit import UNBOUNDED

# Slacks are 0 or 1 at the optimum; anything between is the solver's rounding.
HALF = 0.5
TOLERANCE = 1e-7


def _finite(high: float) -> bool:
    return high < UNBOUNDED // 2


def components(groups: list, free: set) -> list[tuple[list[int], list[int]]]:
    """The cells not known exactly, split into sets linked by sums: (cells, sums) per set."""
    parent = {cell: cell for cell in free}

    def root(cell):
        while parent[cell] != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    for total, members in groups:
        linked = [cell for cell in (total, *members) if cell in free]
        for cell in linked[1:]:
            parent[root(cell)] = root(linked[0])
    cells: dict[int, list] = defaultdict(list)
    sums: dict[int, list] = defaultdict(list)
    for cell in sorted(free):
        cells[root(cell)].append(cell)
    for index, (total, members) in enumerate(groups):
        linked = [cell for cell in (total, *members) if cell in free]
        if linked:
            sums[root(linked[0])].append(index)
    return [(cells[key], sums[key]) for key in sorted(cells)]


class LinkedSums:
    """One set of linked sums over the cells not known exactly (the others are constants)."""

    def __init__(self, groups: list, cells: list, sums: list, low: list, high: list):
        self.cells, self.sums = cells, sums
        self.column = {cell: index for index, cell in enumerate(cells)}
        rows, columns, signs = [], [], []
        self.constants = np.zeros(len(sums))
        for row, index in enumerate(sums):
            total, members = groups[index]
            for cell, sign in [(total, -1), *((member, 1) for member in members)]:
                if cell in self.column:
                    rows.append(row)
                    columns.append(self.column[cell])
                    signs.append(sign)
                else:
                    self.constants[row] -= sign * low[cell]  # known exactly
        self.equations = csr_array((signs, (rows, columns)), shape=(len(sums), len(cells)))
        self.low = np.array([low[cell] for cell in cells], dtype=float)
        self.high = [high[cell] if _finite(high[cell]) else None for cell in cells]

    def pinned_ends(self) -> list[tuple[int, str]]:
        """(cell, "low" or "high") for every cell no reading lets leave that end of its range."""
        n = len(self.cells)
        upper = [i for i, high in enumerate(self.high) if high is not None]
        # Columns: x (n), θ, a slack per lower end (n), a slack per upper end.
        width = 2 * n + 1 + len(upper)
        theta = n
        equations = self.equations.tocoo()
        a_eq = csr_array(
            (
                np.concatenate([equations.data, -self.constants]),
                (
                    np.concatenate([equations.row, np.arange(len(self.sums))]),
                    np.concatenate([equations.col, np.full(len(self.sums), theta)]),
                ),
            ),
            shape=(len(self.sums), width),
        )
        rows, columns, values = [], [], []
        for i in range(n):  # low·θ + s − x ≤ 0
            rows += [i, i, i]
            columns += [theta, n + 1 + i, i]
            values += [self.low[i], 1.0, -1.0]
        for k, i in enumerate(upper):  # x − high·θ + u ≤ 0
            row = n + k
            rows += [row, row, row]
            columns += [i, theta, 2 * n + 1 + k]
            values += [1.0, -float(self.high[i]), 1.0]
        a_ub = csr_array((values, (rows, columns)), shape=(n + len(upper), width))
        objective = np.zeros(width)
        objective[n + 1 :] = -1
        bounds = [(None, None)] * n + [(1, None)] + [(0, 1)] * (n + len(upper))
        result = linprog(objective, A_ub=a_ub, b_ub=np.zeros(a_ub.shape[0]), A_eq=a_eq,
                         b_eq=np.zeros(len(self.sums)), bounds=bounds, method="highs")  # fmt: skip
        if result.status != 0:
            raise RuntimeError(f"suppression_exact: {result.message}")
        slack = result.x[n + 1 :]
        ends = [(self.cells[i], "low") for i in range(n) if slack[i] < HALF]
        ends += [(self.cells[i], "high") for k, i in enumerate(upper) if slack[n + k] < HALF]
        return sorted(ends)

    def certificate(self, cell: int, end: str) -> list[int]:
        """The sums that hold `cell` at `end` of its range: the duals of the program that moves
        it off that end as far as it can."""
        objective = np.zeros(len(self.cells))
        objective[self.column[cell]] = -1 if end == "low" else 1
        result = linprog(objective, A_eq=self.equations, b_eq=self.constants,
                         bounds=list(zip(self.low, self.high, strict=True)), method="highs")  # fmt: skip
        if result.status != 0:
            raise RuntimeError(f"suppression_exact: {result.message}")
        duals = result.eqlin.marginals
        return [index for index, dual in zip(self.sums, duals, strict=True)
                if abs(dual) > TOLERANCE]  # fmt: skip


def pinned(groups: list, targets, low: list, high: list) -> list[tuple[int, list[int]]]:
    """(cell, the sums that pin it) for one cell of `targets` per set of linked sums whose
    cells no reading lets leave an end of their range; `low`/`high` are the narrowed ranges."""
    free = {cell for cell in range(len(low)) if low[cell] != high[cell]}
    # A set with one sum is read exactly by the narrowing already.
    linked = [(cells, sums) for cells, sums in components(groups, free)
              if len(sums) > 1 and not targets.isdisjoint(cells)]  # fmt: skip
    if not linked:
        return []
    # One program for all sets (they do not touch): a call costs more than a set's size.
    every = LinkedSums(groups, [c for cells, _ in linked for c in cells],
                       [s for _, sums in linked for s in sums], low, high)  # fmt: skip
    # A hidden count pinned at 0 gives nobody away (zeros are shown everywhere else).
    ends = {cell: end for cell, end in every.pinned_ends()
            if cell in targets and not (end == "low" and low[cell] == 0)}  # fmt: skip
    found = []
    for cells, sums in linked:
        cell = next((cell for cell in cells if cell in ends), None)
        if cell is not None:
            found.append((cell, LinkedSums(groups, cells, sums, low, high).certificate(
                cell, ends[cell])))  # fmt: skip
    return found

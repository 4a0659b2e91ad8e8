"""The reader who solves the sums together (suppression_audit.Audit.cover's last step).

The audit's narrowing reads one sum at a time. Sums read together can pin a hidden count that
no single sum pins: in the demo's 2023Q1 the waiting at the end per wijk × voorziening had two
voorzieningen' columns of `<5` counts (8 and 12 people city-wide) and, per wijk, their objective's
pool on the overview (each with two of them hidden): the columns less the pools of two wijken
left ten counts, each at least 1, adding up to 10 — all ten were 1. A linear program finds that
(tests/indicators/lp_audit.py did, with two programs per hidden count); here one program finds
every such count of a year at once:

- A count is pinned at the end of its range when no reading of the figures lets it leave that
  end. Freund, Roundy and Todd (1985) find all such ends with one program: give each end a
  slack in [0, 1], scale the system by θ ≥ 1 and maximise the slacks. Adding any reading that
  leaves an end to a solution raises that end's slack without lowering another, so at the
  optimum every end that can be left has slack 1 and every pinned end slack 0.
- Which sums pin it: the program that moves the count off its end as far as it can, whose
  duals name the sums that hold it there (the certificate). The audit hides one more count in
  one of them and asks again.

- A count pinned inside its range is pinned by the sums' equations alone, once the counts at
  their ends are known: it is a combination of the sums (in their span, found by a
  rank-revealing QR)."""

from collections import defaultdict

import numpy as np
from scipy.linalg import qr
from scipy.optimize import linprog
from scipy.sparse import csr_array

from .suppression_audit import unbounded

# Slacks are 0 or 1 at the optimum; anything between is the solver's rounding.
HALF = 0.5
TOLERANCE = 1e-7
# Two readings of a cell closer than this read it alike (the solver's rounding, not a person).
READ_ALIKE = 1e-4


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
        self.high = [None if unbounded(high[cell]) else high[cell] for cell in cells]
        self.reading = None  # pinned_ends' solution, scaled back (a reading of the figures)

    def pinned_ends(self, ends: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Which of `ends` ((cell, "low" or "high")) no reading lets the cell leave."""
        n, column = len(self.cells), self.column
        # Columns: x (n), θ, a slack per end asked about. Rows: low·θ − x ≤ 0 where low is
        # above 0 (else x ≥ 0 bounds it), x − high·θ ≤ 0 where high is finite; an end asked
        # about has its slack in its row.
        theta = n
        rows, columns, values, slack_of = [], [], [], {}
        asked = {(column[cell], end): n + 1 + k for k, (cell, end) in enumerate(ends)}
        count = 0
        for i in range(n):
            for end, bound, sign in (("low", self.low[i], -1.0), ("high", self.high[i], 1.0)):
                if bound is None or (end == "low" and bound == 0 and (i, end) not in asked):
                    continue
                rows += [count, count]
                columns += [i, theta]
                values += [sign, -sign * float(bound)]
                if (i, end) in asked:
                    rows.append(count)
                    columns.append(asked[i, end])
                    values.append(1.0)
                    slack_of[i, end] = asked[i, end]
                count += 1
        width = n + 1 + len(ends)
        a_ub = csr_array((values, (rows, columns)), shape=(count, width))
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
        objective = np.zeros(width)
        objective[n + 1 :] = -1
        bounds = [(0, None)] * n + [(1, None)] + [(0, 1)] * len(ends)
        result = linprog(objective, A_ub=a_ub, b_ub=np.zeros(count), A_eq=a_eq,
                         b_eq=np.zeros(len(self.sums)), bounds=bounds, method="highs")  # fmt: skip
        if result.status != 0:
            raise RuntimeError(f"suppression_exact: {result.message}")
        # Scaled back, the solution is a reading of its own: a cell it reads otherwise than
        # the figures do is not pinned anywhere.
        self.reading = result.x[:n] / result.x[theta]
        return [(self.cells[i], end) for (i, end), k in sorted(slack_of.items())
                if result.x[k] < HALF]  # fmt: skip

    def determined(self, asked: list[int], at_end: dict) -> int | None:
        """The first of `asked` that the sums determine once the cells pinned at an end
        (`at_end`) are known: inside its range, where no end holds it, only the equations can
        (a wijk's 2 that falls out of the city's sum, the wijken's and a voorziening's, with
        an unknown that counts once each way). It is when it is a combination of the sums:
        in their span over the cells still open."""
        if not asked:
            return None
        open_columns = [i for i, cell in enumerate(self.cells) if cell not in at_end]
        place = {self.cells[i]: k for k, i in enumerate(open_columns)}
        matrix = self.equations[:, open_columns].toarray().T
        # Rank-revealing QR: a quarter of a singular value decomposition's time.
        q, r, _ = qr(matrix, mode="economic", pivoting=True)
        diagonal = np.abs(np.diag(r))
        span = q[:, : int((diagonal > TOLERANCE * max(1.0, diagonal.max(initial=0))).sum())]
        for cell in asked:
            # e_cell in the span: its own row of an orthonormal basis has length 1.
            if abs(span[place[cell]] @ span[place[cell]] - 1) < TOLERANCE:
                return cell
        return None

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


def pinned(groups: list, targets, values: list, low: list, high: list) -> list[tuple]:
    """(cell, the sums that pin it) for one cell of `targets` per set of linked sums that
    pins one; `values` are the cells' own (one reading), `low`/`high` the narrowed ranges."""
    free = {cell for cell in range(len(low)) if low[cell] != high[cell]}
    # A set with one sum is read exactly by the narrowing already.
    linked = [(cells, sums) for cells, sums in components(groups, free)
              if len(sums) > 1 and not targets.isdisjoint(cells)]  # fmt: skip
    if not linked:
        return []
    # One program for all sets (they do not touch): a call costs more than a set's size.
    every = LinkedSums(groups, [c for cells, _ in linked for c in cells],
                       [s for _, sums in linked for s in sums], low, high)  # fmt: skip
    # Only an end the cell's own value sits at can be pinned: the figures themselves are a
    # reading that leaves every other end.
    ends = sorted((cell, end) for cell in every.cells
                  for end, bound in (("low", low[cell]), ("high", high[cell]))
                  if values[cell] == bound)  # fmt: skip
    at_end = dict(every.pinned_ends(ends))
    found = []
    for cells, sums in linked:
        # A hidden count pinned at 0 gives nobody away (zeros are shown everywhere else).
        asked = [cell for cell in cells if cell in targets and values[cell] != 0]
        cell = next((cell for cell in asked if cell in at_end), None)
        inside = [cell for cell in asked if cell not in at_end
                  and abs(every.reading[every.column[cell]] - float(values[cell])) < READ_ALIKE]  # fmt: skip
        if cell is None and not inside:
            continue
        these = LinkedSums(groups, cells, sums, low, high)
        if cell is None:
            cell = these.determined(inside, at_end)
        if cell is not None:
            certificate = these.certificate(cell, at_end.get(cell, "high"))
            found.append((cell, certificate or sums))  # held by its bounds alone: the whole set
    return found

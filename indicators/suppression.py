"""Council views and public exports (INDICATORS.md, "Rounding and suppression"): the one place
that decides what a council member may see of a stored figure. Staff see exact figures.

Two steps, both here:

- `marks(rows)` runs for each period when the job stores the period's values
  (services.replace_period, with the other periods of its year: suppression_over_time.py). It
  gives every figure that must be hidden its mark: `primary` (the figure itself is too small: a
  count of 1–4; a percentage over fewer than 10, or whose numerator or complement is 1–4; a mean
  or median over fewer than 10) or `secondary` (it would let a hidden figure be worked out: the
  second row of a breakdown whose total is shown, a rate whose count is hidden, or the second
  quarter of a half-year). Last, the breakdowns are read together as a reader who knows these
  rules would (`<5` is 1–4, `<5*` at least 5; suppression_audit.py), and whatever that still
  pins down gets one more row hidden, or, where nothing above 0 is left to hide, a whole
  breakdown withheld (`withheld`, shown `—*`). The mark is stored on the row.
- `council_view(row)` turns a stored row into what a council member sees; every council reader
  (dashboard cells, tiles, trends, charts, tables, downloads, the PDF, the API, the export)
  calls it. It applies the primary rule again on the spot, so a row stored without marks (an
  older row, a hand-made test row) still never shows a small figure.

Council members never see numerators and denominators: most of them are counts shown elsewhere
(started referrals, people waiting, clients in care) and the rest add nothing to the figure,
while each one shown beside a value is one more way back to a hidden figure. For the same
reason the breakdowns treat percentages and means as additive: value × a count shown
elsewhere gives their numerator, which adds up over wijken like a count. A rate per 1,000
inhabitants or per 100 clients is the quotient of counts that are figures of their own, so it
is hidden wherever one of those counts is. Medians do not add up and are only suppressed by
the primary rule.

`mean_waiting_per_month` is a mean (shown with one decimal) but suppressed as a count: it is the
number of people waiting, averaged over three month-ends, so its denominator is always 3 (month-
ends, not observations) and the `—` rule would hide every value; what must be hidden is a handful
of people, so a value above 0 and below 5 (e.g. 2.3) is shown as `<5`."""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property

from django.utils.translation import gettext_noop

from . import suppression_audit
from .definitions import INDICATORS
from .definitions.base import SYSTEM_KEY, Kind

SMALL = "<5"
TOO_FEW = "—"
PRIMARY = "primary"
SECONDARY = "secondary"
# Every count of a breakdown that, read together with the others, would still pin a hidden
# figure when nothing is left to hide beside it (suppression_audit.Audit.cover): shown as `—*`,
# which says nothing, where `<5` says 1–4 and `<5*` at least 5.
WITHHELD = "withheld"
MARKS = ("", PRIMARY, SECONDARY, WITHHELD)
# What whoever knows these rules reads into a hidden count of each mark: the range it lies in
# (`<5*` is a count above 0 that was not small).
READS_AS = {PRIMARY: (1, 4), SECONDARY: (5, math.inf), WITHHELD: (0, math.inf)}
# Said beside every figure hidden by the secondary rule (INDICATORS.md); the pages translate it
# where they show it, the API keeps it Dutch.
NOTE = gettext_noop("afgeschermd om herleiding te voorkomen")
# The marker after such a figure in tables, downloads and the PDF; the note explains it.
MARKER = "*"
# Bumped whenever these rules change what a stored row shows, so cached council pages built
# under the old rules are not served again (dashboards/cache.py puts it in the version).
RULES_VERSION = "8"


@dataclass(frozen=True)
class Breakdown:
    """Rows at level `rows` that add up to the row at level `total` named by `total_key`;
    the indicators in `skip` take no part in it."""

    rows: str
    total: str
    total_key: Callable[[str], str]
    skip: frozenset = frozenset()


def _system(key: str) -> str:
    return SYSTEM_KEY


def _part(index: int) -> Callable[[str], str]:
    return lambda key: key.split(":")[index]


# Per provider or contractor, the share delivered by small and resident organisations is 0 % or
# 100 %: the organisation's own class, public in the provider register. Such a row hides nothing
# and no other row of the breakdown could cover it (all are 0 or 100 %), so as part of it one
# small contractor hid the city-wide share, the council motion's own figure, in most quarters.
# The referrals behind it are counts of their own (referrals_in_care), protected as such.
BY_CLASS = frozenset({"small_org_share"})
# Every breakdown whose rows add up to a stored total. Distinct clients do not add up exactly
# (a client with two services counts in both); treating them as if they did hides more, not
# less. A new level is one more line (the pools per objective add up to no stored total:
# OBJECTIVE_TOTAL below).
BREAKDOWNS = (
    Breakdown("district", "system", _system),
    Breakdown("service_type", "system", _system),
    Breakdown("provider", "system", _system, skip=BY_CLASS),
    Breakdown("contractor", "system", _system, skip=BY_CLASS),
    # The wijk × voorziening table adds up both ways: to its wijk and to its voorziening.
    Breakdown("district_service", "district", _part(0)),
    Breakdown("district_service", "service_type", _part(1)),
)

# The council's overview pools each objective's services into one figure (selectors/headlines.py:
# counts added, shares over the summed numerators and denominators), city-wide and per wijk; the
# `municipality` level holds the objective V services only, so its rows add up to objective V's
# pool too. No level stores these sums: marks() adds them as cells of their own (never marked
# themselves) with their breakdowns, so that a hidden voorziening or municipality cannot be worked
# out from a pooled figure. protect() treats the pools the overview shows as shown totals, which
# hides more, not less; the audit reads each as the overview shows it (pool_hidden).
OBJECTIVE_TOTAL = "objective"
# The figures the overview pools per objective (selectors/headlines.py, HEADLINES for IV and V).
# No page shows the pool of any other figure: those pools are not protected as shown totals
# (that hid complaints and survey counts to protect a sum nobody sees); the audit still reads
# them as unknown totals, as the voorzieningen and the municipalities of objective V both add
# up to one.
POOLED_ON_OVERVIEW = frozenset({"pct_within_norm", "waiting_at_end", "group_share"})


@dataclass
class _Subtotal:
    level: str
    level_key: str
    indicator: str
    value: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None

    def add(self, row):
        if row.value is not None:
            self.value = (self.value or 0) + row.value
        self.numerator = (self.numerator or 0) + (row.numerator or 0)
        self.denominator = (self.denominator or 0) + (row.denominator or 0)


def _objective_totals(cells: dict) -> tuple[dict, tuple[Breakdown, ...]]:
    """Per additive indicator the pool of each objective's services (city: `IV`; per wijk:
    `WK034401:IV`) and their breakdowns, when the period has rows per voorziening."""
    if not any(level in ("service_type", "district_service") for level, _, _ in cells):
        return {}, ()
    from wmo.catalogue.models import Objective, ServiceType

    objective_of = dict(ServiceType.objects.values_list("code", "objective"))

    @cache  # asked once per indicator of each wijk × voorziening
    def pool_key(level: str, key: str) -> str:
        if level == "service_type":
            return objective_of.get(key, "")
        district, _, code = key.partition(":")
        return f"{district}:{objective_of[code]}" if code in objective_of else ""

    totals: dict[tuple, _Subtotal] = {}
    for (level, key, indicator), row in cells.items():
        if level in ("service_type", "district_service") and _additive(indicator):
            pooled = pool_key(level, key)
            if pooled:
                cell = (OBJECTIVE_TOTAL, pooled, indicator)
                totals.setdefault(cell, _Subtotal(*cell)).add(row)
    breakdowns = (
        Breakdown("service_type", OBJECTIVE_TOTAL, lambda key: pool_key("service_type", key)),
        Breakdown("district_service", OBJECTIVE_TOTAL,
                  lambda key: pool_key("district_service", key)),
        Breakdown("municipality", OBJECTIVE_TOTAL, lambda key: str(Objective.V)),
    )  # fmt: skip
    return totals, breakdowns


# The pools of all objectives add up to the city's figure and a wijk's pools to the wijk's (the
# audit keeps such a sum only where it holds exactly): with one objective's pool known (from
# the municipalities), the other's follows. Read by the audit only: a pool is not hidden on
# its own, so protect() must not choose one as a complement.
POOL_ROLLUPS = (
    Breakdown(OBJECTIVE_TOTAL, "system", lambda key: "" if ":" in key else SYSTEM_KEY),
    Breakdown(OBJECTIVE_TOTAL, "district", lambda key: key.partition(":")[0] if ":" in key else ""),
)


# The city-wide share of small organisations (the council motion's figure) times the referrals
# in care gives how many referrals small organisations deliver, and the rest how many the others
# do; which organisations are small is public (the provider register), and each provider row of
# that share says it (BY_CLASS). So the providers' referrals in care add up to two shown totals,
# one per class: protected like the objective pools (OBJECTIVE_TOTAL), as totals of their own.
CLASS_TOTAL = "class"
SMALL_CLASS, OTHER_CLASS = "small", "other"


def _class_totals(cells: dict) -> tuple[dict, tuple[Breakdown, ...]]:
    share = cells.get(("system", SYSTEM_KEY, "small_org_share"))
    if share is None or share.numerator is None or share.denominator is None:
        return {}, ()
    class_of = {
        key: SMALL_CLASS if row.value == 100 else OTHER_CLASS
        for (level, key, indicator), row in cells.items()
        if level == "provider" and indicator == "small_org_share" and row.value is not None
    }
    totals = {}
    for name, count in [(SMALL_CLASS, share.numerator),
                        (OTHER_CLASS, share.denominator - share.numerator)]:  # fmt: skip
        cell = (CLASS_TOTAL, name, "referrals_in_care")
        totals[cell] = _Subtotal(*cell, value=Decimal(count))
    return totals, (Breakdown("provider", CLASS_TOTAL, lambda key: class_of.get(key, "")),)


def _share_behind_class(classes: dict, mark: dict) -> bool:
    """A class total that nothing else could cover (a class of one provider, whose row is
    hidden) is only hidden when the share that gives it is."""
    share = ("system", SYSTEM_KEY, "small_org_share")
    if share in mark or not any(cell in mark for cell in classes):
        return False
    mark[share] = SECONDARY
    return True


# Rates whose value, with a public figure (the population) or another shown count, gives back
# a count that is its own indicator at the same level and key: hidden when that count is.
LINKED_COUNTS = {
    "clients_per_1000": ("clients_in_care",),
    "complaints_per_100_clients": ("complaints", "clients_in_care"),
    # The spend is shown beside it: spend / cost gives back the clients in care.
    "cost_per_client_eur": ("clients_in_care",),
}


@cache  # INDICATORS is fixed at import; marking a year asks some 200,000 times
def suppressed_as(indicator: str) -> str:
    """The kind whose rule council views apply to the indicator (module docstring)."""
    definition = INDICATORS.get(indicator)
    if definition is None:
        return Kind.COUNT
    return definition.suppress_as or definition.kind


def council_sees(level: str, indicator: str) -> bool:
    """Does a council view show the indicator at this level at all? Contractor amounts are
    commercial (BUDGET.md): the spend indicators stop at system and voorziening."""
    definition = INDICATORS.get(indicator)
    return definition is None or level not in definition.council_hidden_levels


def council_hidden_rows() -> list[tuple[str, str]]:
    """(level, indicator) of the rows council views leave out altogether (council_sees)."""
    return [(level, code) for code, d in INDICATORS.items() for level in d.council_hidden_levels]


def _small(number) -> bool:
    return number is not None and 1 <= number <= 4


def is_primary(indicator: str, value, numerator, denominator) -> bool:
    """The primary rule: is this figure itself too small to show? A missing value is not."""
    if value is None:
        return False
    kind = suppressed_as(indicator)
    if kind == Kind.AMOUNT:
        return False  # euros, not people
    if kind == Kind.COUNT:
        # Also an average of small counts (e.g. 2.3 waiting per month) reveals a handful of people.
        return 0 < value < 5
    if denominator is None or denominator < 10:
        return True
    if kind == Kind.PERCENTAGE:
        # Otherwise the small group follows from value × denominator.
        return numerator is None or _small(numerator) or _small(denominator - numerator)
    if kind == Kind.RATE:
        # A rate over a large population still reveals a handful of people through its numerator.
        return _small(numerator)
    return False


# --- marking a period's values -----------------------------------------------------------------


# Organisations, not people, and counted once in every wijk, voorziening and contractor they work
# for: no breakdown adds up to the total, so none gives a hidden row back by subtraction. (Taken
# as parts, the 51 contractors of 1 provider each hid the city's 51 active providers as `<5`.)
NOT_ADDITIVE = frozenset({"providers_active"})


@cache
def _additive(indicator: str) -> bool:
    """Does the indicator take part in the breakdowns? Medians do not add up, nor do counts of
    organisations (NOT_ADDITIVE); a rate of two counts shown in their own right (LINKED_COUNTS)
    is protected through those counts, as it is hidden whenever one of them is (_link)."""
    return (suppressed_as(indicator) != Kind.MEDIAN and indicator not in LINKED_COUNTS
            and indicator not in NOT_ADDITIVE)  # fmt: skip


def _size(row) -> tuple:
    """How much a row would hide if chosen as a complement: the count, or the group size."""
    if suppressed_as(row.indicator) == Kind.COUNT:
        return (row.value, row.level_key)
    return (row.denominator or 0, row.numerator or 0, row.level_key)


def _eligible(row) -> bool:
    """A shown row worth hiding as a complement: every additive part above 0. Hiding a zero
    (or a 0 % or 100 % share, whose numerator or complement is zero) would leave the hidden
    sum equal to the row it should protect."""
    if row.value is None:
        return False
    if suppressed_as(row.indicator) == Kind.COUNT:
        return row.value > 0
    numerator, denominator = row.numerator or 0, row.denominator or 0
    if suppressed_as(row.indicator) == Kind.PERCENTAGE:
        return 0 < numerator < denominator
    return numerator > 0 and denominator > 0


def _groups(cells: dict, breakdowns=BREAKDOWNS) -> list[tuple[tuple, list[tuple]]]:
    """(total cell, its row cells) for every breakdown, total and additive indicator. The
    system total heads several breakdowns (wijken, voorzieningen, ...): one group each."""
    by_level: dict[str, list[tuple]] = {}
    for cell in cells:
        if _additive(cell[2]):
            by_level.setdefault(cell[0], []).append(cell)
    members: dict[tuple, list[tuple]] = {}
    # Keyed by the breakdown's number: a Breakdown (a frozen dataclass) hashes in Python.
    for number, breakdown in enumerate(breakdowns):
        total_level, total_key, skip = breakdown.total, breakdown.total_key, breakdown.skip
        for cell in by_level.get(breakdown.rows, ()):
            _, key, indicator = cell
            if indicator in skip:
                continue
            total = (total_level, total_key(key), indicator)
            if total in cells:
                members.setdefault((number, total), []).append(cell)
    return [(total, sorted(rows)) for (_, total), rows in members.items()]


def _count_pinned(remainder, marks: list[str]) -> bool:
    """Do hidden counts with these marks give themselves away when their sum (`remainder`) is
    known? To whoever knows these rules a `<5` is 1–4 and a `<5*` at least 5 (a count above 0
    that was not small), a withheld `—*` anything: a remainder at the lowest sum pins every one
    of them (1 + 5 = 6 is 1 and 5), and so does one at the highest when all are `<5`
    (4 + 4 = 8)."""
    lowest = sum(READS_AS[how][0] for how in marks)
    highest = 4 * len(marks) if all(how == PRIMARY for how in marks) else None
    return remainder in (lowest, highest)


def _pinned(total, hidden, rows, cells, mark) -> bool:
    """Can several hidden rows still be pinned down by the total? Primary counts are each 1–4
    to whoever reads `<5`: a remainder of 2 over two of them means 1 and 1. Shares and means
    whose hidden numerators are all 0 (or, for shares, all complements 0) leave a remainder
    of 0 in that part, which gives each of them away."""
    indicator = cells[total].indicator
    kind = suppressed_as(indicator)
    if kind == Kind.COUNT:
        if INDICATORS.get(indicator) is None or INDICATORS[indicator].kind != Kind.COUNT:
            return False
        remainder = cells[total].value - sum(cells[c].value for c in rows if c not in mark)
        return _count_pinned(remainder, [mark[cell] for cell in hidden])
    numerators = [cells[c].numerator or 0 for c in hidden]
    if all(n == 0 for n in numerators):
        return True
    complements = [(cells[c].denominator or 0) - n for c, n in zip(hidden, numerators, strict=True)]
    return kind == Kind.PERCENTAGE and all(c == 0 for c in complements)


def protect(total, rows, cells, mark) -> bool:
    """Hide one more row of a breakdown whose hidden rows (or hidden total) would otherwise
    follow from the rest; True when something was marked. A single hidden row is covered even
    when the total is hidden too, as that total may follow from its own breakdown; a hidden
    total over rows that are all shown would be their sum. `total` and `rows` are keys of
    `cells` and `mark`, whatever their shape (a period's cells, or a year's). A withheld 0
    protects nobody and needs no protection (zeros are shown everywhere else): covering it
    would hide a total of 0, which reads as at least 5."""
    if total not in mark and mark.keys().isdisjoint(rows):
        return False  # most breakdowns: nothing hidden (the answer below, sooner)
    hidden = [cell for cell in rows
              if cell in mark and not (mark[cell] == WITHHELD and cells[cell].value == 0)]  # fmt: skip
    total_row = cells[total]
    total_shown = total not in mark and total_row.value is not None
    if not hidden and total not in mark:
        return False
    if len(hidden) > 1 and not (total_shown and _pinned(total, hidden, rows, cells, mark)):
        return False
    candidates = [c for c in rows if c not in mark and _eligible(cells[c])]
    if candidates:
        mark[min(candidates, key=lambda c: _size(cells[c]))] = SECONDARY
        return True
    if total_shown:
        # Nothing else in the breakdown can cover the hidden row: the total goes, and its own
        # breakdown (if it is a row of one) is protected in turn.
        mark[total] = SECONDARY
        return True
    return False


def _linked(cells) -> list[tuple[tuple, list[tuple]]]:
    """(rate cell, the cells of its counts) for every rate of LINKED_COUNTS with a value."""
    return [(cell, [(row.level, row.level_key, count) for count in LINKED_COUNTS[row.indicator]])
            for cell, row in cells.items()
            if row.indicator in LINKED_COUNTS and row.value is not None]  # fmt: skip


def _link(linked, mark) -> bool:
    """Hide each rate whose count is hidden (LINKED_COUNTS)."""
    changed = False
    for cell, counts in linked:
        if cell not in mark and any(count in mark for count in counts):
            mark[cell] = SECONDARY
            changed = True
    return changed


def _pool_shown(total, members, cells, mark, parent_hidden=False) -> bool:
    """pool_hidden's rule on any marks: what the audit reads of a pool the overview shows. A
    pool is hidden while the figure the pools add up to is: with one objective, or the other
    objective's pool shown, the pool is that figure (or gives it by subtraction)."""
    if parent_hidden:
        return False
    hidden = [cell for cell in members if cell in mark]
    if not hidden:
        return True
    return len(hidden) > 1 and not _pinned(total, hidden, members, cells, mark)


# What suppression_audit.Audit.cover needs of these rules.
AUDIT_RULES = suppression_audit.Rules(SECONDARY, WITHHELD, READS_AS, _eligible, _size, _pool_shown)


class PeriodMarks:
    """One period's cells and breakdowns, worked out once; `run` marks them, from the primary
    rule and what is already hidden for another reason (`preset`: to protect another period of
    the year, suppression_over_time.py), and can run again with more preset."""

    def __init__(self, rows: Iterable):
        cells = {(r.level, r.level_key, r.indicator): r for r in rows}
        self.primary = {
            cell: PRIMARY
            for cell, r in cells.items()
            if is_primary(r.indicator, r.value, r.numerator, r.denominator)
        }
        totals, extra = _objective_totals(cells)
        self.classes, by_class = _class_totals(cells)
        self.totals = {**totals, **self.classes}
        self.cells = {**cells, **self.totals}
        self.linked = _linked(cells)
        groups = _groups(self.cells, BREAKDOWNS + extra + by_class)
        rollups = _groups(self.cells, POOL_ROLLUPS) if totals else []
        self.pools = set(totals)
        self.unseen = {cell for cell in totals if cell[2] not in POOLED_ON_OVERVIEW}
        # What the audit reads together: every sum of counts, unseen totals among them.
        self.read_together = [g for g in groups + rollups if suppressed_as(g[0][2]) == Kind.COUNT]
        shown = [g for g in groups if g[0] not in self.unseen]
        # Counts first, then the rates that go with them (_link), then shares and means.
        self.counts = [g for g in shown if suppressed_as(g[0][2]) == Kind.COUNT]
        self.others = [g for g in shown if suppressed_as(g[0][2]) != Kind.COUNT]

    @cached_property
    def audit(self) -> suppression_audit.Audit:
        # Built when run() first needs it: a year's periods are read by one audit of their own
        # (suppression_over_time), so theirs would be built for nothing.
        return suppression_audit.Audit(self.read_together, self.cells, self.unseen, self.pools)

    def run(
        self, preset: dict | None = None, audit: bool = True
    ) -> dict[tuple[str, str, str], str]:
        """The marks; `audit=False` leaves the breakdowns read together to the caller, which
        reads them with more (suppression_over_time: the periods of a year)."""
        cells = self.cells
        mark = dict(self.primary)
        for cell, kind in (preset or {}).items():
            if cell in cells:
                # A withheld count was hidden already; it is withheld for the others' sake.
                mark[cell] = kind if kind == WITHHELD else mark.get(cell, kind)
        changed = True
        while changed:
            changed = False
            for total, members in self.counts:
                changed = protect(total, members, cells, mark) or changed
            changed = _link(self.linked, mark) or changed
            for total, members in self.others:
                changed = protect(total, members, cells, mark) or changed
            changed = _share_behind_class(self.classes, mark) or changed
            if not changed and audit:
                changed = self.audit.cover(mark, AUDIT_RULES)
        return {cell: kind for cell, kind in mark.items() if cell not in self.totals}


def marks(rows: Iterable, preset: dict | None = None) -> dict[tuple[str, str, str], str]:
    """(level, level_key, indicator) -> PRIMARY, SECONDARY or WITHHELD for the figures of one
    period that council members may not see; figures that may be shown are left out. `rows` are the
    period's values (anything with level, level_key, indicator, value, numerator and
    denominator); `preset` holds figures already hidden for another reason. Repeats until
    nothing changes: hiding a complement in the wijk × voorziening table can leave a single
    hidden row in the other direction, or hide a wijk's total."""
    return PeriodMarks(rows).run(preset)


# --- what a council member sees ----------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A figure as a council member sees it: the value (a number, `<5`, `—`, or None when
    undefined), never its numerator or denominator, and the note for a secondary mark."""

    value: Decimal | str | None
    note: str = ""
    numerator: None = None
    denominator: None = None

    @property
    def hidden(self) -> bool:
        return isinstance(self.value, str)


def mark_of(row) -> str:
    """The row's stored mark, or `primary` when the primary rule applies to a row stored
    without one."""
    mark = getattr(row, "suppression", "") or ""
    if not mark and is_primary(row.indicator, row.value, row.numerator, row.denominator):
        return PRIMARY
    return mark


def pool_hidden(indicator: str, rows, parent=None) -> bool:
    """Must council members be kept from a pool of these stored rows (an objective's services,
    OBJECTIVE_TOTAL)? When one of them is hidden, or several that the pool would pin down
    (_pinned): marks() hides more rows so that neither happens, unless nothing was left to hide
    beside them. And while `parent`, the stored figure the pools add up to (the city's, or the
    wijk's), is hidden (_pool_shown)."""
    cells = {(r.level, r.level_key, r.indicator): r for r in rows if r is not None}
    mark = {cell: mark_of(row) for cell, row in cells.items() if mark_of(row)}
    total = (OBJECTIVE_TOTAL, "", indicator)
    pooled = _Subtotal(*total)
    for row in cells.values():
        pooled.add(row)
    parent_hidden = parent is not None and bool(mark_of(parent))
    return not _pool_shown(total, list(cells), {**cells, total: pooled}, mark, parent_hidden)


def council_view(row) -> Shown:
    """What a council member may see of a stored row (an IndicatorValue or anything with its
    fields): the one function every council page, chart, table, export and API answer uses."""
    if not council_sees(row.level, row.indicator):
        return Shown(TOO_FEW)  # readers leave these rows out; should one slip through
    if row.value is None:
        return Shown(None)
    mark = mark_of(row)
    if not mark:
        return Shown(row.value)
    if mark == WITHHELD:
        return Shown(TOO_FEW, NOTE)
    text = SMALL if suppressed_as(row.indicator) == Kind.COUNT else TOO_FEW
    return Shown(text, NOTE if mark == SECONDARY else "")


def published(indicator: str, value):
    """A published figure without parts (the 2020–2022 baseline): counts still follow the
    small-count rule; published means and shares are the municipality's own public figures."""
    if value is not None and suppressed_as(indicator) == Kind.COUNT and 0 < value < 5:
        return SMALL
    return value


def display(value) -> str:
    """A stored or suppressed value as text: integers without decimals, others with one."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return str(value)

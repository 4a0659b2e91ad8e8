"""The programme budget's lines as data (domain/BUDGET.md "Budget lines"): contract managers
change a cell or add a later year; every change keeps who, when, the value before and after
(BudgetLineChange). The one home of these rules, called by the page and the API alike.

A cell is (objective, line, year); year None is the `structural` column. Rules:
- the objectives and their lines are those of the programme budget (OBJECTIVE_LINES); a line
  outside it is refused, so a typo never becomes a new row nobody sees;
- amounts are whole k€ (as the programme budget publishes them), at most 12 digits; savings
  lines are 0 or negative (a saving lowers the budget), every other line 0 or positive;
- a cell can be filled in only in a year the table has (add the year first); a year is
  2024–2040; a new year is the one after the last, 2028 onwards, and starts from `structural`;
- optimistic locking: a change names the version of the cell its editor read (0: the cell was
  empty); one based on an outdated version is refused, nothing written (no lost update).
Everything is validated before anything is written, and written in one transaction."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import BudgetLine, BudgetLineChange

LINES_III_V = ("budget", "forecast_unchanged_policy", "savings_realised", "savings_to_be_found")
OBJECTIVE_LINES: dict[str, tuple[str, ...]] = {
    "I": ("budget",),
    "II": ("budget",),
    "III": LINES_III_V,
    "IV": LINES_III_V,
    "V": LINES_III_V,
    "total": ("budget_needed", "covered_in_budget", "third_party_contributions"),
}
SAVINGS_LINES = frozenset({"savings_realised", "savings_to_be_found"})
# Shown on the budget-lines page, in the page's language (the API and files name a line by its
# code).
LINE_LABELS = {
    "budget": gettext_lazy("Begroting"),
    "forecast_unchanged_policy": gettext_lazy("Prognose bij ongewijzigd beleid"),
    "savings_realised": gettext_lazy("Gerealiseerde besparingen"),
    "savings_to_be_found": gettext_lazy("Nog te vinden besparingen"),
    "budget_needed": gettext_lazy("Benodigd budget"),
    "covered_in_budget": gettext_lazy("Gedekt in de begroting"),
    "third_party_contributions": gettext_lazy("Bijdragen derden"),
}
OBJECTIVE_LABELS = {"total": gettext_lazy("Totaal")}
FIRST_YEAR, LAST_YEAR = 2024, 2040
FIRST_NEW_YEAR = 2028  # the programme budget itself runs to 2027
MAX_DIGITS = 12
AMOUNT = re.compile(r"[+-]?[0-9]+")

# A cell once filled keeps an amount (0 when nothing is budgeted): its history stays readable.
CANNOT_BE_EMPTIED = gettext_lazy(
    "Een bestaand bedrag kan niet leeg worden; vul 0 in als er niets is begroot."
)


@dataclass(frozen=True)
class Problem:
    """One refused input: `field` is objective, line, year, amount or version; `year` says
    which column of a line (None: structural, or the field is not per column)."""

    field: str
    reason: str
    year: int | None = None


class BudgetLineError(Exception):
    """The input is refused, nothing written. `conflict`: refused because someone changed the
    cell since it was read (409), not because the input is wrong (400)."""

    def __init__(self, problems: list[Problem], conflict: bool = False):
        self.problems = problems
        self.conflict = conflict
        super().__init__(" ".join(p.reason for p in problems))


@dataclass
class Cell:
    objective: str
    line: str
    year: int | None
    amount: Decimal | None = None
    version: int = 0  # 0: no cell yet
    pk: int | None = None


@dataclass
class Row:
    objective: str
    line: str
    cells: list[Cell] = field(default_factory=list)  # per column: the years, then structural

    @property
    def label(self) -> str:
        return line_label(self.objective, self.line)


def line_label(objective: str, line: str) -> str:
    """What the table and the history call a line: "IV — Prognose bij ongewijzigd beleid"."""
    return f"{OBJECTIVE_LABELS.get(objective, objective)} — {LINE_LABELS.get(line, line)}"


def year_label(year: int | None) -> str:
    return _("structureel") if year is None else str(year)


def years() -> list[int]:
    """The table's years: 2024–2027 from the programme budget plus any year added later."""
    return sorted(set(BudgetLine.objects.filter(year__isnull=False)
                      .values_list("year", flat=True)))  # fmt: skip


def table() -> tuple[list[int | None], list[Row]]:
    """The columns (years, then None for structural) and one row per objective and line of
    OBJECTIVE_LINES, each with a Cell per column (amount None where there is no cell)."""
    stored = {(c.objective, c.line, c.year): c for c in BudgetLine.objects.all()}
    columns: list[int | None] = [*years(), None]
    rows = []
    for objective, lines in OBJECTIVE_LINES.items():
        for line in lines:
            row = Row(objective, line)
            for year in columns:
                cell = stored.get((objective, line, year))
                row.cells.append(
                    Cell(objective, line, year)
                    if cell is None
                    else Cell(objective, line, year, cell.amount_keur, cell.version, cell.pk)
                )
            rows.append(row)
    return columns, rows


def table_row(objective: str, line: str) -> Row:
    """One row of `table()` (the line's cells as stored now)."""
    return next(r for r in table()[1] if (r.objective, r.line) == (objective, line))


def parse_amount(value, line: str | None = None, year: int | None = None) -> Decimal:
    """A whole number of k€ from a form's or the API's value (text or number), checked against
    the line's sign rule; raises BudgetLineError naming `amount`."""
    required = Problem("amount", _("Vul een bedrag in (hele k€)."), year)
    if value is None or isinstance(value, bool):
        raise BudgetLineError([required])
    if isinstance(value, float | Decimal):
        # JSON numbers: 33337 and 33337.0 are the same whole amount; 12.5, NaN, ∞ are not.
        whole = (math.isfinite(value) and value.is_integer() if isinstance(value, float)
                 else value.is_finite() and value == value.to_integral_value())  # fmt: skip
        text = str(int(value)) if whole else "x"
    else:
        text = str(value).strip()
    if not text:
        raise BudgetLineError([required])
    if not AMOUNT.fullmatch(text):
        raise BudgetLineError([Problem("amount", _(
            "Vul een geheel bedrag in k€ in, zonder decimalen, punten of spaties, "
            "bijvoorbeeld 33337 of -550."), year)])  # fmt: skip
    amount = Decimal(int(text))
    if len(str(abs(int(amount)))) > MAX_DIGITS:
        raise BudgetLineError(
            [
                Problem(
                    "amount",
                    _("Het bedrag heeft ten hoogste %(digits)s cijfers.") % {"digits": MAX_DIGITS},
                    year,
                )
            ]
        )
    if line in SAVINGS_LINES and amount > 0:
        raise BudgetLineError([Problem("amount", _(
            "Een besparing is 0 of negatief (zij verlaagt de begroting), bijvoorbeeld -550."),
            year)])  # fmt: skip
    if line is not None and line not in SAVINGS_LINES and amount < 0:
        raise BudgetLineError(
            [
                Problem(
                    "amount",
                    _("Dit bedrag is 0 of positief; alleen besparingen zijn negatief."),
                    year,
                )
            ]
        )
    return amount


def check_line(objective, line) -> list[Problem]:
    if objective not in OBJECTIVE_LINES:
        return [
            Problem(
                "objective",
                _("Onbekend beleidsdoel '%(value)s'; kies uit %(choices)s.")
                % {"value": objective, "choices": ", ".join(OBJECTIVE_LINES)},
            )
        ]
    if line not in OBJECTIVE_LINES[objective]:
        return [Problem("line", _("Beleidsdoel %(objective)s heeft geen regel '%(value)s'; kies "
                                  "uit %(choices)s.") % {
            "objective": objective, "value": line,
            "choices": ", ".join(OBJECTIVE_LINES[objective])})]  # fmt: skip
    return []


def check_year(year, known: list[int]) -> list[Problem]:
    """A cell's year: None (structural) or a year of the table, within 2024–2040."""
    if year is None:
        return []
    if isinstance(year, bool) or not isinstance(year, int):
        return [Problem("year", _("Het jaar is een getal van vier cijfers, of leeg voor "
                                  "structureel."))]  # fmt: skip
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return [
            Problem(
                "year",
                _("Het jaar ligt tussen %(first)s en %(last)s (of leeg voor structureel).")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        ]
    if year not in known:
        return [Problem("year", _("Het jaar %(year)s staat nog niet in de begroting; voeg het "
                                  "eerst toe.") % {"year": year})]  # fmt: skip
    return []


def _author(user) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return (full or user.get_username())[:150]


def change_line(objective: str, line: str, amounts: dict, versions: dict, user):
    """Set the line's cells: `amounts` year (None: structural) → the new value as entered,
    `versions` year → the version read (0 or absent: the cell was empty). A cell left empty
    that has no value stays without one; an existing cell cannot be emptied. Only cells whose
    value changes are written, each with its BudgetLineChange. Returns the changes."""
    problems = check_line(objective, line)
    if problems:
        raise BudgetLineError(problems)
    known = years()
    parsed: dict[int | None, Decimal | None] = {}
    for year, value in amounts.items():
        year_problems = check_year(year, known)
        if year_problems:
            problems += year_problems
            continue
        empty = value is None or (isinstance(value, str) and not value.strip())
        if empty:
            parsed[year] = None
            continue
        try:
            parsed[year] = parse_amount(value, line, year)
        except BudgetLineError as exc:
            problems += exc.problems
    if problems:
        raise BudgetLineError(problems)
    with transaction.atomic():
        stored = {
            c.year: c
            for c in BudgetLine.objects.select_for_update().filter(
                objective=objective, line=line, year__in=[y for y in parsed if y]
            )
        }
        structural = BudgetLine.objects.select_for_update().filter(
            objective=objective, line=line, year__isnull=True).first()  # fmt: skip
        if None in parsed and structural is not None:
            stored[None] = structural
        conflicts, writes = [], []
        for year, amount in parsed.items():
            cell = stored.get(year)
            read = int(versions.get(year) or 0)
            current = cell.version if cell else 0
            if read != current:
                conflicts.append(Problem("version", _(
                    "%(column)s is gewijzigd sinds u het las (nu %(now)s k€); er is niets "
                    "opgeslagen. Laad de begroting opnieuw en breng uw wijziging opnieuw aan.")
                    % {"column": year_label(year),
                       "now": _("leeg") if cell is None else cell.amount_keur}, year))  # fmt: skip
                continue
            if amount is None:
                if cell is not None:
                    problems.append(Problem("amount", str(CANNOT_BE_EMPTIED), year))
                continue
            if cell is None or cell.amount_keur != amount:
                writes.append((year, cell, amount))
        if conflicts:
            raise BudgetLineError(conflicts, conflict=True)
        if problems:
            raise BudgetLineError(problems)
        return [_write(objective, line, year, cell, amount, user) for year, cell, amount in writes]


def change_cell(objective, line, year, amount, version, user) -> BudgetLineChange | None:
    """One cell (the API's unit); None when the value was already so."""
    changes = change_line(objective, line, {year: amount}, {year: version}, user)
    return changes[0] if changes else None


def _write(objective, line, year, cell, amount, user) -> BudgetLineChange:
    if cell is None:
        try:
            with transaction.atomic():
                BudgetLine.objects.create(objective=objective, line=line, year=year,
                                          amount_keur=amount)  # fmt: skip
        except IntegrityError as exc:  # another editor created it between read and write
            raise BudgetLineError([Problem("version", _(
                "%(column)s is zojuist door iemand anders ingevuld; er is niets opgeslagen.")
                % {"column": year_label(year)}, year)], conflict=True) from exc  # fmt: skip
        previous, kind = None, BudgetLineChange.Kind.ADDED
    else:
        BudgetLine.objects.filter(pk=cell.pk).update(amount_keur=amount,
                                                     version=F("version") + 1)  # fmt: skip
        previous, kind = cell.amount_keur, BudgetLineChange.Kind.CHANGED
    return BudgetLineChange.objects.create(
        objective=objective, line=line, year=year, previous_amount=previous, new_amount=amount,
        kind=kind, changed_by=user, changed_by_name=_author(user),
    )  # fmt: skip


def next_year() -> int:
    known = years()
    return max(known[-1] + 1, FIRST_NEW_YEAR) if known else FIRST_NEW_YEAR


def check_new_year(year) -> list[Problem]:
    if isinstance(year, bool) or not isinstance(year, int):
        return [Problem("year", _("Het jaar is een getal van vier cijfers, bijvoorbeeld "
                                  "%(year)s.") % {"year": next_year()})]  # fmt: skip
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return [Problem("year", _("Het jaar ligt tussen %(first)s en %(last)s.")
                        % {"first": FIRST_YEAR, "last": LAST_YEAR})]  # fmt: skip
    if year in years():
        return [Problem("year", _("%(year)s staat al in de begroting; wijzig daar de bedragen.")
                        % {"year": year})]  # fmt: skip
    expected = next_year()
    if year != expected:
        return [Problem("year", _("Voeg de jaren op volgorde toe: het volgende jaar is "
                                  "%(year)s.") % {"year": expected})]  # fmt: skip
    return []


def add_year(year, user) -> list[BudgetLineChange]:
    """Add `year` (the one after the last, 2028 onwards): every line with a structural value
    gets that value in the new year, each copy a BudgetLineChange."""
    problems = check_new_year(year)
    if problems:
        raise BudgetLineError(problems)
    with transaction.atomic():
        structural = list(BudgetLine.objects.select_for_update()
                          .filter(year__isnull=True).order_by("objective", "line"))  # fmt: skip
        # Checked again under the lock: two editors adding the same year wait for each other.
        problems = check_new_year(year)
        if problems:
            raise BudgetLineError(problems, conflict=True)
        if not structural:
            raise BudgetLineError([Problem("year", _(
                "Er zijn geen structurele bedragen om over te nemen."))])  # fmt: skip
        try:
            with transaction.atomic():
                BudgetLine.objects.bulk_create([
                    BudgetLine(objective=c.objective, line=c.line, year=year,
                               amount_keur=c.amount_keur) for c in structural])  # fmt: skip
        except IntegrityError as exc:  # another editor added the year at the same moment
            raise BudgetLineError([Problem("year", _(
                "%(year)s is zojuist door iemand anders toegevoegd.") % {"year": year})],
                conflict=True) from exc  # fmt: skip
        return BudgetLineChange.objects.bulk_create([
            BudgetLineChange(objective=c.objective, line=c.line, year=year,
                             previous_amount=None, new_amount=c.amount_keur,
                             kind=BudgetLineChange.Kind.NEW_YEAR, changed_by=user,
                             changed_by_name=_author(user))
            for c in structural])  # fmt: skip


def history(limit: int | None = None) -> list[BudgetLineChange]:
    """The changes, newest first, each with the `label` of its line (line_label)."""
    changes = BudgetLineChange.objects.order_by("-changed_at", "-id")
    changes = list(changes[:limit] if limit else changes)
    for change in changes:
        change.label = line_label(change.objective, change.line)
    return changes

"""Realised spend per objective and year, and the programme budget beside it.

The rules for a realisation live here, so the form, the tests and any later importer or API give
the same Dutch errors; the model's unique constraint keeps one value per objective and year."""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db import transaction

from ..models import BudgetLine, RealisedSpend
from ..rounding import round_one_decimal
from .formatting import nl_number, signed

YEARS = (2024, 2025, 2026, 2027)
BUDGET_LINE = "budget"
NOTE_MAX = 200
AMOUNT_MAX = Decimal("999999999999")  # max_digits=12, no decimals

# The programme budget's own names for the objectives the app steers on (POLICY.md); the others
# are shown by number only.
OBJECTIVE_LABELS = {
    "III": "III Laagdrempelige basiszorg (buurtteams)",
    "IV": "IV Passende aanvullende zorg",
    "V": "V Opvang en verblijf (U16)",
}


def objective_label(code: str) -> str:
    return OBJECTIVE_LABELS.get(code, f"Beleidsdoel {code}")


def budget_objectives() -> list[str]:
    """The objectives that have a budget line, in the budget's order (I, II, III, …)."""
    codes = set(BudgetLine.objects.filter(line=BUDGET_LINE).values_list("objective", flat=True))
    return sorted(codes, key=_roman)


def _roman(code: str) -> tuple[int, str]:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for index, char in enumerate(code):
        if char not in values:
            return (99, code)
        value = values[char]
        following = values.get(code[index + 1]) if index + 1 < len(code) else None
        total += -value if following and following > value else value
    return (total, code)


class SpendError(Exception):
    """Field name -> Dutch reason; nothing has been written."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def validate_spend(objective, year, amount, note, objectives=None) -> dict[str, str]:
    """The errors of a realisation as field -> Dutch reason (empty when valid)."""
    errors = {}
    objectives = budget_objectives() if objectives is None else objectives
    if not objective:
        errors["objective"] = "Kies een beleidsdoel."
    elif objective not in objectives:
        errors["objective"] = f"'{objective}' is geen beleidsdoel uit de begroting."
    if year in (None, ""):
        errors["year"] = "Kies een jaar."
    elif int(year) not in YEARS:
        errors["year"] = f"Realisaties kunnen alleen voor {YEARS[0]} tot en met {YEARS[-1]}."
    if amount is None or amount == "":
        errors["amount_keur"] = "Vul het gerealiseerde bedrag in k€ in."
    else:
        amount = Decimal(amount)
        if amount != amount.to_integral_value():
            errors["amount_keur"] = "Vul een heel bedrag in k€ in, zonder decimalen."
        elif amount < 0:
            errors["amount_keur"] = "Een gerealiseerd bedrag kan niet negatief zijn."
        elif amount > AMOUNT_MAX:
            errors["amount_keur"] = "Dit bedrag is te groot."
    if note and len(note) > NOTE_MAX:
        errors["note"] = f"Hoogstens {NOTE_MAX} tekens (nu {len(note)})."
    return errors


def record_spend(objective, year, amount, note, user) -> tuple[RealisedSpend, bool]:
    """Store the realisation for objective and year, replacing an earlier one: (row, created)."""
    errors = validate_spend(objective, year, amount, note)
    if errors:
        raise SpendError(errors)
    with transaction.atomic():
        return RealisedSpend.objects.update_or_create(
            objective=objective, year=int(year),
            defaults={"amount_keur": Decimal(amount), "note": note or "",
                      "entered_by": user if getattr(user, "is_authenticated", False) else None},
        )  # fmt: skip


def current_spend(objective, year) -> RealisedSpend | None:
    return RealisedSpend.objects.filter(objective=objective, year=year).first()


@dataclass
class BudgetRow:
    objective: str
    label: str
    year: int
    budget: Decimal | None
    realised: Decimal | None
    note: str = ""
    entered_by: str = ""
    entered_at: object = None

    @property
    def difference(self) -> Decimal | None:
        """Realised minus budget (k€): positive is overspending."""
        if self.budget is None or self.realised is None:
            return None
        return self.realised - self.budget

    @property
    def difference_pct(self) -> Decimal | None:
        """The difference as a percentage of the budget, 1 decimal (half away from zero)."""
        if self.difference is None or not self.budget:
            return None
        pct = round_one_decimal(Fraction(int(self.difference) * 100, int(self.budget)))
        return pct.quantize(Decimal("0.1"))

    @property
    def budget_text(self) -> str:
        return nl_number(self.budget)

    @property
    def realised_text(self) -> str:
        return nl_number(self.realised)

    @property
    def difference_text(self) -> str:
        return signed(self.difference)

    @property
    def difference_pct_text(self) -> str:
        return "" if self.difference_pct is None else f"{signed(self.difference_pct, 1)} %"


def budget_vs_realised(years=YEARS) -> list[BudgetRow]:
    """Per objective with a budget line and per year: budget, realised, difference (2 queries)."""
    budget = {
        (line.objective, line.year): line.amount_keur
        for line in BudgetLine.objects.filter(line=BUDGET_LINE, year__in=years)
    }
    spent = {
        (row.objective, row.year): row
        for row in RealisedSpend.objects.filter(year__in=years).select_related("entered_by")
    }
    objectives = sorted({objective for objective, _ in budget} | {o for o, _ in spent}, key=_roman)
    rows = []
    for objective in objectives:
        for year in years:
            realised = spent.get((objective, year))
            rows.append(
                BudgetRow(
                    objective=objective, label=objective_label(objective), year=year,
                    budget=budget.get((objective, year)),
                    realised=realised.amount_keur if realised else None,
                    note=realised.note if realised else "",
                    entered_by=(realised.entered_by.get_username()
                                if realised and realised.entered_by else ""),
                    entered_at=realised.entered_at if realised else None,
                )
            )  # fmt: skip
    return rows


EXPORT_HEADER = ["beleidsdoel", "jaar", "begroting_keur", "gerealiseerd_keur", "verschil_keur",
                 "verschil_pct", "toelichting"]  # fmt: skip


def export_rows(rows: list[BudgetRow]):
    for row in rows:
        yield [row.objective, row.year, row.budget, row.realised, row.difference,
               row.difference_pct, row.note]  # fmt: skip

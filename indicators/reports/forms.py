"""The forms of the budget-lines page. They only carry the input: every rule is
indicators.budget_lines', whose refusals come back here as field errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wmo.text import PlainText

from ..budget_lines import CANNOT_BE_EMPTIED, BudgetLineError, Row, year_label


def column_field(year: int | None) -> str:
    return "structureel" if year is None else f"jaar_{year}"


def version_field(year: int | None) -> str:
    return f"versie_{column_field(year)}"


class BudgetLineForm(PlainText, forms.Form):
    """One line: an amount per column (the years, then structural), each with the version of
    the cell as it was read, so that saving refuses what someone changed meanwhile."""

    def __init__(self, row: Row, *args, **kwargs):
        self.row = row
        initial = {}
        for cell in row.cells:
            initial[column_field(cell.year)] = "" if cell.amount is None else str(cell.amount)
            initial[version_field(cell.year)] = cell.version
        super().__init__(*args, initial=initial, **kwargs)
        for cell in row.cells:
            # A filled cell cannot be emptied (budget_lines.CANNOT_BE_EMPTIED): the label must
            # not call it optional.
            self.fields[column_field(cell.year)] = forms.CharField(
                label=year_label(cell.year).capitalize() + " (k€)",
                required=cell.amount is not None, max_length=20,
                error_messages={"required": CANNOT_BE_EMPTIED},
                help_text=_("Leeg laten: geen bedrag.") if cell.amount is None else "",
            )  # fmt: skip
            self.fields[version_field(cell.year)] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=0, required=False)  # fmt: skip

    def amounts(self) -> tuple[dict, dict]:
        amounts, versions = {}, {}
        for cell in self.row.cells:
            amounts[cell.year] = self.cleaned_data.get(column_field(cell.year), "")
            versions[cell.year] = self.cleaned_data.get(version_field(cell.year)) or 0
        return amounts, versions

    def refused(self, error: BudgetLineError) -> None:
        """Put the service's refusals on the fields they concern."""
        for problem in error.problems:
            if problem.field == "amount":
                self.add_error(column_field(problem.year), problem.reason)
            else:
                self.add_error(None, problem.reason)


class AddYearForm(PlainText, forms.Form):
    jaar = forms.IntegerField(
        label=_("Jaar"), error_messages={"required": _("Vul het jaar in."),
                                         "invalid": _("Het jaar is een getal van vier cijfers.")},
    )  # fmt: skip

    def refused(self, error: BudgetLineError) -> None:
        for problem in error.problems:
            self.add_error("jaar", problem.reason)

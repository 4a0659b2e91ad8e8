"""spend.csv (domain/BUDGET.md) through the one importer framework: bookings from the financial
administration, all or nothing, idempotent on booking_id."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from providers.models import Provider
from wmo.catalogue.models import Objective, ServiceType
from wmo.imports.framework import Importer
from wmo.imports.parsing import parse_choice, require
from wmo.imports.problems import RowErrors
from wmo.imports.reading import IDENTIFIER, Column
from wmo.periods import PeriodError, Quarter

from .models import SpendBooking

_AMOUNT = re.compile(r"^-?[0-9]{1,12}(?:[.,][0-9]{1,2})?\Z")
AMOUNT_MESSAGE = ("Geen geldig bedrag: euro's met hoogstens 2 decimalen, een punt of komma als "
                  "decimaalteken en geen scheidingsteken voor duizendtallen (bijv. -1250,50).")  # fmt: skip


def parse_amount(value: str) -> Decimal:
    """`1250.5`, `-1250,50`: euros, up to 2 decimals, `.` or `,` as the decimal separator and no
    thousands separator (so `1.250` is refused rather than read as 1.25 or 1250)."""
    value = (value or "").strip()
    if not value:
        raise ValueError("Dit veld is verplicht.")
    if not _AMOUNT.match(value):
        raise ValueError(AMOUNT_MESSAGE)
    return Decimal(value.replace(",", "."))


def parse_quarter(value: str) -> str:
    try:
        return str(Quarter.parse(require(value)))
    except PeriodError as exc:
        raise ValueError(str(exc)) from None


class SpendImporter(Importer):
    title = _("Uitgavenboekingen importeren")
    kind = "spend"
    model = SpendBooking
    id_column = "booking_id"
    id_field = "booking_id"
    columns = ["booking_id", "quarter", "objective", "service_type",
               Column("contractor_agb", kind=IDENTIFIER, digits=8),
               "amount_eur"]  # fmt: skip
    field_columns = {"booking_id": "booking_id", "quarter": "quarter", "objective": "objective",
                     "service_type": "service_type", "contractor": "contractor_agb",
                     "amount_eur": "amount_eur"}  # fmt: skip

    def prepare(self):
        self.service_types = self.code_table(ServiceType, "code")
        self.providers = self.code_table(Provider, "agb_code")

    def written(self, created, updated):
        """The booking's quarter, before and after a change (Importer.touch): its spend
        indicators are recomputed, as the budget page reads the bookings themselves."""
        for values in self.before_and_after(created, updated):
            quarter = Quarter.parse(str(values["quarter"]))
            self.touch(quarter.start, quarter.end)

    def validate_row(self, row):
        errors = RowErrors()
        values = {
            "booking_id": errors.call(require, row, "booking_id"),
            "quarter": errors.call(parse_quarter, row, "quarter"),
            "objective": errors.call(parse_choice, row, "objective", choices=Objective),
            # Required for IV and V only: the model's rule says so, naming the objective.
            "service_type": errors.lookup(self.service_types, row, "service_type",
                                          "Onbekende voorziening.", required=False),
            "contractor": errors.lookup(self.providers, row, "contractor_agb",
                                        "Onbekende AGB-code.", required=False),
            "amount_eur": errors.call(parse_amount, row, "amount_eur"),
        }  # fmt: skip
        failed = {error.column for error in errors.errors}
        if "objective" not in failed and not failed & {"service_type", "contractor_agb"}:
            try:
                SpendBooking(**values).clean()
            except ValidationError as exc:
                errors.errors.extend(self.model_errors(exc).errors)
        errors.raise_if_any()
        return values

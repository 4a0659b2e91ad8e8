"""What a record number from a partner may be: verwijzings-, casus-, klacht- and ervaringnummer.

One rule, carried by the model fields, so the forms, the API, the importers and the admin all
apply it. A number is part of the address of its record (`/verwijzingen/<nummer>/`,
`/api/v1/verwijzingen/{verwijzingId}`), so it must fit in one: a '/' or '.' would reach another
page or none (a referral numbered `UTR/2026/001` was stored and then broke the waiting list, whose
links could not be built), and a number equal to one of the app's own page names
(`registreren`) would be hidden behind that page."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

MAX_LENGTH = 64
"""INTERCHANGE.md, "Limits for every file": ids at most 64 characters."""

# The alphabet of a record number, written once for the pattern and the message's search.
_CHARACTERS = "A-Za-z0-9_-"
_NOT_ALLOWED = re.compile(f"[^{_CHARACTERS}]")

PAGE_NAMES = frozenset({"registreren", "importeren", "zonder-contract", "casussen", "in-zorg"})
"""The fixed page names beside record numbers in the web addresses (`wmo/referrals/urls.py`;
tests/referrals/test_record_numbers.py keeps the list complete)."""


class RecordNumberValidator(RegexValidator):
    """Letters a-z and A-Z, digits, '-' and '_'; a letter or digit first; not a page name. A
    RegexValidator, so the OpenAPI schema shows the pattern; the message says what is wrong."""

    regex = rf"^[A-Za-z0-9][{_CHARACTERS}]*\Z"

    def __call__(self, value) -> None:
        message = record_number_problem(str(value))
        if message:
            raise ValidationError(message, code="record_number")


def record_number_problem(value: str) -> str | None:
    """A Dutch message saying what is wrong with `value` as a record number, or None."""
    if not value:
        return "Dit veld is verplicht."
    wrong = _NOT_ALLOWED.search(value)
    if wrong:
        char = wrong.group()
        shown = (
            f"'{char}'"
            if char.isprintable() and not char.isspace()
            else "een spatie of onzichtbaar teken"
        )
        return f"Een nummer bestaat uit letters (a-z), cijfers (0-9), '-' en '_'; {shown} kan niet."
    if value[0] in "-_":
        return "Een nummer begint met een letter of een cijfer."
    if value.lower() in PAGE_NAMES:
        return f"'{value}' is de naam van een pagina van de app; kies een ander nummer."
    return None


validate_record_number = RecordNumberValidator()

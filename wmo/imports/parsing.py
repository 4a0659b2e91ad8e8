"""Cell parsers for importers: each takes the cell's text and returns the value, or raises
ValueError with a Dutch message that the framework reports on the cell's column."""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from .limits import EARLIEST_DATE

TRUE_VALUES = {"true", "1", "ja", "j", "yes", "waar", "x"}
FALSE_VALUES = {"false", "0", "nee", "n", "no", "onwaar"}
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\Z")
_NL_DATE = re.compile(r"^([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})\Z")


def require(value: str) -> str:
    if value == "":
        raise ValueError("Dit veld is verplicht.")
    return value


_TODAY: contextvars.ContextVar[datetime.date | None] = contextvars.ContextVar(
    "import_today", default=None
)


@contextlib.contextmanager
def dates_until(day: datetime.date):
    """Within the block `parse_date` takes `day` as today: one import checks every row against
    the same day (and does not ask the clock once per cell)."""
    token = _TODAY.set(day)
    try:
        yield
    finally:
        _TODAY.reset(token)


def parse_date(value: str, required: bool = False) -> datetime.date | None:
    """YYYY-MM-DD or DD-MM-YYYY (also with '/' or '.'); empty is None unless required.

    A date lies between EARLIEST_DATE (the Wmo 2015) and today, the limit of every date column
    of every file (domain/INTERCHANGE.md): every importer reads its dates here, so none can
    forget it."""
    value = (value or "").strip()
    if not value:
        if required:
            raise ValueError("Dit veld is verplicht.")
        return None
    day = None
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        # The common case, a plain ISO date, in C; anything odd goes the long way for its message.
        with contextlib.suppress(ValueError):
            day = datetime.date.fromisoformat(value)
    if day is None:
        day = _parse_other(value)
    if day < EARLIEST_DATE:
        raise ValueError(TOO_EARLY)
    today = _TODAY.get() or timezone.localdate()
    if day > today:
        raise ValueError(future_message(today))
    return day


TOO_EARLY = (f"Deze datum ligt vóór {EARLIEST_DATE:%d-%m-%Y}; een datum in een bestand ligt niet "
             "vóór 1 januari 2015, toen de Wmo 2015 inging.")  # fmt: skip


def future_message(today: datetime.date) -> str:
    return (f"Deze datum ligt in de toekomst; een datum in een bestand ligt niet na vandaag "
            f"({today:%d-%m-%Y}).")  # fmt: skip


def _parse_other(value: str) -> datetime.date:
    value = value.split("T")[0].split(" ")[0]
    normalised = value.replace("/", "-").replace(".", "-")
    match = _ISO_DATE.match(normalised)
    try:
        if match:
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        match = _NL_DATE.match(normalised)
        if match:
            return datetime.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        raise ValueError("Deze datum bestaat niet.") from None
    raise ValueError("Ongeldige datum: gebruik JJJJ-MM-DD of DD-MM-JJJJ.")


def parse_bool(value: str, required: bool = False) -> bool | None:
    """true/false, 1/0, ja/nee (any case); empty is None unless required."""
    value = (value or "").strip().lower()
    if not value:
        if required:
            raise ValueError("Dit veld is verplicht.")
        return None
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ValueError("Ongeldige waarde: gebruik true/false, 1/0 of ja/nee.")


def parse_int(value: str, required: bool = False, minimum: int | None = None,
              maximum: int | None = None) -> int | None:  # fmt: skip
    value = (value or "").strip()
    if not value:
        if required:
            raise ValueError("Dit veld is verplicht.")
        return None
    try:
        number = int(value)
    except ValueError:
        raise ValueError("Geen geheel getal.") from None
    if minimum is not None and number < minimum:
        raise ValueError(f"Het getal moet minstens {minimum} zijn.")
    if maximum is not None and number > maximum:
        raise ValueError(f"Het getal mag hoogstens {maximum} zijn.")
    return number


def parse_decimal(value: str, required: bool = False) -> Decimal | None:
    """12345.67 or 12.345,67 (Dutch); empty is None unless required."""
    value = (value or "").strip().replace("€", "").replace(" ", "")
    if not value:
        if required:
            raise ValueError("Dit veld is verplicht.")
        return None
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError("Geen geldig bedrag of getal.") from None


def parse_choice(value: str, choices, required: bool = True) -> str:
    """A value from a TextChoices class (or an iterable of allowed values)."""
    value = (value or "").strip()
    allowed = _allowed_values(choices)
    if not value:
        if required:
            raise ValueError("Dit veld is verplicht.")
        return ""
    if value not in allowed:
        # Worded as the model's own choice error is in a report (problems.model_messages).
        raise ValueError(f"Waarde '{value}' is geen geldige keuze. Kies uit: {', '.join(allowed)}.")
    return value


_ALLOWED: dict[type, dict[str, None]] = {}


def _allowed_values(choices) -> dict[str, None]:
    """The allowed values in their order, as a dict for O(1) membership. A TextChoices class
    builds its `values` list anew on every access, too slow once per row of a large file."""
    if not isinstance(choices, type):
        return dict.fromkeys(choices)
    found = _ALLOWED.get(choices)
    if found is None:
        found = _ALLOWED[choices] = dict.fromkeys(choices.values)
    return found

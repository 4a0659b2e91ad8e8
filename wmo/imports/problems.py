"""What an import found: one `ImportProblem` per bad value, collected in an `ImportResult` whose
summary and report are the Dutch text the command prints and the job page shows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from ..text import as_sentence
from .limits import thousands

MAX_REPORTED_PROBLEMS = 500
"""Problems listed in a printed report or on the page."""
MAX_KEPT_PROBLEMS = 1_000
"""Problems kept (and stored with a job); beyond this only their number is counted, so a file
with a million bad rows does not fill the memory with a million problems."""


@dataclass(frozen=True)
class ImportProblem:
    """One problem: the file line (header = line 1), the column, the value and a Dutch message."""

    line: int
    column: str
    value: str
    message: str

    def __str__(self):
        where = f"regel {self.line}" if self.line else "bestand"
        column = f", kolom '{self.column}'" if self.column else ""
        value = f" (waarde '{self.value}')" if self.value else ""
        return f"{where.capitalize()}{column}{value}: {self.message}"

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "value": self.value,
                "message": self.message}  # fmt: skip


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    problem_count: int = 0
    dry_run: bool = False
    # Rows saved all the same, but worth a look (a historic referral without a contract in
    # force): listed in the report, never a reason to refuse the file.
    warnings: list[ImportProblem] = field(default_factory=list)
    warning_count: int = 0
    # The quarters in which the written rows count, before or after the import (Importer.touch),
    # and what was done about it (the indicators to recompute): sentences after the summary.
    touched: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # A limit that stopped the reading (a millionth row, a line too long): the one problem the
    # user must see, however many the rows before it had.
    refusal: ImportProblem | None = None

    def add(self, problem: ImportProblem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append(problem)

    def refuse(self, problem: ImportProblem) -> None:
        """Record why the reading stopped: first among the problems kept (and so on the job's
        page and in problemen.csv) and named in the summary."""
        self.refusal = problem
        self.problem_count += 1
        self.problems.insert(0, problem)
        del self.problems[MAX_KEPT_PROBLEMS:]

    def extend(self, problems: Iterable[ImportProblem]) -> None:
        for problem in problems:
            self.add(problem)

    def warn(self, warning: ImportProblem) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_KEPT_PROBLEMS:
            self.warnings.append(warning)

    @property
    def ok(self) -> bool:
        return not self.problem_count

    @property
    def summary(self) -> str:
        if not self.ok:
            nothing_saved = "Er is niets opgeslagen; verbeter het bestand en probeer het opnieuw."
            if self.refusal is not None:
                others = self.problem_count - 1
                more = (f" In de gelezen rijen zijn daarnaast {thousands(others)} "
                        f"{_problems(others)} gevonden." if others else "")  # fmt: skip
                return f"Import afgebroken: {self.refusal.message}{more} {nothing_saved}"
            count = self.problem_count
            return (
                f"Import afgebroken: {thousands(count)} {_problems(count)} gevonden in "
                f"{thousands(self.rows)} {_rows(self.rows)}. {nothing_saved}"
            )
        prefix = "Controle geslaagd (niets opgeslagen)" if self.dry_run else "Import geslaagd"
        return " ".join([
            f"{prefix}: {thousands(self.rows)} {_rows(self.rows)} gelezen; "
            f"{thousands(self.created)} nieuw, "
            f"{thousands(self.updated)} gewijzigd, {thousands(self.unchanged)} ongewijzigd.",
            *self.notes,
        ])  # fmt: skip

    def report_lines(self, limit: int = MAX_REPORTED_PROBLEMS) -> list[str]:
        lines = [self.summary]
        lines.extend(f"- {problem}" for problem in self.problems[:limit])
        if self.problem_count > limit:
            lines.append(f"- … en nog {thousands(self.problem_count - limit)} problemen.")
        if self.warning_count:
            # Saved only when the whole file was: not on a check, not when any row failed.
            saved = (
                "zijn wel opgeslagen"
                if self.ok and not self.dry_run
                else "worden bij een import wel opgeslagen"
            )
            lines.append(f"Waarschuwingen ({thousands(self.warning_count)}; deze rijen {saved}):")
            lines.extend(f"- {warning}" for warning in self.warnings[:limit])
            if self.warning_count > limit:
                lines.append(f"- … en nog {thousands(self.warning_count - limit)} "
                             "waarschuwingen.")  # fmt: skip
        return lines

    @property
    def report(self) -> str:
        return "\n".join(self.report_lines())


def _problems(count: int) -> str:
    return "probleem" if count == 1 else "problemen"


def _rows(count: int) -> str:
    return "rij" if count == 1 else "rijen"


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong format, missing columns, no rows), or reading
    stopped at `line` (bytes that are no UTF-8, a line beyond a limit)."""

    def __init__(self, message: str, column: str = "", line: int = 0, value: str = ""):
        super().__init__(message)
        self.message = message
        self.column = column
        self.line = line
        self.value = value

    def problem(self) -> ImportProblem:
        line = self.line or (1 if self.column else 0)
        return ImportProblem(line, self.column, self.value, self.message)


class RowError(Exception):
    """Raised by `validate_row` for one bad value."""

    def __init__(self, column: str, message: str, value: str | None = None):
        super().__init__(message)
        self.column = column
        self.message = message
        self.value = value


class RowErrors(Exception):
    """Collects several RowErrors for one row, so the report lists every bad value at once."""

    def __init__(self, errors: Iterable[RowError] = ()):
        super().__init__("row errors")
        self.errors: list[RowError] = list(errors)

    def add(self, column: str, message: str, value: str | None = None):
        self.errors.append(RowError(column, message, value))

    def call(self, parser: Callable, row: dict, column: str, **kwargs):
        """parser(row[column], **kwargs), recording a ValueError as this column's error."""
        try:
            return parser(row.get(column, ""), **kwargs)
        except ValueError as exc:
            self.add(column, str(exc))
            return None

    def lookup(self, table: dict, row: dict, column: str, message: str, required: bool = True):
        """table[row[column]]: a record from a code table loaded once by `Importer.code_table`."""
        code = row.get(column, "")
        if not code:
            if required:
                self.add(column, "Dit veld is verplicht.")
            return None
        found = table.get(code)
        if found is None:
            self.add(column, message)
        return found

    def raise_if_any(self):
        if self.errors:
            raise self


def refusal(validators, value) -> str | None:
    """The message of the first of Django's `validators` that refuses `value`, or None."""
    for validator in validators:
        try:
            validator(value)
        except ValidationError as exc:
            return " ".join(exc.messages)
    return None


def model_messages(model, field_name: str, errors: list[ValidationError]) -> list[str]:
    """The messages of a model's ValidationError for one field, as an import report states them:
    a value outside a field's choices names the values allowed (Django's message says only that
    it is not one of them, and a file's author cannot open a drop-down), and each message ends
    as a sentence (Django's Dutch 'Dit veld kan niet leeg zijn' has no full stop)."""
    try:
        field = model._meta.get_field(field_name) if model and field_name != "__all__" else None
    except LookupError:
        field = None
    messages = []
    for error in errors:
        message = " ".join(error.messages)
        if error.code == "invalid_choice" and getattr(field, "flatchoices", None):
            allowed = ", ".join(str(value) for value, _ in field.flatchoices if value != "")
            message = f"{message.rstrip('.')}. Kies uit: {allowed}"
        messages.append(as_sentence(message))
    return messages


def model_errors(model, error: ValidationError, field_columns: dict[str, str],
                 column_names: list[str]) -> RowErrors:  # fmt: skip
    """A model's ValidationError as RowErrors on a file's columns (`field_columns`: model field
    → column; a field without a column of its own is reported on the row)."""
    errors = RowErrors()
    if not hasattr(error, "error_dict"):
        for message in model_messages(model, "__all__", error.error_list):
            errors.add("", message)
        return errors
    for field_name, found in error.error_dict.items():
        column = field_columns.get(field_name, field_name)
        if column == "__all__" or column not in column_names:
            column = ""
        for message in model_messages(model, field_name, found):
            errors.add(column, message)
    return errors

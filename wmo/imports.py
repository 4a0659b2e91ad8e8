"""The one CSV/XLSX importer framework (see domain/INTERCHANGE.md).

A concrete importer declares its columns and turns one row into cleaned values; this module
does the rest, identically for the command line and the upload page:

- reads bytes: CSV in UTF-8 (a BOM is fine), `,` or `;` sniffed from the header line, or XLSX;
- checks the header (a Dutch error naming every missing column);
- validates every row first (one pass), collecting an `ImportProblem` per bad value;
- writes nothing when any problem exists; otherwise upserts in one transaction on the id
  column (bulk, in chunks) and counts created / updated / unchanged rows — the same file twice
  changes nothing.

Writing a new importer::

    class ComplaintImporter(Importer):
        model = Complaint
        id_column = "complaint_id"            # the file's key column ...
        id_field = "external_id"              # ... and the model field it fills
        columns = ["complaint_id", "provider_agb", "received_date", Column("resolved_date", required=False)]
        field_columns = {"received_on": "received_date"}   # model errors → file column

        def prepare(self):                   # once: one query per code table
            self.providers = self.code_table(Provider, "agb_code")

        def validate_row(self, row):         # raise RowError(column, message) or collect
            errors = RowErrors()
            provider = errors.lookup(self.providers, row, "provider_agb", "Onbekende AGB-code.")
            received = errors.call(parse_date, row, "received_date", required=True)
            errors.raise_if_any()
            return {"external_id": row["complaint_id"], "provider": provider, "received_on": received}

`save(cleaned_rows)` upserts by default; override it for M2M fields or derived records.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, models, router, transaction

CHUNK = 1000


def insert_new(model, objects: list) -> None:
    """Insert new rows. On PostgreSQL through COPY, several times faster than a multi-row INSERT
    for the tens of thousands of rows a partner's file brings; elsewhere bulk_create. Values go
    as the field gives them (its own conversion where one is needed), so defaults and
    auto_now_add hold."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql" or len(objects) < 100:
        model._default_manager.bulk_create(objects)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    getters = [_copy_value(f, connection) for f in fields]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objects:
            copy.write_row([get(obj) for get in getters])


_PLAIN = (models.CharField, models.TextField, models.DateField, models.BooleanField,
          models.IntegerField, models.DecimalField, models.ForeignKey, models.UUIDField)  # fmt: skip


def _copy_value(field, connection):
    """How to read a field's database value from an instance: the attribute itself where the
    database adapter takes it as it is (most columns), else the field's own conversion."""
    special = (field.choices or getattr(field, "auto_now", False)
               or getattr(field, "auto_now_add", False))  # fmt: skip
    if isinstance(field, _PLAIN) and not special:
        attname = field.attname
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)


MAX_REPORTED_PROBLEMS = 500

TRUE_VALUES = {"true", "1", "ja", "j", "yes", "waar", "x"}
FALSE_VALUES = {"false", "0", "nee", "n", "no", "onwaar"}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NL_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


# --- problems and results -----------------------------------------------------------------------


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


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> str:
        if not self.ok:
            count = len(self.problems)
            noun = "probleem" if count == 1 else "problemen"
            return (
                f"Import afgebroken: {count} {noun} gevonden in {self.rows} rijen. "
                "Er is niets opgeslagen; verbeter het bestand en probeer het opnieuw."
            )
        prefix = "Controle geslaagd (niets opgeslagen)" if self.dry_run else "Import geslaagd"
        return (
            f"{prefix}: {self.rows} rijen gelezen; {self.created} nieuw, "
            f"{self.updated} gewijzigd, {self.unchanged} ongewijzigd."
        )

    def report_lines(self, limit: int = MAX_REPORTED_PROBLEMS) -> list[str]:
        lines = [self.summary]
        lines.extend(f"- {problem}" for problem in self.problems[:limit])
        if len(self.problems) > limit:
            lines.append(f"- … en nog {len(self.problems) - limit} problemen.")
        return lines

    @property
    def report(self) -> str:
        return "\n".join(self.report_lines())


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong format, missing columns, no rows)."""

    def __init__(self, message: str, column: str = ""):
        super().__init__(message)
        self.message = message
        self.column = column


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


# --- parsing helpers (raise ValueError with a Dutch message) ------------------------------------


def require(value: str) -> str:
    if value == "":
        raise ValueError("Dit veld is verplicht.")
    return value


def parse_date(value: str, required: bool = False) -> datetime.date | None:
    """YYYY-MM-DD or DD-MM-YYYY (also with '/' or '.'); empty is None unless required."""
    value = (value or "").strip()
    if not value:
        if required:
            raise ValueError("Dit veld is verplicht.")
        return None
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
    allowed = list(getattr(choices, "values", choices))
    if not value:
        if required:
            raise ValueError("Dit veld is verplicht.")
        return ""
    if value not in allowed:
        raise ValueError(f"Onbekende waarde; kies uit: {', '.join(allowed)}.")
    return value


# --- reading files ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = True  # the column must be present in the header (values may still be empty)


def _cell_to_str(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def is_xlsx(data: bytes, filename: str = "") -> bool:
    return filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"


def sniff_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def read_rows(data: bytes, filename: str = "") -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """(header, iterator of (line number, cells)) for CSV or XLSX bytes; header names are
    lower-cased and stripped. Raises ImportFileError for an unreadable file."""
    if is_xlsx(data, filename):
        return _read_xlsx(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "Het bestand is geen UTF-8-tekst. Sla het op als 'CSV UTF-8' of als .xlsx."
        ) from None
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("Het bestand is leeg.") from None

    def rows():
        for cells in reader:
            yield reader.line_num, [c.strip() for c in cells]

    return [h.strip().lower() for h in header], rows()


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError("Het Excel-bestand (.xlsx) kan niet worden gelezen.") from None
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = [_cell_to_str(c).lower() for c in next(iterator)]
    except StopIteration:
        raise ImportFileError("Het bestand is leeg.") from None
    while header and header[-1] == "":
        header.pop()

    def rows():
        for index, cells in enumerate(iterator, start=2):
            yield index, [_cell_to_str(c) for c in cells]
        workbook.close()

    return header, rows()


# --- the importer -------------------------------------------------------------------------------


class Importer:
    """Base class: subclasses set `columns`, `id_column`, `model`, `id_field` and implement
    `validate_row`; `run(data, filename)` does the rest."""

    title: str = "Import"
    columns: list[str | Column] = []
    id_column: str = ""
    model: type[models.Model] | None = None
    id_field: str = ""
    field_columns: dict[str, str] = {}
    """Model field name → file column, to report a model's ValidationError on the right column."""

    def __init__(self):
        self.columns_ = [c if isinstance(c, Column) else Column(c) for c in self.columns]

    # hooks ----------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Load the code tables once before validation (one query per table)."""

    def validate_row(self, row: dict[str, str]) -> dict:
        raise NotImplementedError

    def save(self, cleaned_rows: list[dict]) -> tuple[int, int, int]:
        """Write the cleaned rows; return (created, updated, unchanged). Default: upsert."""
        return self.upsert(cleaned_rows)

    # helpers for subclasses ----------------------------------------------------------------
    @staticmethod
    def code_table(model: type[models.Model], code_field: str, queryset=None) -> dict:
        """{code: instance} for a whole code table, in one query."""
        queryset = model._default_manager.all() if queryset is None else queryset
        return {getattr(obj, code_field): obj for obj in queryset}

    def model_errors(self, error: ValidationError) -> RowErrors:
        """A model's ValidationError as RowErrors on the file's columns."""
        errors = RowErrors()
        if hasattr(error, "error_dict"):
            for field_name, messages in error.message_dict.items():
                column = self.field_columns.get(field_name, field_name)
                if column == "__all__" or column not in self.column_names:
                    column = ""
                for message in messages:
                    errors.add(column, message)
        else:
            for message in error.messages:
                errors.add("", message)
        return errors

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns_]

    def upsert(self, cleaned_rows: list[dict]) -> tuple[int, int, int]:
        """Create or update `model` rows keyed on `id_field`; unchanged rows are not written.
        Values are compared field by field, so importing the same file twice changes nothing."""
        model = self.model
        created = updated = unchanged = 0
        for start in range(0, len(cleaned_rows), CHUNK):
            chunk = cleaned_rows[start : start + CHUNK]
            keys = [row[self.id_field] for row in chunk]
            existing = {
                getattr(obj, self.id_field): obj
                for obj in model._default_manager.filter(**{f"{self.id_field}__in": keys})
            }
            to_create, to_update, changed_fields = [], [], set()
            for row in chunk:
                obj = existing.get(row[self.id_field])
                if obj is None:
                    to_create.append(model(**row))
                    continue
                dirty = [name for name, value in row.items()
                         if self._value_of(obj, name) != self._comparable(value)]  # fmt: skip
                if dirty:
                    for name in dirty:
                        setattr(obj, name, row[name])
                    changed_fields.update(dirty)
                    to_update.append(obj)
                else:
                    unchanged += 1
            if to_create:
                insert_new(model, to_create)
            if to_update:
                model._default_manager.bulk_update(to_update, sorted(changed_fields))
            created += len(to_create)
            updated += len(to_update)
        return created, updated, unchanged

    @staticmethod
    def _comparable(value):
        return value.pk if isinstance(value, models.Model) else value

    @staticmethod
    def _value_of(obj, name):
        field_obj = obj._meta.get_field(name)
        if field_obj.is_relation and field_obj.many_to_one:
            return getattr(obj, field_obj.attname)
        return getattr(obj, name)

    # the run ---------------------------------------------------------------------------------
    def run(self, data: bytes, filename: str = "", dry_run: bool = False) -> ImportResult:
        result = ImportResult(dry_run=dry_run)
        try:
            header, rows = read_rows(data, filename)
            self.check_header(header)
        except ImportFileError as exc:
            result.problems.append(ImportProblem(1 if exc.column else 0, exc.column, "",
                                                 exc.message))  # fmt: skip
            return result
        self.prepare()
        cleaned_rows: list[dict] = []
        seen: dict[str, int] = {}
        index = {name: position for position, name in enumerate(header)}
        wanted = [c.name for c in self.columns_ if c.name in index]
        for line, cells in rows:
            if not any(cells):
                continue
            row = {name: (cells[index[name]] if index[name] < len(cells) else "")
                   for name in wanted}  # fmt: skip
            for column in self.columns_:
                row.setdefault(column.name, "")
            result.rows += 1
            key = row.get(self.id_column, "")
            if key and key in seen:
                result.problems.append(ImportProblem(
                    line, self.id_column, key,
                    f"Deze waarde staat ook op regel {seen[key]}; elke {self.id_column} mag maar "
                    "één keer in het bestand voorkomen.",
                ))  # fmt: skip
                continue
            if key:
                seen[key] = line
            try:
                cleaned = self.validate_row(row)
            except RowError as exc:
                result.problems.append(self._problem(line, row, exc))
            except RowErrors as exc:
                result.problems.extend(self._problem(line, row, e) for e in exc.errors)
            except ValidationError as exc:
                result.problems.extend(
                    self._problem(line, row, e) for e in self.model_errors(exc).errors
                )
            else:
                if not result.problems:  # after the first problem, only keep validating
                    cleaned_rows.append(cleaned)
        if result.rows == 0 and not result.problems:
            result.problems.append(
                ImportProblem(0, "", "", "Het bestand bevat geen gegevensrijen.")
            )
        if result.problems or dry_run:
            return result
        with transaction.atomic():
            result.created, result.updated, result.unchanged = self.save(cleaned_rows)
        return result

    def check_header(self, header: list[str]) -> None:
        missing = [c.name for c in self.columns_ if c.required and c.name not in header]
        if missing:
            names = ", ".join(f"'{m}'" for m in missing)
            noun = "kolom" if len(missing) == 1 else "kolommen"
            raise ImportFileError(
                f"De kopregel mist de {noun} {names}. Verwacht: {', '.join(self.column_names)}.",
                column=", ".join(missing),
            )

    @staticmethod
    def _problem(line: int, row: dict, error: RowError) -> ImportProblem:
        value = error.value if error.value is not None else row.get(error.column, "")
        return ImportProblem(line, error.column, value, error.message)


# --- entry points: command and upload form ------------------------------------------------------


class ImportCommand(BaseCommand):
    """`manage.py import_xxx FILE [--dry-run]`: prints the Dutch report; exit status 1 on errors."""

    importer_class: type[Importer] = Importer

    def add_arguments(self, parser):
        parser.add_argument("file", help="Pad naar een .csv- of .xlsx-bestand.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Alleen controleren, niets opslaan."
        )

    def handle(self, *args, file, dry_run=False, **options):
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise CommandError(f"Bestand kan niet worden geopend: {exc.strerror}.") from None
        result = self.importer_class().run(data, filename=file, dry_run=dry_run)
        if not result.ok:
            for line in result.report_lines()[1:]:
                self.stderr.write(line)
            raise CommandError(result.summary)
        self.stdout.write(result.summary)


MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Bestand",
        help_text="CSV (UTF-8, komma of puntkomma) of Excel (.xlsx) met één kopregel.",
    )
    dry_run = forms.BooleanField(label="Alleen controleren, niets opslaan", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError("Kies een .csv- of .xlsx-bestand.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Het bestand is groter dan 50 MB.")
        return upload

    def run(self, importer: Importer) -> ImportResult:
        upload = self.cleaned_data["file"]
        return importer.run(upload.read(), upload.name, dry_run=self.cleaned_data["dry_run"])

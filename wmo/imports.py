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
from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, models, router, transaction

CHUNK = 1000
"""Rows per look-up or write where a caller needs a fixed batch (the SQLite-safe size)."""


LOOKUP_BATCH = 2_000


def batch_size(connection) -> int:
    """Rows per look-up (`IN` list) or write: PostgreSQL takes large batches, each round trip
    saved is time; SQLite keeps to CHUNK."""
    return 20_000 if connection.vendor == "postgresql" else CHUNK


def fetch_by_keys(model, key_field: str, keys: list, fields: list[str]) -> list[tuple]:
    """(`fields`…) of the rows whose `key_field` is one of `keys`. On PostgreSQL one array
    parameter per batch (`= ANY(%s)`): Django's `__in` with thousands of values spends longer
    building and parsing the placeholders than the database spends finding the rows. Batches of
    LOOKUP_BATCH keys keep the planner on the index; from about 5,000 keys it scans the whole
    table instead, each time (a million referrals: 0.6 s against 1.5–4 s per 100,000 keys)."""
    connection = connections[router.db_for_read(model)]
    size = LOOKUP_BATCH if connection.vendor == "postgresql" else batch_size(connection)
    found: list[tuple] = []
    if connection.vendor != "postgresql":
        for start in range(0, len(keys), size):
            found.extend(model._default_manager.filter(**{f"{key_field}__in": keys[start : start + size]})
                         .order_by().values_list(*fields))  # fmt: skip
        return found
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.pk.column if name == "pk" else meta.get_field(name).column)
                        for name in fields)  # fmt: skip
    sql = (f"SELECT {columns} FROM {quote(meta.db_table)} "
           f"WHERE {quote(meta.get_field(key_field).column)} = ANY(%s)")  # fmt: skip
    with connection.cursor() as cursor:
        for start in range(0, len(keys), size):
            cursor.execute(sql, [keys[start : start + size]])
            found.extend(cursor.fetchall())
    return found


def insert_new(model, objects: list) -> None:
    """Insert new model instances. On PostgreSQL through COPY, several times faster than a
    multi-row INSERT for the tens of thousands of rows a partner's file brings; elsewhere
    bulk_create. Values go as the field gives them (its own conversion where one is needed), so
    defaults and auto_now_add hold."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql" or len(objects) < 100:
        model._default_manager.bulk_create(objects)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    getters = [_copy_value(f, connection) for f in fields]
    _copy(model, [f.column for f in fields], ([get(obj) for get in getters] for obj in objects))


def _copy(model, columns: list[str], rows: Iterable) -> None:
    """COPY rows of database-ready values into the model's table (PostgreSQL)."""
    connection = connections[router.db_for_write(model)]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def copy_rows(model, columns: list[str], rows: Iterable) -> None:
    """Write plain rows (sequences of Python values in the order of `columns`, foreign keys as
    ids) into the model's table: COPY on PostgreSQL, executemany INSERTs elsewhere. No model
    instances, no signals, no defaults: for bulk writers (importers, demo data) that fill in
    every column themselves."""
    connection = connections[router.db_for_write(model)]
    by_column = {f.column: f for f in model._meta.concrete_fields}
    adapt = [_sql_value(by_column[c], connection) for c in columns]
    if any(adapt):
        rows = ([a(v) if a else v for a, v in zip(adapt, row, strict=True)] for row in rows)
    if connection.vendor == "postgresql":
        _copy(model, columns, rows)
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        batch: list = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _sql_value(field, connection):
    """The conversion a plain value needs before the driver takes it, or None (most columns:
    psycopg takes dates, decimals and UUIDs as they are; SQLite wants text)."""
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    if connection.vendor == "postgresql":
        return None
    if isinstance(field, models.DateTimeField):
        return lambda v: connection.ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(field, models.UUIDField | models.DecimalField):
        return lambda v: field.get_db_prep_save(v, connection)
    return None


def next_ids(model, count: int) -> list[int] | None:
    """`count` primary keys drawn from the table's sequence (PostgreSQL; else None), so rows
    written by COPY can carry their ids and need no read-back."""
    connection = connections[router.db_for_write(model)]
    pk = model._meta.pk
    if connection.vendor != "postgresql" or not isinstance(pk, models.AutoField) or not count:
        return None
    with connection.cursor() as cursor:
        # One array, not a row per id: fetching 100,000 one-column rows costs a second.
        cursor.execute("SELECT array_agg(nextval(pg_get_serial_sequence(%s, %s))) "
                       "FROM generate_series(1, %s)", [model._meta.db_table, pk.column, count])  # fmt: skip
        return cursor.fetchone()[0]


def update_rows(model, columns: list[str], rows: list) -> None:
    """Set `columns` of existing rows: each row is (pk, value per column). On PostgreSQL one
    UPDATE joined to a COPY-filled temporary table (a CASE per row, as bulk_update writes it,
    grows with the batch); elsewhere bulk_update."""
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    by_column = {f.column: f for f in meta.concrete_fields}
    if connection.vendor != "postgresql" or len(rows) < 100:
        objects = []
        for pk, *values in rows:
            obj = model(pk=pk)
            for column, value in zip(columns, values, strict=True):
                setattr(obj, by_column[column].attname, value)
            objects.append(obj)
        model._default_manager.bulk_update(objects, [by_column[c].name for c in columns],
                                           batch_size=500)  # fmt: skip
        return
    quote = connection.ops.quote_name
    table, pk_column = quote(meta.db_table), quote(meta.pk.column)
    temp = quote(f"import_{meta.db_table}")
    selected = ", ".join([pk_column, *(quote(c) for c in columns)])
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {temp} ON COMMIT DROP AS "
                       f"SELECT {selected} FROM {table} WITH NO DATA")  # fmt: skip
        adapt = [None, *(_sql_value(by_column[c], connection) for c in columns)]
        with cursor.cursor.copy(f"COPY {temp} ({selected}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([a(v) if a else v for a, v in zip(adapt, row, strict=True)])
        assignments = ", ".join(f"{quote(c)} = new.{quote(c)}" for c in columns)
        cursor.execute(f"UPDATE {table} AS t SET {assignments} FROM {temp} AS new "
                       f"WHERE t.{pk_column} = new.{pk_column}")  # fmt: skip
        cursor.execute(f"DROP TABLE {temp}")


def _prep_value(field, connection, value):
    return field.get_db_prep_save(value, connection)


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
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        # The common case, a plain ISO date, in C; anything odd goes the long way for its message.
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
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
        raise ValueError(f"Onbekende waarde; kies uit: {', '.join(allowed)}.")
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


# --- reading files ------------------------------------------------------------------------------


TEXT, IDENTIFIER, DATE = "text", "identifier", "date"


@dataclass(frozen=True)
class Column:
    """A file column. `kind` tells the XLSX reader how to turn a typed cell into text:
    an IDENTIFIER held in a number cell is written without decimals and, with `digits` (a code of
    fixed length: BSN 9, AGB 8, KvK 8), given back the leading zeros Excel dropped; a DATE may
    come as a date cell or as an Excel day number. `masked` values (a BSN: a typo of a real
    one is still personal data) never appear in a report."""

    name: str
    required: bool = True  # the column must be present in the header (values may still be empty)
    kind: str = TEXT
    digits: int | None = None
    masked: bool = False

    def __post_init__(self):
        if self.name == "bsn":  # whatever an importer declares, a BSN is never echoed
            object.__setattr__(self, "masked", True)

    def mask(self, value: str) -> str:
        """A reported value: as it is, or for a masked column only its last four characters
        (enough to find the line, too few to name anyone; short values are hidden whole)."""
        if not self.masked or not value:
            return value
        if len(value) < 8:
            return "*" * len(value)
        return "*" * (len(value) - 4) + value[-4:]


def _cell_to_str(value, column: Column | None = None) -> str:
    """A cell of an XLSX sheet as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    kind = column.kind if column else TEXT
    if kind == DATE and isinstance(value, int | float):
        return _excel_day(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and kind == IDENTIFIER and column.digits and value >= 0:
        return f"{value:0{column.digits}d}"
    return str(value).strip()


def _excel_day(serial: float) -> str:
    """An Excel day number (a date cell formatted as a number) as an ISO date; a number that is
    no plausible day stays as it is, so the date parser reports it."""
    from openpyxl.utils.datetime import from_excel

    if not 1 <= serial < 2_958_466:  # 9999-12-31, Excel's last day
        return str(serial)
    return from_excel(serial).date().isoformat()


def is_xlsx(data: bytes, filename: str = "") -> bool:
    return filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"


def sniff_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def read_rows(data: bytes, filename: str = "", columns: Iterable[Column] = ()
              ) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:  # fmt: skip
    """(header, iterator of (line number, cells)) for CSV or XLSX bytes; header names are
    lower-cased and stripped. `columns` say how XLSX cells of those columns become text.
    Raises ImportFileError for an unreadable file."""
    if is_xlsx(data, filename):
        return _read_xlsx(data, {c.name: c for c in columns})
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


def _read_xlsx(data: bytes, columns: dict[str, Column]):
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
    by_position = [columns.get(name) for name in header]

    def rows():
        for index, cells in enumerate(iterator, start=2):
            yield index, [_cell_to_str(c, by_position[i] if i < len(by_position) else None)
                          for i, c in enumerate(cells)]  # fmt: skip
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
        self._by_name = {c.name: c for c in self.columns_}

    # hooks ----------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Load the code tables once before validation (one query per table)."""

    def validate_row(self, row: dict[str, str]) -> dict:
        raise NotImplementedError

    def check_stored(self, rows: list[tuple[int, dict]]) -> Iterable[tuple[int, RowError]]:
        """After every row passed `validate_row`: (line, error) for rows that clash with what
        is stored (a rule that needs the existing record), read in bulk. Default: none."""
        return ()

    def save(self, cleaned_rows: list[dict]) -> tuple[int, int, int]:
        """Write the cleaned rows; return (created, updated, unchanged). Default: upsert."""
        return self.upsert(cleaned_rows)

    def written(self, created: list[tuple], updated: list[tuple]) -> None:
        """Called by `upsert` after each batch it wrote: `created` as (pk, values) and `updated`
        as (pk, stored values, new values, changed attribute names); values are dicts of
        attribute name (`district_id`, not `district`) → value. Default: nothing."""

    def saved(self, result: ImportResult, filename: str) -> None:
        """Called after a successful save, inside its transaction: importers of person-level
        data write their audit-trail line here. Default: nothing."""

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
        Values are compared field by field with the stored ones (read as plain tuples, not
        instances), so importing the same file twice changes nothing. Every row has the same
        keys in the same order: field names (a related instance) or attribute names
        (`client_id`: its pk). New rows go by COPY
        with ids drawn beforehand on PostgreSQL, changed ones by one joined UPDATE per batch."""
        if not cleaned_rows:
            return 0, 0, 0
        model = self.model
        meta = model._meta
        names = list(cleaned_rows[0])
        fields = [meta.get_field(name) for name in names]
        attnames = [f.attname for f in fields]
        as_pk = [f.is_relation and name != f.attname for name, f in zip(names, fields, strict=True)]
        key_at = attnames.index(meta.get_field(self.id_field).attname)
        connection = connections[router.db_for_write(model)]
        size = batch_size(connection)
        created = updated = unchanged = 0
        for start in range(0, len(cleaned_rows), size):
            chunk = [
                tuple(v.pk if pk and v is not None else v
                      for v, pk in zip(row.values(), as_pk, strict=True))
                for row in cleaned_rows[start : start + size]
            ]  # fmt: skip
            stored = {
                values[key_at + 1]: values
                for values in fetch_by_keys(
                    model, self.id_field, [values[key_at] for values in chunk], ["pk", *attnames]
                )  # fmt: skip
            }
            new_rows, changed_rows, changed_at = [], [], set()
            for values in chunk:
                old = stored.get(values[key_at])
                if old is None:
                    new_rows.append(values)
                    continue
                dirty = [i for i, value in enumerate(values) if value != old[i + 1]]
                if dirty:
                    changed_rows.append((old, values, dirty))
                    changed_at.update(dirty)
                else:
                    unchanged += 1
            pks = self._create(new_rows, attnames) if new_rows else []
            if changed_rows:
                positions = sorted(changed_at)
                update_rows(model, [fields[i].column for i in positions],
                            [(old[0], *(values[i] for i in positions))
                             for old, values, _ in changed_rows])  # fmt: skip
            created += len(new_rows)
            updated += len(changed_rows)
            if type(self).written is Importer.written:
                continue  # nobody listens: skip building the dicts
            self.written(
                [(pk, dict(zip(attnames, values, strict=True)))
                 for pk, values in zip(pks, new_rows, strict=True)],
                [(old[0], dict(zip(attnames, old[1:], strict=True)),
                  dict(zip(attnames, values, strict=True)), [attnames[i] for i in dirty])
                 for old, values, dirty in changed_rows],
            )  # fmt: skip
        return created, updated, unchanged

    def _create(self, rows: list[tuple], attnames: list[str]) -> list:
        """Insert new rows (attribute values in `attnames` order); return their pks."""
        model = self.model
        pks = next_ids(model, len(rows)) if len(rows) >= 100 else None
        if pks is None:
            objects = [model(**dict(zip(attnames, values, strict=True))) for values in rows]
            model._default_manager.bulk_create(objects)
            return [obj.pk for obj in objects]
        # The fields the file does not fill get their defaults (one value per row where the
        # default is callable), so a COPY row equals what bulk_create writes; given values that
        # the driver cannot take as they are (JSON, choices) go through their field.
        connection = connections[router.db_for_write(model)]
        meta = model._meta
        given = [meta.get_field(attname) for attname in attnames]
        convert = [None if isinstance(f, _PLAIN) and not f.choices
                   else partial(_prep_value, f, connection) for f in given]  # fmt: skip
        rest = [f for f in meta.concrete_fields if not f.primary_key and f not in given]
        defaults = [_copy_value(f, connection) for f in rest]
        per_row = any((f.has_default() and callable(f.default)) or getattr(f, "auto_now", False)
                      or getattr(f, "auto_now_add", False) for f in rest)  # fmt: skip
        constant = [get(model()) for get in defaults]
        columns = [meta.pk.column, *(f.column for f in given), *(f.column for f in rest)]

        converting = any(convert)

        def copy():
            for pk, values in zip(pks, rows, strict=True):
                if converting:
                    values = [c(v) if c else v for c, v in zip(convert, values, strict=True)]
                yield (pk, *values, *([get(model()) for get in defaults] if per_row else constant))

        _copy(model, columns, copy())
        return pks

    # the run ---------------------------------------------------------------------------------
    def run(self, data: bytes, filename: str = "", dry_run: bool = False) -> ImportResult:
        result = ImportResult(dry_run=dry_run)
        try:
            header, rows = read_rows(data, filename, self.columns_)
            self.check_header(header)
        except ImportFileError as exc:
            result.problems.append(ImportProblem(1 if exc.column else 0, exc.column, "",
                                                 exc.message))  # fmt: skip
            return result
        self.prepare()
        cleaned_rows: list[tuple[int, dict]] = []
        seen: dict[str, int] = {}
        index = {name: position for position, name in enumerate(header)}
        wanted = [c.name for c in self.columns_ if c.name in index]
        absent = [c.name for c in self.columns_ if c.name not in index]
        for line, cells in rows:
            if not any(cells):
                continue
            row = {name: (cells[index[name]] if index[name] < len(cells) else "")
                   for name in wanted}  # fmt: skip
            for name in absent:
                row[name] = ""
            result.rows += 1
            key = row.get(self.id_column, "")
            if key and key in seen:
                result.problems.append(ImportProblem(
                    line, self.id_column, self._reported(self.id_column, key),
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
                cleaned_rows.append((line, cleaned))
        if result.rows == 0 and not result.problems:
            result.problems.append(
                ImportProblem(0, "", "", "Het bestand bevat geen gegevensrijen.")
            )
        if cleaned_rows:
            # Rules that need the stored records, for every row that passed on its own, so the
            # report lists these problems too even when other rows already failed.
            cleaned_at = dict(cleaned_rows)
            found = [self._problem(line, {k: v for k, v in cleaned_at[line].items()
                                          if isinstance(v, str)}, error)
                     for line, error in self.check_stored(cleaned_rows)]  # fmt: skip
            if found:
                result.problems = sorted([*result.problems, *found], key=lambda p: p.line)
        if result.problems or dry_run:
            return result
        with transaction.atomic():
            result.created, result.updated, result.unchanged = self.save(
                [cleaned for _, cleaned in cleaned_rows]
            )
            self.saved(result, filename)
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

    def _reported(self, column: str, value: str) -> str:
        declared = self._by_name.get(column)
        return declared.mask(value) if declared else value

    def _problem(self, line: int, row: dict, error: RowError) -> ImportProblem:
        value = error.value if error.value is not None else row.get(error.column, "")
        return ImportProblem(line, error.column, self._reported(error.column, value),
                             error.message)  # fmt: skip


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

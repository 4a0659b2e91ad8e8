"""The one CSV/XLSX importer framework (see domain/INTERCHANGE.md).

A concrete importer declares its columns and turns one row into cleaned values; this module
does the rest, identically for the command line and the background job of an upload:

- applies the limits of the whole file before parsing (`limits`, `reading.inspect_file`), then
  streams the rows from disk (`reading`): CSV in UTF-8 (a BOM is fine), `,` or `;` sniffed from
  the header line, or XLSX in read-only mode;
- checks the header (a Dutch error naming every missing required column); an optional column
  (`Column(required=False)`) that the file leaves out sets nothing: the values `validate_row`
  derives from it are left out of the rows saved, so the stored ones stay;
- first pass: validates every row, collecting an `ImportProblem` per bad value (a cell beyond a
  limit, a row that does not fit the header, a duplicate id, whatever `validate_row` says), and
  keeps in memory only what that needs (the ids seen, a batch for `check_stored`);
- writes nothing when any problem exists; otherwise a second pass reads the file again and
  upserts batch by batch inside one transaction on the id column, counting created / updated /
  unchanged rows — the same file twice changes nothing. A dry run counts the same way and
  writes nothing.

Writing a new importer::

    class ComplaintImporter(Importer):
        kind = "complaints"
        model = Complaint
        id_column = "complaint_id"            # the file's key column ...
        id_field = "external_id"              # ... and the model field it fills
        columns = ["complaint_id", "provider_agb", Column("received_date", kind=DATE),
                   Column("resolved_date", required=False, kind=DATE)]
        field_columns = {"received_on": "received_date"}   # model errors → file column

        def prepare(self):                   # once: one query per code table
            self.providers = self.code_table(Provider, "agb_code")

        def validate_row(self, row):         # raise RowError(column, message) or collect
            errors = RowErrors()
            provider = errors.lookup(self.providers, row, "provider_agb", "Onbekende AGB-code.")
            received = errors.call(parse_date, row, "received_date", required=True)
            errors.raise_if_any()
            return {"external_id": row["complaint_id"], "provider": provider, "received_on": received}

`validate_row` runs twice per row (once to check, once to write), so it must not write or keep
per-row state. `save(cleaned_rows)` upserts by default, once per batch; override it for M2M
fields or derived records.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.dispatch import Signal
from django.utils import timezone

from wmo.periods import Quarter
from wmo.periods.fields import PeriodField

from .database import (
    _PLAIN,
    _copy,
    _copy_value,
    _prep_value,
    batch_size,
    fetch_by_keys,
    next_ids,
    stamp_versions,
    update_rows,
)
from .layout import DELIMITER_NAMES, Layout
from .limits import (
    MAX_CELL_CHARS,
    MAX_ID_CHARS,
    MAX_ROWS,
    FileRefused,
    cell_problem,
    shown,
    thousands,
)
from .parsing import dates_until
from .problems import (
    ImportFileError,
    ImportProblem,
    ImportResult,
    RowError,
    RowErrors,
    model_errors,
    refusal,
)
from .reading import IDENTIFIER, Column, open_source, open_table

logger = logging.getLogger("wmo.imports")

CHECK, SAVE = "check", "save"
"""The two passes, as `progress(stage, rows, fraction)` names them."""
PROGRESS_EVERY = 1_000
"""Rows between two progress reports while checking."""
CHECK_STORED_BATCH = 5_000
"""Valid rows handed to `check_stored` at once."""
Progress = Callable[[str, int, "float | None"], None]

imported = Signal()
"""Sent by every successful import (not a dry run) inside its transaction, after
`on_successful_import` and before the job is marked done, with `importer` and `result`.
`result.touched` lists the quarters the written rows count in (`Importer.touch`); a receiver may
add a sentence to `result.notes`, which the summary shows (the indicators queue a recompute of
those quarters and their half-years and years, and say so there)."""


def _quarter_number(day) -> int:
    return day.year * 4 + (day.month - 1) // 3


class Importer:
    """Base class: subclasses set `columns`, `id_column`, `model`, `id_field` and implement
    `validate_row`; `run(source, filename)` does the rest."""

    title: str = "Import"
    kind: str = ""
    """A short name of what the file holds (`referrals`), stored with an upload's job."""
    columns: list[str | Column] = []
    id_column: str = ""
    model: type[models.Model] | None = None
    id_field: str = ""
    field_columns: dict[str, str] = {}
    """Model field name → file column, to report a model's ValidationError on the right column."""

    def __init__(self, user=None, address: str | None = None):
        # Who imports, and from which address (an upload's): the audit trail names both.
        self.user = user
        self.address = address
        self.dry_run = False
        self.columns_ = [c if isinstance(c, Column) else Column(c) for c in self.columns]
        self._by_name = {c.name: c for c in self.columns_}
        self._spans: set[tuple[int, int]] = set()
        self.absent_columns: frozenset[str] = frozenset()
        """The optional columns the file being imported leaves out (set once its header is read)."""

    def touch(self, first, last=None) -> None:
        """Record that what the import wrote counts from day `first` to day `last` (None: still
        open, so up to today), e.g. a referral's care interval before or after the import. The
        quarters touched end up in `result.touched`; call it from `save` or `written`."""
        if first is None:
            return
        today = timezone.localdate()
        last = today if last is None or last > today else last
        self._spans.add((_quarter_number(first), _quarter_number(max(first, last))))

    def touched_quarters(self) -> list[Quarter]:
        numbers = {n for first, last in self._spans for n in range(first, last + 1)}
        return [Quarter(n // 4, n % 4 + 1) for n in sorted(numbers)]

    # hooks ----------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Load the code tables once before validation (one query per table)."""

    def validate_row(self, row: dict[str, str]) -> dict:
        raise NotImplementedError

    def check_stored(self, rows: list[tuple[int, dict]]) -> Iterable[tuple[int, RowError]]:
        """After rows passed `validate_row`: (line, error) for rows that clash with what is
        stored (a rule that needs the existing record), read in bulk. Called per batch of valid
        rows while checking. Default: none."""
        return ()

    def warnings_for(self, rows: list[tuple[int, dict]]) -> Iterable[tuple[int, RowError]]:
        """Like `check_stored`, for rows that are saved all the same but listed in the report
        as a warning. Default: none."""
        return ()

    def start_saving(self) -> None:
        """Once, inside the transaction, before the first batch is saved."""

    def save(self, cleaned_rows: list[dict]) -> tuple[int, int, int]:
        """Write one batch of cleaned rows (in file order, each batch inside the import's one
        transaction); return (created, updated, unchanged). In a dry run (`self.dry_run`) count
        them only. Default: upsert, once per set of keys (rows differ in them only when
        `decided_without_column` keeps a value of an absent column for some rows)."""
        same_keys: dict[tuple, list[dict]] = {}
        for row in cleaned_rows:
            same_keys.setdefault(tuple(row), []).append(row)
        counts = [self.upsert(rows) for rows in same_keys.values()]
        return tuple(sum(column) for column in zip(*counts, strict=True)) if counts else (0, 0, 0)

    def written(self, created: list[tuple], updated: list[tuple]) -> None:
        """Called by `upsert` after each batch it wrote: `created` as (pk, values) and `updated`
        as (pk, stored values, new values, changed attribute names); values are dicts of
        attribute name (`district_id`, not `district`) → value. Default: nothing."""

    @staticmethod
    def before_and_after(created: list[tuple], updated: list[tuple]) -> list[dict]:
        """The values of `written`'s rows as they were and are: the new rows, and each changed
        row before and after (the quarters it counted in, and counts in now)."""
        return [values for _pk, values in created] + [
            values for _pk, old, new, _changed in updated for values in (old, new)
        ]

    def on_successful_import(self, result: ImportResult, filename: str) -> None:
        """THE place every successful import passes, command and upload job alike: inside its
        transaction, after the last batch is written and just before it commits (not in a dry
        run, not when the file was refused). Whatever must hold exactly when the import holds —
        the audit trail's record of it — belongs here."""
        user = getattr(self.user, "username", "") or "opdrachtregel"
        logger.info("Import %s (%s) door %s: %s", self.kind or type(self).__name__, filename,
                    user, result.summary)  # fmt: skip

    # helpers for subclasses ----------------------------------------------------------------
    @staticmethod
    def code_table(model: type[models.Model], code_field: str, queryset=None) -> dict:
        """{code: instance} for a whole code table, in one query."""
        queryset = model._default_manager.all() if queryset is None else queryset
        return {getattr(obj, code_field): obj for obj in queryset}

    def model_errors(self, error: ValidationError) -> RowErrors:
        """A model's ValidationError as RowErrors on the file's columns."""
        return model_errors(self.model, error, self.field_columns, self.column_names)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns_]

    def upsert(self, cleaned_rows: list[dict]) -> tuple[int, int, int]:
        """Create or update `model` rows keyed on `id_field`; unchanged rows are not written.
        Values are compared field by field with the stored ones (read as plain tuples, not
        instances), so importing the same file twice changes nothing. Every row has the same
        keys in the same order: field names (a related instance) or attribute names
        (`client_id`: its pk). New rows go by COPY
        with ids drawn beforehand on PostgreSQL, changed ones by one joined UPDATE per batch.
        In a dry run the rows are only counted; a versioned model's are stamped (`stamp_versions`)."""
        if not cleaned_rows:
            return 0, 0, 0
        model = self.model
        meta = model._meta
        names = list(cleaned_rows[0])
        fields = [meta.get_field(name) for name in names]
        attnames = [f.attname for f in fields]
        as_pk = [f.is_relation and name != f.attname for name, f in zip(names, fields, strict=True)]
        key_at = attnames.index(meta.get_field(self.id_field).attname)
        # A period comes back as text from PostgreSQL's cursor but as a Period through the ORM
        # (SQLite): compared as text, so an unchanged row is unchanged on both.
        period_at = {i + 1 for i, f in enumerate(fields) if isinstance(f, PeriodField)}
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
                if period_at:
                    old = tuple(str(v) if i in period_at and v is not None else v
                                for i, v in enumerate(old))  # fmt: skip
                dirty = [i for i, value in enumerate(values) if value != old[i + 1]]
                if dirty:
                    changed_rows.append((old, values, dirty))
                    changed_at.update(dirty)
                else:
                    unchanged += 1
            if self.dry_run:  # counted as a real import would, nothing written
                created += len(new_rows)
                updated += len(changed_rows)
                continue
            pks = self._create(new_rows, attnames) if new_rows else []
            if changed_rows:
                positions = sorted(changed_at)
                update_rows(model, [fields[i].column for i in positions],
                            [(old[0], *(values[i] for i in positions))
                             for old, values, _ in changed_rows])  # fmt: skip
            stamp_versions(model, pks, [old[0] for old, _, _ in changed_rows], self.user)
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
    def run(self, source, filename: str = "", dry_run: bool = False,
            progress: Progress | None = None,
            before_commit: Callable[[ImportResult], None] | None = None) -> ImportResult:  # fmt: skip
        """Import a file: `source` is a path on disk (or an open binary file, or bytes). Returns
        the result; raises only for faults that are not the file's (the database went away).
        `progress(stage, rows, fraction)` hears how far it is; `before_commit(result)` runs
        inside the transaction of a successful import, just before it commits."""
        result = ImportResult(dry_run=dry_run)
        self.dry_run = dry_run
        self._spans = set()
        with open_source(source) as (file, size), dates_until(timezone.localdate()):
            try:
                table = open_table(file, size, filename, self.columns_)
                try:
                    self.check_header(table.header, table.other_delimiter)
                except ImportFileError:
                    table.close()
                    raise
                self.absent_columns = frozenset(self.column_names) - set(table.header)
            except FileRefused as exc:
                result.add(ImportProblem(0, "", "", exc.message))
                return result
            except ImportFileError as exc:
                result.add(exc.problem())
                return result
            self.prepare()
            self._check(table, result, progress)
            if result.ok and result.rows == 0:
                result.add(ImportProblem(0, "", "", "Het bestand bevat alleen een kopregel, "
                                                    "geen gegevensrijen."))  # fmt: skip
            if not result.ok:
                return result
            table = open_table(file, size, filename, self.columns_, unpack=False)
            self._save(table, result, filename, progress, before_commit)
        return result

    def _layout(self, header: list[str]) -> Layout:
        index: dict[str, int] = {}
        for position, name in enumerate(header):
            index.setdefault(name, position)
        limits, short = {}, []
        # The id field's own length and rules: a longer or other id could never be stored.
        id_field = (
            self.model._meta.get_field(self.id_field) if self.model and self.id_field else None
        )
        for column in self.columns_:
            if column.name == self.id_column:
                limit = min(MAX_ID_CHARS, getattr(id_field, "max_length", None) or MAX_ID_CHARS)
                limits[column.name] = (limit, f"een {column.name}")
            elif column.kind == IDENTIFIER:
                limits[column.name] = (MAX_ID_CHARS, f"een {column.name}")
            else:
                limits[column.name] = (MAX_CELL_CHARS, "een cel")
            if limits[column.name][0] < MAX_CELL_CHARS:
                short.append((column.name, *limits[column.name]))
        return Layout(
            header=header,
            positions=[(c.name, index[c.name]) for c in self.columns_ if c.name in index],
            absent=[c.name for c in self.columns_ if c.name not in index],
            width=len(header), limits=limits, short=short,
            id_rules=[rule for rule in getattr(id_field, "validators", ())
                      if not isinstance(rule, MaxLengthValidator)],
        )  # fmt: skip

    def _check(self, table, result: ImportResult, progress: Progress | None) -> None:
        """The first pass: every row validated, nothing written."""
        layout = self._layout(table.header)
        id_column = self.id_column
        seen: dict[str, int] = {}
        pending: list[tuple[int, dict]] = []
        try:
            for line, cells, checked in table.rows():
                if not any(cells):
                    continue
                if result.rows == MAX_ROWS:
                    result.refuse(ImportProblem(line, "", "", (
                        f"Het bestand heeft meer dan {thousands(MAX_ROWS)} gegevensrijen (grens: "
                        f"{thousands(MAX_ROWS)} per bestand). Splits het in kleinere bestanden."
                    )))  # fmt: skip
                    break
                result.rows += 1
                if progress and result.rows % PROGRESS_EVERY == 0:
                    progress(CHECK, result.rows, table.fraction())
                misfit = layout.misfit(line, cells, table.delimiter)
                if misfit:
                    result.add(misfit)
                    continue
                row = layout.row(cells)
                failed = self._limit_problems(line, row, checked, layout, result)
                key = row.get(id_column, "")
                if key and id_column not in failed and (message := refusal(layout.id_rules, key)):
                    failed.add(id_column)
                    result.add(ImportProblem(line, id_column, self._reported(id_column, key),
                                             message))  # fmt: skip
                if key and id_column not in failed:
                    first = seen.get(key)
                    if first is not None:
                        result.add(ImportProblem(
                            line, id_column, self._reported(id_column, key),
                            f"Deze waarde staat ook op regel {first}; elke {id_column} mag maar "
                            "één keer in het bestand voorkomen.",
                        ))  # fmt: skip
                        continue
                    seen[key] = line
                cleaned = self._validated(line, row, failed, result)
                if cleaned is not None and not failed:
                    pending.append((line, cleaned))
                    if len(pending) >= CHECK_STORED_BATCH:
                        self._check_stored(pending, result)
                        pending = []
        except ImportFileError as exc:
            result.refuse(exc.problem())
        if pending:
            self._check_stored(pending, result)
        if progress:
            progress(CHECK, result.rows, 1.0)
        # `check_stored` reports a batch after the rows that follow it were checked; why the
        # reading stopped stays first.
        result.problems.sort(key=lambda problem: (problem is not result.refusal, problem.line))

    def _limit_problems(self, line: int, row: dict, checked: bool, layout: Layout,
                        result: ImportResult) -> set[str]:  # fmt: skip
        """The columns whose cell breaks a limit, each reported once; the importer's own
        problems with such a cell are left out (the limit is the cause)."""
        failed: set[str] = set()
        if checked:  # no cell longer than a cell may be, no control character: only ids
            for name, limit, what in layout.short:
                value = row[name]
                if len(value) > limit:
                    failed.add(name)
                    result.add(ImportProblem(line, name, self._reported(name, value),
                                             cell_problem(value, limit, what)))  # fmt: skip
            return failed
        for name, value in row.items():
            limit, what = layout.limits[name]
            message = cell_problem(value, limit, what)
            if message:
                failed.add(name)
                result.add(ImportProblem(line, name, self._reported(name, value), message))
        return failed

    def _validated(self, line: int, row: dict, failed: set[str], result: ImportResult):
        try:
            return self.validate_row(row)
        except RowError as exc:
            errors = [exc]
        except RowErrors as exc:
            errors = exc.errors
        except ValidationError as exc:
            errors = self.model_errors(exc).errors
        result.extend(self._problem(line, row, e) for e in errors if e.column not in failed)
        return None

    def _check_stored(self, rows: list[tuple[int, dict]], result: ImportResult) -> None:
        # Rules that need the stored records, for every row that passed on its own, so the
        # report lists these problems too even when other rows already failed.
        at = dict(rows)
        result.extend(
            self._problem(line, {k: v for k, v in at[line].items() if isinstance(v, str)}, error)
            for line, error in self.check_stored(rows)
        )
        for line, warning in self.warnings_for(rows):
            result.warn(self._problem(line, {}, warning))

    def _save(self, table, result: ImportResult, filename: str, progress: Progress | None,
              before_commit) -> None:  # fmt: skip
        """The second pass: the rows validated again (nothing of the first pass is kept) and
        saved batch by batch, all in one transaction; a dry run rolls it back."""
        layout = self._layout(table.header)
        left_out = self._left_out()
        alias = router.db_for_write(self.model) if self.model else DEFAULT_DB_ALIAS
        size = batch_size(connections[alias])
        done = 0

        def flush(batch):
            created, updated, unchanged = self.save(batch)
            result.created += created
            result.updated += updated
            result.unchanged += unchanged
            if progress:
                progress(SAVE, done + len(batch), (done + len(batch)) / result.rows)
            return len(batch)

        with transaction.atomic(using=alias):
            self.start_saving()
            batch: list[dict] = []
            for _, cells, _ in table.rows():
                if not any(cells):
                    continue
                values = self.validate_row(layout.row(cells))
                if left_out:
                    decided = self.decided_without_column(values)
                    values = {key: value for key, value in values.items()
                              if key not in left_out or key in decided}  # fmt: skip
                batch.append(values)
                if len(batch) >= size:
                    done += flush(batch)
                    batch = []
            if batch:
                done += flush(batch)
            if self.dry_run:
                transaction.set_rollback(True, using=alias)
                return
            result.touched = self.touched_quarters()
            self.on_successful_import(result, filename)
            imported.send(sender=type(self), importer=self, result=result)
            if before_commit:
                before_commit(result)

    def decided_without_column(self, values: dict) -> set[str]:
        """The keys of a row's values that hold even when their optional column is absent,
        because the row's other values decide them (a survey response about a voorziening has
        no buurtteam, whatever was stored)."""
        return set()

    def _left_out(self) -> set[str]:
        """The keys of the saved values that an absent optional column would set: its own name
        (or `name_id`) and the model fields `field_columns` maps to it. Without the column the
        file says nothing about them, and an empty value would reset what is stored (a file
        without `pilot` unmarking every pilot referral)."""
        fields_of: dict[str, set[str]] = {}
        for field_name, column in self.field_columns.items():
            fields_of.setdefault(column, set()).add(field_name)
        return {key for name in self.absent_columns
                for key in (name, f"{name}_id", *fields_of.get(name, ()))}  # fmt: skip

    def check_header(self, header: list[str], other_delimiter: str | None = None) -> None:
        expected = ", ".join(self.column_names)
        if not header:
            raise ImportFileError(f"De kopregel is leeg. Verwacht: {expected}.", line=1)
        twice = sorted(
            {name for name in header if name in self._by_name and header.count(name) > 1}
        )
        if twice:
            names = ", ".join(f"'{name}'" for name in twice)
            raise ImportFileError(f"De kopregel noemt {names} meer dan één keer.",
                                  column=", ".join(twice))  # fmt: skip
        missing = [c.name for c in self.columns_ if c.required and c.name not in header]
        if not missing:
            return
        names = ", ".join(f"'{m}'" for m in missing)
        noun = "kolom" if len(missing) == 1 else "kolommen"
        if len(header) == 1 and len(self.columns_) > 1:
            found = (f"het bestand is gescheiden door {DELIMITER_NAMES[other_delimiter]}"
                     if other_delimiter else "staat er wel een komma of puntkomma tussen de namen?")  # fmt: skip
            raise ImportFileError(
                f"De kopregel bestaat uit één kolom ('{shown(header[0])}'): {found}. Gebruik een "
                f"komma (,) of puntkomma (;) als scheidingsteken. Verwacht: {expected}.",
                line=1,
            )
        raise ImportFileError(f"De kopregel mist de {noun} {names}. Verwacht: {expected}.",
                              column=", ".join(missing))  # fmt: skip

    def _reported(self, column: str, value: str) -> str:
        declared = self._by_name.get(column)
        return shown(declared.mask(value) if declared else value)

    def _problem(self, line: int, row: dict, error: RowError) -> ImportProblem:
        value = error.value if error.value is not None else row.get(error.column, "")
        return ImportProblem(line, error.column, self._reported(error.column, value),
                             error.message)  # fmt: skip

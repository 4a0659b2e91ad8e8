"""Bulk reads and writes for importers and demo data: look-ups by key, COPY on PostgreSQL,
joined updates, ids drawn from the sequence. Plain functions on a model, no importer state."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, models, router

from wmo.versions import count_up, stamps

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


def stamp_versions(model, created: list, updated: list, user) -> None:
    """Stamp the rows an import wrote as a form save does, when `model` is versioned (has a
    `version` field, wmo.versions.Versioned or the budget cells): a changed row's version goes
    up by one (wmo.versions.count_up), and new rows get who and when where the model keeps them.
    Without this an edit page opened before the import would save its stale values over the
    import without the version conflict it gets after any other change."""
    if "version" not in {f.name for f in model._meta.concrete_fields}:
        return
    rows = model._base_manager.order_by()
    # One moment and author for the whole import, as before the chunks: computed once.
    stamped = stamps(model, user)
    for start in range(0, len(updated), CHUNK):
        count_up(rows.filter(pk__in=updated[start : start + CHUNK]), user, **stamped)
    for start in range(0, len(created), CHUNK) if stamped else ():
        rows.filter(pk__in=created[start : start + CHUNK]).update(**stamped)


def _prep_value(field, connection, value):
    return field.get_db_prep_save(value, connection)


_PLAIN = (models.CharField, models.TextField, models.DateField, models.BooleanField,
          models.IntegerField, models.DecimalField, models.ForeignKey, models.UUIDField)  # fmt: skip


def _copy_value(field, connection):
    """How to read a field's database value from an instance: the attribute itself where the
    database adapter takes it as it is (most columns), else the field's own conversion."""
    # A field with a Python type of its own (from_db_value: a Period, say) converts it back.
    special = (field.choices or getattr(field, "auto_now", False)
               or getattr(field, "auto_now_add", False) or hasattr(field, "from_db_value"))  # fmt: skip
    if isinstance(field, _PLAIN) and not special:
        attname = field.attname
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)

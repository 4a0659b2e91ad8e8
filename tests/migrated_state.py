"""The rows the migrations leave in a fresh test database (reference data: wijken, groups,
service types, norms, the tender, the baseline; content types and permissions), kept per test
process and put back when a transactional test's flush has emptied them.

A transactional test (live server, real Celery worker) ends with a flush that empties every
table. Loading the reference data again through its loaders (get_or_create, row by row) or
Django's serialized rollback (deserializing every object) took about half a second per test,
each; copying some 600 rows back takes a few milliseconds, and gives exactly what the
migrations gave, ids included."""

import io

from django.db import connection, transaction


class MigratedState:
    def __init__(self):
        # table -> (columns, rows); rows as PostgreSQL COPY text, or tuples on SQLite.
        self.tables: dict[str, tuple[list[str], object]] = {}

    def take(self) -> None:
        self.tables.clear()
        with connection.cursor() as cursor:
            for table in connection.introspection.django_table_names(only_existing=True):
                cursor.execute(f"SELECT 1 FROM {quoted(table)} LIMIT 1")
                if cursor.fetchone() is None:
                    continue
                columns = columns_of(cursor, table)
                self.tables[table] = (columns, read_rows(cursor, table, columns))

    def restorable(self) -> bool:
        """Whether the rows can be put back: taken, and every table there (not while a
        migration test has the database on an older schema, where tables may be missing)."""
        return bool(self.tables) and set(self.tables) <= set(connection.introspection.table_names())

    def _filled(self) -> list[str]:
        """The tables with rows, in one query."""
        probe = " UNION ALL ".join(
            f"SELECT {i} FROM (SELECT 1 FROM {quoted(table)} LIMIT 1) AS t{i}"
            for i, table in enumerate(self.tables)
        )
        names = list(self.tables)
        with connection.cursor() as cursor:
            cursor.execute(probe)
            return [names[i] for (i,) in cursor.fetchall()]

    def put_back(self) -> None:
        """If a table the migrations filled is empty (a flush ran): empties the tables that
        have rows (none after a flush, unless its post_migrate ran: that makes content types
        and permissions anew, with other ids) and copies the migrated rows back; the foreign
        keys are checked at commit, so the order does not matter."""
        from django.contrib.contenttypes.models import ContentType

        if not self.restorable():
            return
        filled = self._filled()
        if len(filled) == len(self.tables):
            return
        with transaction.atomic(), connection.cursor() as cursor:
            if filled and connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {', '.join(quoted(t) for t in filled)} CASCADE")
            else:
                for table in filled:
                    cursor.execute(f"DELETE FROM {quoted(table)}")
            for table, (columns, rows) in self.tables.items():
                write_rows(cursor, table, columns, rows)
        ContentType.objects.clear_cache()


def columns_of(cursor, table: str) -> list[str]:
    return [column.name for column in connection.introspection.get_table_description(cursor, table)]


def read_rows(cursor, table: str, columns: list[str]):
    """A table's rows: PostgreSQL COPY text (any column type, as is), or tuples on SQLite."""
    column_list = ", ".join(quoted(column) for column in columns)
    if connection.vendor == "postgresql":
        buffer = io.BytesIO()
        with cursor.cursor.copy(f"COPY {quoted(table)} ({column_list}) TO STDOUT") as copy:
            for block in copy:
                buffer.write(block)
        return buffer.getvalue()
    cursor.execute(f"SELECT {column_list} FROM {quoted(table)}")
    return cursor.fetchall()


def write_rows(cursor, table: str, columns: list[str], rows) -> None:
    """Adds what read_rows() gave; the foreign keys are checked when the transaction ends."""
    column_list = ", ".join(quoted(column) for column in columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {quoted(table)} ({column_list}) FROM STDIN") as copy:
            copy.write(rows)
        return
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {quoted(table)} ({column_list}) VALUES ({marks})", rows)


def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


MIGRATED = MigratedState()

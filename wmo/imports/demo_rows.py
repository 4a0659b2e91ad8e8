"""Removing the previous demo rows before a new seed, without loading them.

Django's delete() collects every row (and for a referral its events) into memory first: minutes
for a million referrals. Demo rows are known by their external id's prefix, so plain SQL does:
TRUNCATE when a table holds nothing but demo rows (PostgreSQL; instant), else DELETE by prefix,
dependent tables first. Rows of users (registered through a form, an import) stay."""

from django.db import connections, router


def clear_demo_rows(model, prefix: str, dependants: list[tuple[type, str]] = ()) -> None:
    """Delete `model` rows whose external_id starts with `prefix`, and first the rows of each
    (dependent model, its foreign-key column) pointing at them."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # LIKE with a literal prefix uses the external_id pattern index; '\' escapes.
            demo = "external_id LIKE %s"
            pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE NOT {demo})", [pattern])
            if not cursor.fetchone()[0]:
                # Every parent row is a demo row, so every dependent row hangs on one.
                truncate(cursor, [d._meta.db_table for d, _ in dependants] + [model._meta.db_table])
                return
        else:
            # SQLite's LIKE ignores case; a prefix comparison does not.
            demo, pattern = f"substr(external_id, 1, {len(prefix)}) = %s", prefix
        for dependant, column in dependants:
            cursor.execute(f"DELETE FROM {quote(dependant._meta.db_table)} WHERE {quote(column)} "
                           f"IN (SELECT id FROM {table} WHERE {demo})", [pattern])  # fmt: skip
        cursor.execute(f"DELETE FROM {table} WHERE {demo}", [pattern])


def truncate(cursor, tables: list[str]) -> None:
    """TRUNCATE on PostgreSQL. Rows written earlier in the same transaction leave deferred
    foreign-key checks pending, which TRUNCATE refuses: run them first, then defer again."""
    names = ", ".join(cursor.db.ops.quote_name(t) for t in tables)
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"TRUNCATE {names}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")

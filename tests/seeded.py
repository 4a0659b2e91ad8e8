"""Demo data that many tests start from, seeded once per test process and copied back after.

`seeded("providers-2027", lambda: seed_providers(random.Random(2027)))` runs the seed the first
time, on the database as the migrations left it, and keeps what it wrote: the tables whose
content changed, as PostgreSQL COPY text. A later call on the same starting point empties those
tables and copies the rows back (ids included, so the result is the seed's to the row) in a few
milliseconds instead of seconds of ORM work (seed_providers alone: ~2.8 s, 5,700 queries). If
the starting point differs (a test wrote to those tables first) or the database is not
PostgreSQL, the seed simply runs. The tests of the seeds themselves call them directly."""

from django.db import connection, transaction

from .migrated_state import columns_of, quoted, read_rows, write_rows


class _Seeded:
    def __init__(self, result, before: dict[str, str], tables: dict[str, tuple[list[str], bytes]]):
        self.result, self.before, self.tables = result, before, tables


_SEEDED: dict[str, _Seeded] = {}


def seeded(name: str, seed):
    """What `seed()` returns, its rows written to the database either way."""
    if connection.vendor != "postgresql":
        return seed()
    known = _SEEDED.get(name)
    if known is not None and _fingerprints(known.before) == known.before:
        _copy_back(known.tables)
        return known.result
    if known is not None:
        return seed()
    before = _fingerprints(connection.introspection.django_table_names(only_existing=True))
    result = seed()
    after = _fingerprints(before)
    changed = [table for table in before if after[table] != before[table]]
    _SEEDED[name] = _Seeded(result, {t: before[t] for t in changed}, _copied(changed))
    return result


def _fingerprints(tables) -> dict[str, str]:
    """Per table an md5 of its rows in a fixed order: equal fingerprints, equal content."""
    if not tables:
        return {}
    parts = [
        f"SELECT {i}, (SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) "
        f"FROM {quoted(table)} AS r)"
        for i, table in enumerate(tables)
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        by_index = dict(cursor.fetchall())
    return {table: by_index[i] for i, table in enumerate(tables)}


def _copied(tables) -> dict[str, tuple[list[str], bytes]]:
    with connection.cursor() as cursor:
        return {table: (columns := columns_of(cursor, table), read_rows(cursor, table, columns))
                for table in tables}  # fmt: skip


def _copy_back(tables: dict[str, tuple[list[str], bytes]]) -> None:
    """The foreign keys are checked at the end of the transaction, so the order is free."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {quoted(table)}")
        for table, (columns, rows) in tables.items():
            write_rows(cursor, table, columns, rows)


def demo_providers() -> dict[str, int]:
    """The demo's providers, consortium and contracts (providers.demo, seed 2027)."""
    import random

    from providers.demo import seed_providers

    return seeded("providers-2027", lambda: seed_providers(random.Random(2027)))


def demo_providers_and_tender_links() -> None:
    """demo_providers() and the tender's links to the consortium and contract options."""
    from procurement.demo import seed_tender_links

    def seed():
        demo_providers()
        seed_tender_links()

    seeded("providers-2027-tender-links", seed)

"""The dashboards' HTML and figures, built once per selection and data version and then served
from the cache: the pages read stored values and reference data that change only when a run
finishes or someone edits them, so fifty people opening the same quarter need not build the
same tables and charts fifty times, nor the downloads of its tables build them again.

With Redis configured the cache is shared by every web process (settings CACHES), so what one
process rendered serves them all; without it (the embedded default) each process keeps its own.
The data version is part of every key, so a recompute or an edit invalidates by changing the
key: the next request misses and builds from the new values, and the old entries expire. The
version is read from the database on every request (one cheap query) rather than bumped in the
cache by every writer: an import, the admin or a plain UPDATE shows in the database at once,
without each having to remember the cache. A cache that cannot be reached counts as empty
(wmo/cache.py): the page is built, not broken."""

import hashlib

from django.core.cache import cache
from django.db import connection
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from districts.models import District
from providers.models import Provider
from wmo.catalogue.models import ServiceType
from wmo.finance.models import SpendBooking

from ..models import BaselineFigure, BudgetLine, IndicatorRun, IndicatorValue
from ..suppression import RULES_VERSION

TIMEOUT = 6 * 3600  # a safety net only: the version in the key changes with the data

# What a dashboard shows besides the stored values, as (model, fields): the names of wijken,
# services and providers (labels, filter choices), the published baseline, the budget and the
# spend bookings. Small tables, so their whole content goes into the version: an edit, a new
# row or a deleted one changes it.
FINGERPRINTED = [
    (District, ("code", "name")),
    (ServiceType, ("code", "name", "objective")),
    (Provider, ("agb_code", "name")),
    (BaselineFigure, ("year", "service", "indicator", "value", "norm", "unit", "note")),
    (BudgetLine, ("objective", "line", "year", "amount_keur")),
    (
        SpendBooking,
        ("booking_id", "quarter", "objective", "service_type", "contractor", "amount_eur"),
    ),
]


def _fingerprint(model, fields, vendor: str) -> str:
    """A scalar subquery over the table's rows: PostgreSQL returns the md5 of their text, other
    databases (SQLite, the embedded default) the text itself, hashed in Python. The rows are
    read in storage order: that order changes only when a row is written, which is when the
    version has to change anyway."""
    quote = connection.ops.quote_name
    columns = " || '|' || ".join(
        f"coalesce(CAST({quote(model._meta.get_field(name).column)} AS TEXT), '~')"
        for name in fields
    )
    table = quote(model._meta.db_table)
    if vendor == "postgresql":
        return f"(SELECT md5(coalesce(string_agg({columns}, ','), '')) FROM {table})"
    return f"(SELECT coalesce(group_concat({columns}, ','), '') FROM {table})"


def _version_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    values, runs = quote(IndicatorValue._meta.db_table), quote(IndicatorRun._meta.db_table)
    parts = [
        # A quarter's values are replaced as a whole (delete, insert): the new rows get new ids.
        f"(SELECT max(id) FROM {values})",
        f"(SELECT count(*) FROM {runs} WHERE status = %s)",
        f"(SELECT max(finished_at) FROM {runs} WHERE status = %s)",
        *[_fingerprint(model, fields, vendor) for model, fields in FINGERPRINTED],
    ]
    return "SELECT " + ", ".join(parts)


def data_version() -> str:
    """Changes whenever what a dashboard shows can change: a quarter's values replaced, a run
    finished, a wijk, service or provider renamed, added or removed, the baseline or budget
    edited, realised spend entered, changed or deleted. One query."""
    done = IndicatorRun.Status.DONE
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(connection.vendor), [done, done])
        row = cursor.fetchone()
    # The suppression rules' version too: pages cached under older rules are not served again.
    parts = [RULES_VERSION, *row]
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()


def cached(version: str, selection: str, build):
    """The cached value for `selection` (which part, who sees it, what they chose) at this data
    version, else `build()` (stored for the next request)."""
    # The language too: the cached pieces hold translated labels and headings.
    key = (
        "dashboard:"
        + hashlib.sha256(f"{version}|{get_language()}|{selection}".encode()).hexdigest()
    )
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value


def cached_html(version: str, selection: str, render) -> str:
    """`cached` for a piece of HTML that our own templates rendered (autoescaped there)."""
    return mark_safe(cached(version, selection, render))  # noqa: S308 - see docstring

"""The dashboards' figures, rendered once per selection and data version and then served from the
cache: the pages read stored values that change only when a run finishes or spend is entered, so
fifty people opening the same quarter need not build the same tables and charts fifty times."""

import hashlib

from django.core.cache import cache
from django.db import connection
from django.utils.safestring import mark_safe

from ..models import IndicatorRun, IndicatorValue, RealisedSpend

TIMEOUT = 6 * 3600  # a safety net only: the version in the key changes with the data


def data_version() -> str:
    """Changes whenever what a dashboard shows can change: a quarter's values replaced (they get
    new ids), a run finished, realised spend entered or edited. One query."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT max(id) FROM {quote(IndicatorValue._meta.db_table)}), "
            f"(SELECT count(*) FROM {quote(IndicatorRun._meta.db_table)} WHERE status = %s), "
            f"(SELECT max(entered_at) FROM {quote(RealisedSpend._meta.db_table)})",
            [IndicatorRun.Status.DONE],
        )
        return ":".join(str(part) for part in cursor.fetchone())


def cached_html(selection: str, render) -> str:
    """The cached HTML for `selection` (which part, who sees it, what they chose), else `render()`."""
    digest = hashlib.sha256(f"{data_version()}|{selection}".encode()).hexdigest()
    key = f"dashboard-html:{digest}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by our own template, autoescaped there

"""The one way a page shows that there is no value: a dash, read out as "geen waarde" and named
so on hover, the same in every table, list and tile (templates: the `or_empty` filter, a
builtin, so no template loads it; Python-built tables: `empty_marker`). Downloads stay empty: a
spreadsheet reads an empty cell as no value, a dash as text."""

import functools

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

DASH = "—"


def empty_marker() -> SafeString:
    return _marker(get_language())


# Per language: a table of 500 rows showed it hundreds of times, each built anew.
@functools.lru_cache(maxsize=16)
def _marker(language: str | None) -> SafeString:
    label = gettext("geen waarde")
    return format_html(
        '<span class="wmo-empty" title="{}"><span aria-hidden="true">{}</span>'
        '<span class="wmo-visually-hidden">{}</span></span>',
        label, DASH, label,
    )  # fmt: skip


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())

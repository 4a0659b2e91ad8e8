"""Tables rendered in Python: a dashboard holds thousands of cells, and the template engine's
per-variable lookups made them most of a page's time. Same markup as the Utrecht table.

Body cells and rows carry no classes: `utrecht-table--html-table` styles plain <tr>, <th> and
<td> the same as the BEM classes do, and with some 2,500 cells the classes were half the page's
bytes (dashboard.css gives the cells the tabular figures of `--numeric-data`). `html.escape`
gives the same text as Django's `escape` (both write `&#x27;` for a quote) without the
lazy-string check Django wraps around every call."""

from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from ..selectors import table_note
from ..suppression import MARKER


def note_marker(note: str) -> str:
    """The marker after a figure hidden to protect another: seen as `*`, read out as the note
    (the footnote under the table says the same)."""
    return (f'<sup aria-hidden="true">{escape(MARKER)}</sup>'
            f'<span class="dash-visually-hidden"> ({escape(gettext(note))})</span>')  # fmt: skip


def table_html(table: dict, waiting_list_url: str | None) -> str:
    """The <table> of a selectors table; waiting figures link to the waiting list when
    `waiting_list_url` is given (staff), never otherwise (council)."""
    head = "".join(
        f'<th scope="col" class="utrecht-table__header-cell'
        f'{" utrecht-table__header-cell--numeric-column" if index else ""}">{escape(column)}</th>'
        for index, column in enumerate(table["columns"])
    )
    note = table_note(table)
    # Inside the link: a screen reader hears where the figure leads.
    hint = gettext("naar de wachtlijst")
    hint = f'<span class="dash-visually-hidden"> — {escape(hint)}</span>'
    rows = []
    for row in table["rows"]:
        cells = []
        for cell in row["cells"]:
            content = escape(cell["text"])
            if cell.get("note"):
                content += note_marker(cell["note"])
            if waiting_list_url is not None and cell.get("drill") is not None and cell["text"]:
                href = waiting_list_url + (f"?{cell['drill']}" if cell["drill"] else "")
                content = (f'<a class="utrecht-link" href="{escape(href)}">{content}'
                           f"{hint}</a>")  # fmt: skip
            cells.append(f"<td>{content}</td>")
        rows.append(
            f'<tr data-sleutel="{escape(row["key"])}"><th scope="row">{escape(row["label"])}</th>'
            f"{''.join(cells)}</tr>"
        )
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<table class="utrecht-table utrecht-table--html-table" id="tabel-{escape(table["id"])}">'
        f'<caption class="utrecht-table__caption">{escape(table["caption"])}</caption>'
        f'<thead class="utrecht-table__header"><tr class="utrecht-table__row">{head}</tr></thead>'
        f'<tbody class="utrecht-table__body">{"".join(rows)}</tbody></table>'
        + (f'<p class="utrecht-paragraph dash-note">{escape(note)}</p>' if note else "")
    )

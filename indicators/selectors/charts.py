"""Charts and tables as plain structures: a chart's datasets, its one-sentence summary and the
table behind it; a dashboard result's tables by id; a table as rows of strings for CSV and PDF."""

from django.utils.translation import gettext

from .cells import cell_text, label_of, table_note, unit_of, with_unit


def chart_table(chart: dict) -> dict:
    """The visible-on-demand table of a chart: one row per label, one column per dataset."""
    return {
        "id": f"{chart['id']}-tabel",
        "caption": chart["title"],
        "columns": [
            chart.get("label_title") or gettext("Periode"),
            *[d["label"] for d in chart["datasets"]],
        ],
        "rows": [
            {"key": label, "label": label, "cells": [d["cells"][i] for d in chart["datasets"]]}
            for i, label in enumerate(chart.get("row_labels") or chart["labels"])
        ],  # fmt: skip
    }


def make_chart(chart_id, chart_type, title, labels, datasets, summary, label_title=None,
           marker=None, unit=""):  # fmt: skip
    label_title = label_title or gettext("Periode")
    chart = {
        "id": chart_id, "type": chart_type, "title": title, "labels": labels,
        "label_title": label_title, "unit": unit, "marker": marker, "summary": summary,
        "datasets": [
            {"label": d["label"], "cells": d["cells"], "data": [c["number"] for c in d["cells"]],
             "style": d.get("style", "")}
            for d in datasets
        ],
    }  # fmt: skip
    chart["table"] = chart_table(chart)
    return chart


def make_bar_chart(chart_id, title, table, indicator, label_title, extra=None):
    index = table["indicators"].index(indicator)
    labels = [row["label"] for row in table["rows"]]
    cells = [row["cells"][index] for row in table["rows"]]
    known = [(row["label"], c) for row, c in zip(table["rows"], cells, strict=True)
             if c["number"] is not None]  # fmt: skip
    label = label_of(indicator)
    unit = unit_of(indicator)
    if len(known) == 1:
        summary = gettext("%(label)s: alleen %(name)s heeft een waarde (%(value)s).") % {
            "label": label, "name": known[0][0], "value": with_unit(known[0][1]["text"], unit)}  # fmt: skip
    elif known:
        high = max(known, key=lambda item: item[1]["number"])
        low = min(known, key=lambda item: item[1]["number"])
        summary = gettext("%(label)s: hoogst in %(high)s (%(high_value)s), laagst in %(low)s "
                          "(%(low_value)s).") % {
            "label": label, "high": high[0], "high_value": with_unit(high[1]["text"], unit),
            "low": low[0], "low_value": with_unit(low[1]["text"], unit)}  # fmt: skip
    else:
        summary = gettext("%(label)s: geen waarden om te vergelijken.") % {"label": label}
    datasets = [{"label": label, "cells": cells}, *(extra or [])]
    return make_chart(chart_id, "bar", title, labels, datasets, summary, label_title=label_title,
                  unit=unit)  # fmt: skip


def all_tables(data: dict) -> dict[str, dict]:
    """table id -> table, for every table and chart table in a `dashboard()` result."""
    tables = {}
    for name in data.get("sections", ()):
        section = data.get(name)
        if section is None:
            continue
        if name == "trends":
            for chart in section:
                tables[chart["table"]["id"]] = chart["table"]
            continue
        if name == "objectives":
            for item in section["items"]:
                tables[item["table"]["id"]] = item["table"]
            continue
        if "table" in section:
            tables[section["table"]["id"]] = section["table"]
        for table in section.get("tables", ()):
            tables[table["id"]] = table
        for chart in section.get("charts", ()):
            tables[chart["table"]["id"]] = chart["table"]
    return tables


def table_rows(table: dict, note: bool = True) -> list[list[str]]:
    """Header and rows as the strings the page shows (for CSV and the PDF), and the footnote
    for marked figures as a last line unless `note` is False."""
    rows = [list(table["columns"])] + [
        [row["label"], *[cell_text(cell) for cell in row["cells"]]] for row in table["rows"]
    ]
    footnote = table_note(table) if note else ""
    return [*rows, [footnote]] if footnote else rows


def chart_payload(charts) -> list[dict]:
    """What dashboard.js needs to draw: numbers only, no display strings."""
    return [
        {
            "id": chart["id"], "type": chart["type"], "labels": chart["labels"],
            "unit": chart["unit"], "marker": chart["marker"],
            "horizontal": chart.get("horizontal", False),
            "datasets": [{"label": d["label"], "data": d["data"], "style": d["style"]}
                         for d in chart["datasets"]],
        }
        for chart in charts
    ]  # fmt: skip

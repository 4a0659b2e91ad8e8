"""The quarterly report: a PDF (WeasyPrint) for one quarter with the overview, trends since 2020,
the wijk comparison, ratios against their targets, diversity and budget, opened by a short
generated explanation of the largest changes. The figures come from the builders the dashboards
use too (indicators/selectors), so the PDF shows exactly what the dashboard shows; council
members get the suppressed version of every number."""

import datetime

from django.template.loader import render_to_string
from django.utils.translation import gettext

from wmo.periods import Quarter

from .. import selectors
from ..models import IndicatorValue
from .explain import Change, explain
from .svg import bar_chart

SECTIONS = ("overview", "trends", "districts", "ratios", "diversity", "budget")
# Quarters shown in the diversity table of the PDF: the page is narrow, the dashboard has them all.
DIVERSITY_QUARTERS = 6
# Figure columns per table on an A4 page in portrait.
MAX_COLUMNS = 6


class NoValues(Exception):
    """No stored values for the quarter: there is nothing to report."""


def has_values(quarter: Quarter) -> bool:
    return IndicatorValue.objects.filter(quarter=quarter, level="system").exists()


def changes_from_overview(overview: dict) -> list[Change]:
    """The overview's tiles as (current, previous) pairs for the explanation."""
    return [
        Change(tile["indicator"], tile["label"], tile["unit"], tile["current"]["number"],
               tile["previous"]["number"], tile["current_exact"], tile["previous_exact"])
        for group in overview["groups"]
        for tile in group["tiles"]
    ]  # fmt: skip


def _table(table: dict) -> dict:
    rows = selectors.table_rows(table, note=False)
    return {"id": table["id"], "caption": table["caption"], "header": rows[0], "rows": rows[1:],
            "note": selectors.table_note(table)}  # fmt: skip


def _split(table: dict, per_part: int = MAX_COLUMNS) -> list[dict]:
    """A wide table as parts of at most `per_part` figure columns, each repeating the label
    column, so it fits the page width instead of running off it."""
    header, rows = table["header"], table["rows"]
    figure_columns = list(range(1, len(header)))
    if len(figure_columns) <= per_part:
        return [table]
    chunks = [figure_columns[i : i + per_part] for i in range(0, len(figure_columns), per_part)]
    return [
        {
            **table,
            "id": f"{table['id']}-{number}",
            "caption": gettext("%(value)s (deel %(number)s van %(len)s)")
            % {"value": table["caption"], "number": number, "len": len(chunks)},
            "header": [header[0], *[header[i] for i in chunk]],
            "rows": [[row[0], *[row[i] for i in chunk]] for row in rows],
        }
        for number, chunk in enumerate(chunks, start=1)
    ]


def _last_columns(table: dict, keep: int) -> dict:
    """The first (label) column, the last `keep` period columns and the final summary column."""
    header, rows = table["header"], table["rows"]
    if len(header) <= keep + 2:
        return table
    columns = [0, *range(len(header) - keep - 1, len(header))]
    return {
        **table,
        "header": [header[i] for i in columns],
        "rows": [[row[i] for i in columns] for row in rows],
    }


def _chart_svg(chart: dict) -> str:
    main = next((d for d in chart["datasets"] if d.get("style") != "norm"), None)
    if main is None:
        return ""
    norm = next((d for d in chart["datasets"] if d.get("style") == "norm"), None)
    target = None
    if norm is not None:
        numbers = {n for n in norm["data"] if n is not None}
        # One target line only when the norm is the same for every bar.
        target = numbers.pop() if len(numbers) == 1 else None
    return bar_chart(
        chart["title"], chart["labels"], main["data"],
        [selectors.cell_text(c) for c in main["cells"]],
        target=target, unit=chart.get("unit", "") if chart.get("unit") in ("%",) else "",
    )  # fmt: skip


def _chart_block(chart: dict) -> dict:
    return {"title": chart["title"], "summary": chart["summary"], "svg": _chart_svg(chart),
            "table": _table(chart["table"])}  # fmt: skip


def report_context(quarter: Quarter, suppressed: bool, today: datetime.date | None = None) -> dict:
    if not has_values(quarter):
        raise NoValues(f"Voor {quarter} zijn geen indicatoren opgeslagen; laat ze eerst berekenen.")
    data = selectors.dashboard(quarter, selectors.Filters(), suppressed, SECTIONS)
    overview = data["overview"]
    districts = data["districts"]
    diversity = data["diversity"]
    diversity_table = _last_columns(_table(diversity["table"]), DIVERSITY_QUARTERS)
    # The diversity chart in print: the chosen quarter's share per wijk (the last period column).
    share_column = len(diversity_table["header"]) - 2
    diversity_rows = diversity["table"]["rows"]
    diversity_svg = bar_chart(
        f"Aandeel kleine en bewoners-/doelgroeporganisaties per wijk, {quarter}",
        [row["label"] for row in diversity_rows],
        [row["cells"][-2]["number"] if len(row["cells"]) > 1 else None for row in diversity_rows],
        [row[share_column] for row in diversity_table["rows"]], unit="%",
    )  # fmt: skip
    return {
        "quarter": str(quarter),
        "previous": str(quarter.previous()),
        "last_year": str(quarter.same_quarter_last_year()),
        "suppressed": suppressed,
        "generated": today or datetime.date.today(),
        "explanation": explain(changes_from_overview(overview), str(quarter.previous())),
        "overview": _table(overview["table"]),
        "trends": [_chart_block(chart) for chart in data["trends"]],
        "districts": {
            "tables": _split(_table(districts["table"])),
            "charts": [_chart_block(chart) for chart in districts["charts"]],
        },  # fmt: skip
        "ratios": {
            "table": _table(data["ratios"]["table"]),
            "charts": [_chart_block(chart) for chart in data["ratios"]["charts"]],
        },  # fmt: skip
        "diversity": {
            "table": diversity_table,
            "svg": diversity_svg,
            "summary": diversity["charts"][0]["summary"] if diversity["charts"] else "",
            "quarters_shown": DIVERSITY_QUARTERS,
        },  # fmt: skip
        "budget": {"table": _table(data["budget"]["table"]), "year": data["budget"]["year"]},
    }


def render_html(quarter: Quarter, suppressed: bool, today=None) -> str:
    return render_to_string("indicators/reports/quarterly_pdf.html",
                            report_context(quarter, suppressed, today))  # fmt: skip


def render_pdf(quarter: Quarter, suppressed: bool, today=None) -> bytes:
    from weasyprint import HTML

    html = render_html(quarter, suppressed, today)
    # Tagged (PDF/UA-1): headings, tables and reading order for a screen reader, as the pages
    # have them; an untagged PDF read as one stream of text.
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")

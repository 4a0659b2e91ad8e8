"""Nothing a council member is shown lets a hidden figure be worked out: a quarter full of small
cells (small_cells.py) is computed, and the attacker (attacker.py) reads every council page,
chart, table, download, the PDF, the API and the public export together. The same attacker on
the same pages finds the old rule's leaks; staff still see exact figures."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from districts.models import District
from indicators.reports.quarterly import MAX_COLUMNS
from indicators.services import compute_values, replace_quarter
from indicators.suppression import Shown
from providers.models import Provider
from wmo.catalogue.models import ServiceType
from wmo.periods import parse_period

from .attacker import Page, Seen, attack, from_api, from_dashboard, from_download, from_export
from .small_cells import OOST, POPULATION, QUARTERS, SERVICES, WEST, WIJKEN, ZUIDWEST, build
from .test_suppression import old_rule

Q3 = "2026Q3"
NOORDWEST = "WK034402"  # no figures at all


# The half-year and the year that hold 2026Q3, computed with the same definitions: the council
# chooses them on the same dashboard (`periode=`).
LONGER = ("2026H2", "2026")


@pytest.fixture
def stored(db):
    build()
    for period in (*QUARTERS, *LONGER):
        replace_quarter(parse_period(period), compute_values(parse_period(period)))


def public_knowledge():
    """What anyone knows: wijk populations (the wijken pages), and every wijk, voorziening and
    aanbieder code."""
    codes = list(District.objects.values_list("code", flat=True))
    population = {code: POPULATION.get(code, 10_000) for code in codes}
    public = {}
    for quarter in (*QUARTERS, *LONGER):
        for code, number in population.items():
            public[(quarter, "district", code, "population")] = number
        public[(quarter, "system", "all", "population")] = sum(population.values())
    services = list(ServiceType.objects.values_list("code", flat=True))
    providers = list(Provider.objects.values_list("agb_code", flat=True))
    universe = {"district": codes, "service_type": services, "provider": providers,
                "contractor": providers,
                "district_service": [f"{d}:{s}" for d in codes for s in services]}  # fmt: skip
    return public, universe


def small_providers() -> set[str]:
    """The small and resident organisations: public in the provider register (here read from
    the staff figures, where each provider's share is 100 % or 0 %)."""
    from indicators.models import IndicatorValue

    return set(IndicatorValue.objects.filter(level="provider", indicator="small_org_share",
                                             value=100).values_list("level_key", flat=True))  # fmt: skip


def names():
    return {"districts": dict(District.objects.values_list("name", "code")),
            "services": dict(ServiceType.objects.values_list("name", "code"))}  # fmt: skip


def api(client) -> list[Seen]:
    seen = []
    for quarter in QUARTERS:
        url = f"/api/v1/indicatoren?kwartaal={quarter}&paginaGrootte=1000"
        while url:
            response = client.get(url)
            assert response.status_code == 200
            body = response.json()
            seen += from_api(body["resultaten"], f"API {quarter}")
            url = body["volgende"]
    return seen


def export(tmp_path) -> list[Seen]:
    seen = []
    for quarter in QUARTERS:
        out = io.StringIO()
        call_command("export_indicators", "--quarter", quarter, "--suppressed", stdout=out)
        seen += from_export(list(csv.reader(io.StringIO(out.getvalue()))), f"export {quarter}.csv")
        path = tmp_path / f"{quarter}.xlsx"
        call_command("export_indicators", "--quarter", quarter, "--suppressed", "--format",
                     "xlsx", "--output", str(path), stderr=io.StringIO())  # fmt: skip
        rows = list(load_workbook(path).active.iter_rows(values_only=True))
        seen += from_export(rows, f"export {quarter}.xlsx")
    return seen


def selections() -> list[dict]:
    """Every selection a council member can make that shows something different: the city,
    each wijk (one without figures too), each voorziening, each wijk × voorziening, and the
    previous quarter."""
    chosen = [{}]
    chosen += [{"wijk": w} for w in [*WIJKEN, NOORDWEST]]
    chosen += [{"voorziening": s} for s in SERVICES]
    chosen += [{"wijk": w, "voorziening": s} for w in WIJKEN for s in SERVICES]
    chosen = [{"kwartaal": Q3, **c} for c in chosen]
    # The half-year and the year, for the city, a wijk, a service and a wijk × service.
    longer = [{"periode": period, **c} for period in LONGER
              for c in ({}, {"wijk": WEST}, {"voorziening": "dagbegeleiding"},
                        {"wijk": OOST, "voorziening": "individuele_begeleiding"})]  # fmt: skip
    return [*chosen, {"kwartaal": "2026Q2"}, *longer]


def page_for(selection: dict) -> Page:
    quarter = parse_period(selection.get("kwartaal") or selection["periode"])
    return Page(str(quarter), str(quarter.previous()), str(quarter.same_period_last_year()),
                selection.get("wijk", ""), selection.get("voorziening", ""), names())  # fmt: skip


def query(selection: dict) -> str:
    return "&".join(f"{k}={v}" for k, v in selection.items())


def downloads(client, html: str, selection: dict, page: Page, formats) -> list[Seen]:
    """Every table of the page downloaded as CSV and/or XLSX, read like the page."""
    seen = []
    ratio_levels: dict = {}
    tables = sorted(set(re.findall(r"/dashboard/raad/export/([a-z0-9_-]+)\.csv", html)),
                    key=lambda t: t != "verhoudingen")  # fmt: skip
    assert "per-wijk" in tables and "overzicht" in tables
    for table in tables:
        for fmt in formats:
            response = client.get(f"/dashboard/raad/export/{table}.{fmt}?{query(selection)}")
            assert response.status_code == 200, (table, fmt)
            if fmt == "csv":
                text = response.content.decode("utf-8-sig")
                rows = list(csv.reader(io.StringIO(text), delimiter=";"))
            else:
                sheet = load_workbook(io.BytesIO(response.content)).active
                rows = list(sheet.iter_rows(values_only=True))[1:]  # the caption first
            seen += from_download(table, rows, page, f"{table}.{fmt}?{query(selection)}",
                                  ratio_levels)  # fmt: skip
    return seen


def council_dashboards(client, download_formats) -> list[Seen]:
    seen = []
    for selection in selections():
        response = client.get(f"/dashboard/raad/?{query(selection)}")
        assert response.status_code == 200
        html = response.content.decode()
        page = page_for(selection)
        figures = from_dashboard(html, page, f"/dashboard/raad/?{query(selection)}")
        assert len(figures) > 100, selection
        seen += figures
        formats = download_formats.get(query(selection), ())
        if formats:
            seen += downloads(client, html, selection, page, formats)
    return seen


# Downloads of every table: for the city in both formats, for a wijk × voorziening as CSV
# (each download builds the whole dashboard again; the XLSX holds the same cells as the CSV,
# test_dashboard_values checks that for every table).
DOWNLOADS = {f"kwartaal={Q3}": ("csv", "xlsx"),
             f"kwartaal={Q3}&wijk={WEST}&voorziening=dagbegeleiding": ("csv",),
             "periode=2026H2": ("csv",), f"periode=2026&wijk={WEST}": ("csv",)}  # fmt: skip


@pytest.mark.slow
def test_nothing_is_recoverable_from_everything_the_council_sees(stored, council_client,
                                                                   tmp_path):  # fmt: skip
    seen = api(council_client) + export(tmp_path)
    seen += council_dashboards(council_client, DOWNLOADS)
    public, universe = public_knowledge()
    findings = attack(seen, public, complete=QUARTERS, universe=universe, small=small_providers(),
                      reads_marks=True)  # fmt: skip
    assert findings == [], "\n".join(findings)
    # The data set really has small cells, hidden both ways, on pages and in the API alike.
    cells = {(s.source.split("?")[0].split(" ")[0], s.level, s.key, s.indicator): s for s in seen
             if s.period == Q3}  # fmt: skip
    assert cells[("API", "district", ZUIDWEST, "waiting_at_end")].value == "<5"
    assert cells[("API", "district", OOST, "waiting_at_end")].noted  # 12: the complement
    assert (
        cells[("API", "district_service", f"{WEST}:dagbegeleiding", "pct_within_norm")].value == "—"
    )
    assert sum(s.noted for s in seen if s.source.startswith("/dashboard")) > 10
    # The half-year and year pages, and the objective tables on them, were read and hide too.
    longer = [s for s in seen if s.source.startswith("/dashboard/raad/?periode=")]
    assert {s.period for s in longer} >= {"2026H2", "2026H1", "2026", "2025"}
    assert any(s.hidden for s in longer if s.period == "2026H2")
    assert any(s.level == "service_type" and s.hidden for s in longer if s.period == "2026")
    assert ("doel-iv.csv?periode=2026H2") in {s.source for s in seen}
    assert sum(s.hidden for s in seen if s.source.startswith("export")) > 100
    # Spend per service is read everywhere (the attacker works clients back from spend and
    # cost per client); no contracting party's amounts anywhere.
    assert cells[("API", "service_type", "dagbegeleiding", "spend_eur")].value == Decimal(
        "124956.78"
    )
    assert {
        s.source.split("?")[0].split(" ")[0]
        for s in seen
        if s.indicator == "cost_per_client_eur" and s.level == "service_type" and not s.hidden
    } >= {"API", "/dashboard/raad/", "uitgaven-voorziening.csv", "uitgaven-voorziening.xlsx"}
    assert not [s for s in seen if s.level == "contractor" and s.indicator.endswith("_eur")]


@pytest.mark.slow
def test_the_same_attacker_finds_the_old_rule_on_the_same_pages(stored, council_client,
                                                                  tmp_path, monkeypatch):  # fmt: skip
    def old_view(row):
        value, numerator, denominator = old_rule(row.indicator, row.value, row.numerator,
                                                 row.denominator)  # fmt: skip
        return Shown(value, "", numerator, denominator)

    for module in (
        "indicators.selectors.cells",
        "indicators.api.serializers",
        "indicators.exports",
    ):
        monkeypatch.setattr(f"{module}.council_view", old_view)
    pages = council_dashboards(council_client, {f"kwartaal={Q3}": ("csv",)})
    public, universe = public_knowledge()
    everything = api(council_client) + export(tmp_path) + pages
    findings = "\n".join(attack(everything, public, complete=QUARTERS, universe=universe))
    # 23,1 % of 13 and 66,7 % of 12 at West × dagbegeleiding / individuele begeleiding.
    assert (
        f"'district_service', '{WEST}:dagbegeleiding', 'pct_within_norm') = 23.1 % of 13"
        in findings
    )
    assert (
        f"'{WEST}:individuele_begeleiding', 'pct_within_norm') = 66.7 % of 12: 8 and 4" in findings
    )
    # 44 waiting in the city − 14 − 15 − 12 = 3 in Zuidwest: the council dashboard alone says so.
    findings = "\n".join(attack(pages, public, universe=universe))
    cell = f"('{Q3}', 'district', '{ZUIDWEST}', 'waiting_at_end')"
    assert f"/dashboard/raad/?kwartaal={Q3}: hidden count {cell} is 3" in findings


def normal(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.slow
def test_the_council_pdf_shows_the_council_dashboards_figures(stored, council_client):
    """The PDF holds exactly the strings of the council's downloads (which the attacker read):
    every table with its caption, header, rows and footnote, and the bars of the wijk charts."""
    response = council_client.get(f"/rapportage/kwartaalrapportage/{Q3}.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'kwartaalrapportage_{Q3}_raad.pdf"')
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "afgeschermde versie" in text
    pdf = normal(text)

    def xlsx(table):
        content = council_client.get(f"/dashboard/raad/export/{table}.xlsx?kwartaal={Q3}").content
        rows = [["" if c is None else str(c) for c in r]
                for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]  # fmt: skip
        return rows[0][0], rows[1], rows[2:]

    def csv_rows(table):
        content = council_client.get(f"/dashboard/raad/export/{table}.csv?kwartaal={Q3}").content
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))

    html = council_client.get(f"/dashboard/raad/?kwartaal={Q3}").content.decode()
    trends = sorted(set(re.findall(r"/dashboard/raad/export/(trend-[a-z_0-9]+-tabel)\.csv", html)))

    def in_pdf(caption, rows):
        """The caption, the header and each row (label and the figures it shows, in order);
        a table may start at the foot of a page and go on on the next."""
        assert normal(caption) in pdf, caption
        for row in rows:
            assert normal("".join(row)) in pdf, (caption, row)

    for table in ["overzicht", *trends, "verhoudingen", "diversiteit"]:
        caption, _, _ = xlsx(table)
        in_pdf(caption, csv_rows(table))  # strings as shown, the footnote last
    # The wijk table, in parts of at most MAX_COLUMNS figure columns.
    caption, _, _ = xlsx("per-wijk")
    rows = csv_rows("per-wijk")
    body, footnote = ([r for r in rows if len(r) > 1], [r for r in rows if len(r) == 1])
    chunks = range(1, len(body[0]), MAX_COLUMNS)
    for number, start in enumerate(chunks, start=1):
        part = [[r[0], *r[start : start + MAX_COLUMNS]] for r in body]
        in_pdf(f"{caption} (deel {number} van {len(chunks)})", part)
    assert footnote and normal(footnote[0][0]) in pdf
    # The bars of the wijk charts: each wijk with its figure (or "geen waarde").
    for chart in ("wijk-bereik-tabel", "wijk-wachttijd-tabel"):
        rows = csv_rows(chart)[1:]
        bars = "".join(label + (cell or "geenwaarde") for label, cell in (r[:2] for r in rows
                                                                          if len(r) > 1))  # fmt: skip
        assert normal(bars) in pdf, chart
    # The explanation uses shown figures only: no hidden figure has a number there.
    explanation = text.split("Toelichting", 1)[1].split("Overzicht", 1)[0]
    assert "<5" not in explanation and "—" not in explanation


def test_staff_still_see_exact_figures(stored, contract_manager_client):
    url = (f"/api/v1/indicatoren?kwartaal={Q3}&niveau=district_service"
           f"&niveauSleutel={WEST}:dagbegeleiding&indicator=pct_within_norm")  # fmt: skip
    (row,) = contract_manager_client.get(url).json()["resultaten"]
    assert (row["waarde"], row["teller"], row["noemer"], row["toelichting"]) == (23.1, 3, 13, None)
    url = f"/api/v1/indicatoren?kwartaal={Q3}&niveau=district&indicator=waiting_at_end"
    waiting = {
        r["niveauSleutel"]: r["waarde"]
        for r in contract_manager_client.get(url).json()["resultaten"]
    }
    assert (waiting[ZUIDWEST], waiting[OOST], waiting[WEST]) == (3, 12, 14)
    html = contract_manager_client.get(f"/dashboard/?kwartaal={Q3}").content.decode()
    ((_, _, rows),) = _tables(html, "per-wijk")
    table = dict(rows)
    assert table["Zuidwest"][:1] == ["3"]  # clients in care: exact for staff
    assert "afgeschermd" not in html
    out = io.StringIO()
    call_command("export_indicators", "--quarter", Q3, stdout=out)
    exact = {(r[1], r[2], r[3]): r for r in csv.reader(io.StringIO(out.getvalue()))}
    assert exact[("district", ZUIDWEST, "waiting_at_end")][4] == "3"
    assert exact[("district_service", f"{WEST}:dagbegeleiding", "pct_within_norm")][4:7] == [
        "23.1", "3", "13"]  # fmt: skip


def _tables(html, wanted):
    from .attacker import html_tables

    return [t for t in html_tables(html) if t[0] == wanted]


@pytest.mark.slow
def test_a_linear_program_over_every_sum_recovers_no_hidden_count(stored, monkeypatch):
    """lp_audit.py's reader (two programs per hidden count, over the audit's reading of the
    year) on the small cells' 2026: nothing. Without the audit reading the sums together
    (suppression_exact) it pins counts there."""
    from indicators.suppression_audit import Audit

    from .lp_audit import recovered

    assert recovered(2026) == []
    monkeypatch.setattr(Audit, "_cover_solved", lambda self, *args: False)
    assert recovered(2026, explain=lambda *args: None) != []


def test_stored_marks_and_the_migration_marking_older_rows_agree(stored):
    from importlib import import_module

    from django.apps import apps

    from indicators.models import IndicatorValue

    stored_marks = dict(IndicatorValue.objects.values_list("id", "suppression"))
    assert set(stored_marks.values()) == {"", "primary", "secondary"}
    IndicatorValue.objects.update(suppression="")  # as rows stored before the marks existed
    # The newest migration that marks stored rows, with the rules as they now are.
    import_module("indicators.migrations.0015_remark_over_time").remark_stored_values(apps, None)
    assert dict(IndicatorValue.objects.values_list("id", "suppression")) == stored_marks
    oost = IndicatorValue.objects.get(quarter=Q3, level="district", level_key=OOST,
                                      indicator="waiting_at_end")  # fmt: skip
    assert (oost.value, oost.suppression) == (12, "secondary")

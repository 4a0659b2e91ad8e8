"""wmo.downloads: the formula neutraliser, CSV/XLSX cells, file names — and every CSV and XLSX
download of the app, fed names that spreadsheet programs would run as formulas."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from districts.models import Buurtteam, District
from indicators import selectors as data
from indicators.models import IndicatorValue
from providers.models import ContractValue
from tests.providers.factories import ContractFactory, ProviderFactory
from wmo import downloads
from wmo.catalogue.models import ServiceType
from wmo.downloads import PLAIN, SPREADSHEET, csv_cell, neutralise, xlsx_cell
from wmo.finance.models import SpendBooking
from wmo.periods import Quarter
from wmo.referrals.services import register_referral

# What a careless or hostile user might type as a name: each starts a formula, or hides one.
EVIL = ['=HYPERLINK("http://evil.example","klik")', "+31 30 286 0000", "-2+3", "@SUM(A1)",
        "\tTab", "\rCR"]  # fmt: skip

# --- the neutraliser ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", EVIL + ["=1+1", "+", "-", "@", "\t", "\r", "-A1", "+31 6 1234"])
def test_each_trigger_gets_a_leading_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", [" =1+1", "   @SUM(A1)", "\u00a0-2+3", "\n=1+1", " \t=1"])
def test_white_space_does_not_hide_a_trigger(text):
    # Some programs trim a cell before they look at it: the quote goes in front of it all.
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["-3,5", "-1.234", "-1.234,5", "+2,1 %", "-12,5%", "-3.5", "-4",
                                  " -3,5", "−3", "−3,5 %"])  # fmt: skip
def test_a_number_written_as_text_stays_readable_as_a_number(text):
    # The dashboards' CSV writes figures as the page shows them; a sign plus digits is no formula.
    # A real minus sign (U+2212) is no trigger at all.
    assert neutralise(text) == text


@pytest.mark.parametrize(
    "text", ["", "Groot Zorg", "<5", "—", "a=b", "'=1+1", "10000001", "WK034401"]
)
def test_other_text_is_untouched(text):
    assert neutralise(text) == text


def test_neutralising_twice_changes_nothing_more():
    assert neutralise(neutralise("=1+1")) == "'=1+1"


def test_csv_cells():
    assert csv_cell(None) == "" and csv_cell("") == ""
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("-2+3", PLAIN) == "'-2+3"
    # Numbers are never quoted, whatever their sign; SPREADSHEET writes a decimal comma.
    assert [csv_cell(v) for v in (-3, Decimal("-3.50"), -0.5, Decimal("1E+3"))] == [
        "-3", "-3,50", "-0,5", "1000"]  # fmt: skip
    assert [csv_cell(v, PLAIN) for v in (-3, Decimal("-3.50"), -0.5)] == ["-3", "-3.50", "-0.5"]
    assert csv_cell(datetime.date(2026, 7, 1)) == "2026-07-01"
    moment = datetime.datetime(2026, 7, 1, 10, 0, tzinfo=datetime.UTC)
    assert csv_cell(moment) == "2026-07-01 12:00:00"  # Europe/Amsterdam, summer time


def test_xlsx_cells():
    assert xlsx_cell(None) is None
    assert xlsx_cell("=1+1") == "=1+1"  # kept as it is: write_xlsx stores it as text
    assert xlsx_cell(Decimal("-4")) == -4 and isinstance(xlsx_cell(Decimal("-4")), int)
    assert xlsx_cell(Decimal("-3.5")) == -3.5
    assert xlsx_cell(-7) == -7 and xlsx_cell(2.5) == 2.5
    # A character XML cannot hold is dropped, so it cannot hide a formula behind it.
    assert xlsx_cell("\x01=1+1") == "=1+1"


def test_xlsx_keeps_text_text_numbers_numbers_and_dates_dates():
    buffer = io.BytesIO()
    moment = datetime.datetime(2026, 7, 1, 10, 0, tzinfo=datetime.UTC)
    row = ["=1+1", "#N/A", "-3,5", Decimal("-3.5"), 12, datetime.date(2026, 7, 1), moment, None, 0]
    assert downloads.write_xlsx(buffer, [["kop"], row], "Blad: [test]") == 2
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet.title == "Blad   test"
    cells = list(sheet.iter_rows(min_row=2))[0]
    assert [c.data_type for c in cells[:7]] == ["s", "s", "s", "n", "n", "d", "d"]
    assert [c.value for c in cells] == [
        "=1+1", "#N/A", "-3,5", -3.5, 12, datetime.datetime(2026, 7, 1),
        datetime.datetime(2026, 7, 1, 12, 0), None, 0]  # fmt: skip
    # Text exactly as it is, marked so that editing the cell keeps it text.
    assert [c.quotePrefix for c in cells[:3]] == [True, False, False]


def test_csv_styles():
    rows = [["naam", "waarde"], ["=1+1", Decimal("2.5")]]
    assert "".join(downloads.csv_lines(rows, SPREADSHEET)) == ("\ufeffnaam;waarde\r\n'=1+1;2,5\r\n")
    assert "".join(downloads.csv_lines(rows, PLAIN)) == "naam,waarde\n'=1+1,2.5\n"
    # A lone carriage return is quoted under `\n` line ends too, or it would split the row.
    assert "".join(downloads.csv_lines([["a", "\rCR"]], PLAIN)) == '"a","\'\rCR"\n'


def test_streaming_csv_response():
    response = downloads.csv_response(iter([["a"], ["=b"]]), "lijst.csv", stream=True)
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lijst.csv"'
    assert b"".join(response.streaming_content).decode() == "\ufeffa\r\n'=b\r\n"


def test_download_names_and_headers():
    assert downloads.download_name("indicatoren", "2026Q3", ext="csv") == "indicatoren_2026Q3.csv"
    assert downloads.download_name("rapport", Quarter(2026, 3), None, "", ext="pdf") == (
        "rapport_2026Q3.pdf"
    )
    assert (
        downloads.content_disposition("wachtlijst.csv") == 'attachment; filename="wachtlijst.csv"'
    )
    assert downloads.content_disposition("a.ics", attachment=False) == 'inline; filename="a.ics"'
    assert downloads.content_disposition("Cliënten 2026.csv") == (
        "attachment; filename=\"Clienten_2026.csv\"; filename*=UTF-8''Cli%C3%ABnten%202026.csv"
    )
    # No path, quote or line break reaches the header.
    header = downloads.content_disposition('../../etc/"x"\r\nSet-Cookie: a.csv')
    assert "/" not in header.split("filename*")[0] and "\r" not in header and "\n" not in header
    assert header.startswith('attachment; filename="etc_x_Set-Cookie_a.csv"')
    assert downloads.content_disposition("...") == 'attachment; filename="download"'


def test_table_response_refuses_an_unknown_format():
    with pytest.raises(ValueError, match="Onbekend formaat 'ods'"):
        downloads.table_response("ods", [], name=("x",), sheet_title="x")


# --- every download of the app -------------------------------------------------------------------

Q3 = "2026Q3"
NUMBER_TEXT = re.compile(r"[+\-]?\d[\d.,]*(?: ?%)?")


def runs_as_formula(text: str) -> bool:
    """What a spreadsheet program could run, judged apart from the code under test."""
    if text[:1] in ("\t", "\r"):
        return True
    stripped = text.lstrip()
    return stripped[:1] in ("=", "+", "-", "@") and not NUMBER_TEXT.fullmatch(stripped)


def check_csv(body: str, expected=EVIL, delimiter=";") -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"), newline=""),
                           delimiter=delimiter))  # fmt: skip
    cells = [cell for row in rows for cell in row]
    assert [cell for cell in cells if runs_as_formula(cell)] == []
    for text in expected:
        assert any(cell.startswith("'" + text) for cell in cells), text
    return rows


def check_xlsx(content: bytes, expected=EVIL) -> list[tuple]:
    """No formula in the workbook; every formula-like text stored as text, quote-prefixed, and
    exactly as it was (no `'` added)."""
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.value for cell in cells if cell.data_type == "f"] == []
    texts = [cell for cell in cells if isinstance(cell.value, str)]
    assert [(c.value, c.data_type, c.quotePrefix) for c in texts if runs_as_formula(c.value)
            and (c.data_type, c.quotePrefix) != ("s", True)] == []  # fmt: skip
    for text in expected:
        # XML reads a stored carriage return back as a line feed.
        assert any(c.value.startswith(text.replace("\r", "\n")) and c.quotePrefix
                   for c in texts), text  # fmt: skip
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture
def evil(db):
    """Six providers, six wijken, six contract references, six spend booking ids and six referral
    numbers that are formulas, with stored figures for all of them."""
    providers = [ProviderFactory(name=name) for name in EVIL]
    districts = list(District.objects.order_by("code")[: len(EVIL)])
    for district, name in zip(districts, EVIL, strict=True):
        district.name = name
        district.save()
    values = [("system", "all", "clients_in_care", 1234), ("system", "all", "waiting_at_end", 60)]
    for i, provider in enumerate(providers):
        values += [("provider", provider.agb_code, "clients_in_care", 100 + i),
                   ("provider", provider.agb_code, "waiting_at_end", 20 + i),
                   ("contractor", provider.agb_code, "clients_in_care", 200 + i)]  # fmt: skip
    for i, district in enumerate(districts):
        values += [("district", district.code, "clients_in_care", 300 + i),
                   ("district", district.code, "waiting_at_end", 30 + i)]  # fmt: skip
    IndicatorValue.objects.bulk_create(
        IndicatorValue(quarter=Q3, level=level, level_key=key, indicator=indicator,
                       value=Decimal(value))
        for level, key, indicator, value in values
    )  # fmt: skip
    for name in EVIL:
        # The form and API refuse such a reference; the export must not rely on that.
        contract = ContractFactory(reference=name, contractor=providers[0])
        ContractValue.objects.create(contract=contract, year=2026, amount=Decimal("1000.00"))
    # Booking ids come from the administration's file: six hostile ones, one per quarter of
    # 2026 (Q1 twice, as a booking and its credit note) and 2025Q4, at the hostile contractors.
    day = ServiceType.objects.get(code="dagbegeleiding")
    for quarter, booking_id, contractor, amount in zip(
        ["2026Q1", "2026Q1", "2026Q2", "2026Q3", "2026Q4", "2025Q4"], EVIL, providers,
        ["2500.00", "-500.00", "2500.00", "2500.00", "3000.00", "10000.00"], strict=True,
    ):  # fmt: skip
        SpendBooking.objects.create(booking_id=booking_id, quarter=quarter, objective="IV",
                                    service_type=day, contractor=contractor,
                                    amount_eur=Decimal(amount))  # fmt: skip
    today = timezone.localdate()
    for days, name in enumerate(EVIL, start=3):
        register_referral(
            user=None, bsn="111222333", district=districts[0],
            service_type=ServiceType.objects.get(code="dagbegeleiding"), provider=providers[1],
            team=Buurtteam.objects.get(code="BT05"), external_id=name,
            referral_date=today - datetime.timedelta(days=days),
        )  # fmt: skip
    return providers


NAMED_TABLES = ("per-aanbieder", "per-contractpartij", "per-wijk")


@pytest.mark.parametrize(("role", "base", "suppressed"), [
    ("contract_manager", "/dashboard/export/", False),
    ("council_member", "/dashboard/raad/export/", True),
])  # fmt: skip
def test_every_dashboard_table_downloads_neutralised(evil, client_for, role, base, suppressed):
    client = client_for(role)
    tables = data.all_tables(data.dashboard(Quarter(2026, 3), data.Filters(), suppressed))
    named = [table_id for table_id in NAMED_TABLES if table_id in tables]
    assert named == (list(NAMED_TABLES) if not suppressed else ["per-wijk"])
    for table_id in tables:
        expected = EVIL if table_id in named else ()
        csv_response = client.get(f"{base}{table_id}.csv?kwartaal={Q3}")
        assert csv_response["Content-Disposition"] == (
            f'attachment; filename="{table_id}_{Q3}.csv"'
        )
        check_csv(csv_response.content.decode(), expected)
        check_xlsx(client.get(f"{base}{table_id}.xlsx?kwartaal={Q3}").content, expected)
    # The figures beside the names are still numbers.
    rows = check_xlsx(client.get(f"{base}per-wijk.xlsx?kwartaal={Q3}").content)
    row = next(r for r in rows if r[0] == EVIL[0])
    assert 300 in row and all(isinstance(v, int | float) for v in row[1:] if v is not None)
    if not suppressed:
        rows = check_csv(client.get(f"{base}per-aanbieder.csv?kwartaal={Q3}").content.decode())
        assert "100" in next(r for r in rows if r[0] == "'" + EVIL[0])


def test_report_tables_download_neutralised(evil, contract_manager_client):
    agb = evil[0].agb_code
    base = f"/rapportage/organisaties/contractpartij/{agb}/organisatie"
    rows = check_csv(contract_manager_client.get(f"{base}.csv?kwartaal={Q3}").content.decode())
    contract_lines = [r for r in rows if r[1] == "contract"]
    assert len(contract_lines) == 6 and {r[4] for r in contract_lines} == {"1000,00"}
    rows = check_xlsx(contract_manager_client.get(f"{base}.xlsx?kwartaal={Q3}").content)
    assert {r[4] for r in rows if r[1] == "contract"} == {1000}

    rows = check_csv(contract_manager_client.get("/rapportage/begroting/begroting.csv")
                     .content.decode(), expected=())  # fmt: skip
    iv_2026 = next(r for r in rows if r[:2] == ["2026", "IV"])
    # Spent 10 k€ of 88,562: a negative deviation, written as a number, never quoted.
    assert iv_2026 == ["2026", "IV", "88562,0", "10,0", "4", "10,0", "-88552,0"]
    rows = check_xlsx(contract_manager_client.get("/rapportage/begroting/begroting.xlsx").content,
                      expected=())  # fmt: skip
    assert next(r for r in rows if r[:2] == (2026, "IV"))[2:] == (88562, 10, 4, 10, -88552)

    # The bookings' own download carries the hostile booking ids and contractor names.
    rows = check_csv(contract_manager_client.get("/uitgaven/uitgaven.csv").content.decode())
    credit = next(r for r in rows if r[0] == "'" + EVIL[1])
    # A credit note: a negative amount stays a number, the name beside it is neutralised.
    assert credit[1:] == ["2026Q1", "IV", "dagbegeleiding", evil[1].agb_code,
                          "'" + EVIL[1], "-500,00"]  # fmt: skip
    rows = check_xlsx(contract_manager_client.get("/uitgaven/uitgaven.xlsx").content)
    assert next(r for r in rows if r[0] == EVIL[1])[6] == -500


def test_landscape_downloads_neutralised(evil, council_client):
    rows = check_csv(council_client.get(
        "/landschap/landschap.csv?datum1=2026-06-30&datum2=2027-06-30").content.decode())  # fmt: skip
    assert rows[1][:3] == ["2026-06-30", "WK034401", "'" + EVIL[0]]


def test_waiting_list_downloads_neutralised(evil, contract_manager_client):
    response = contract_manager_client.get("/verwijzingen/?formaat=csv")
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="wachtlijst.csv"'
    rows = check_csv(b"".join(response.streaming_content).decode())
    assert [r[0] for r in rows[1:]] == ["'" + name for name in reversed(EVIL)]
    assert rows[1][8] == "8"  # wachtdagen: a number, unquoted
    rows = check_xlsx(contract_manager_client.get("/verwijzingen/?formaat=xlsx").content)
    first = rows[1]
    assert first[0] == EVIL[-1].replace("\r", "\n")
    assert first[6] == datetime.datetime.combine(
        timezone.localdate() - datetime.timedelta(days=8), datetime.time()
    )  # a date cell
    assert first[8] == 8 and isinstance(first[9], int)


def test_indicator_export_neutralised_in_csv_and_xlsx(db, tmp_path):
    IndicatorValue.objects.bulk_create(
        IndicatorValue(quarter=Q3, level="provider", level_key=name, indicator="clients_in_care",
                       value=Decimal(40 + i))
        for i, name in enumerate(EVIL)
    )  # fmt: skip
    out = io.StringIO()
    call_command("export_indicators", "--quarter", Q3, "--format", "csv", stdout=out)
    rows = check_csv(out.getvalue(), delimiter=",")
    assert rows[0][:3] == ["period", "level", "level_key"]
    assert sorted(r[4] for r in rows[1:]) == [str(40 + i) for i in range(6)]
    path = tmp_path / "export.xlsx"
    call_command("export_indicators", "--quarter", Q3, "--format", "xlsx", "--output", str(path),
                 stderr=io.StringIO())  # fmt: skip
    rows = check_xlsx(path.read_bytes())
    assert sorted(r[4] for r in rows[1:]) == [40 + i for i in range(6)]


def test_the_export_command_names_its_workbook(db, tmp_path, monkeypatch):
    IndicatorValue.objects.create(quarter=Q3, level="system", level_key="all",
                                  indicator="clients_in_care", value=Decimal(7))  # fmt: skip
    monkeypatch.chdir(tmp_path)
    err = io.StringIO()
    call_command("export_indicators", "--quarter", Q3, "--format", "xlsx", stderr=err)
    assert err.getvalue().strip() == "1 rij geschreven naar indicatoren_2026Q3.xlsx."
    assert (tmp_path / "indicatoren_2026Q3.xlsx").exists()

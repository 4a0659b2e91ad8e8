"""The organisation page for the quarterly conversation: the stored figures at level provider /
contractor, this quarter beside the previous one and the same quarter last year, contract value,
downloads and the list page."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from indicators.models import IndicatorValue
from providers.models import Contract, ContractValue, Provider, Subcontract
from wmo.empty import empty_marker

EMPTY = str(empty_marker())  # the one "no value" marker (before: a "–" of its own)

D = Decimal
PAGE = "/rapportage/organisaties/aanbieder/10000001/?kwartaal=2026Q3"
CONTRACTOR_PAGE = "/rapportage/organisaties/contractpartij/10000001/?kwartaal=2026Q3"

# (quarter, level, indicator) -> (value, numerator, denominator, norm)
STORED = {
    ("2026Q3", "provider", "new_referrals"): (D(42), None, None, None),
    ("2026Q2", "provider", "new_referrals"): (D(37), None, None, None),
    ("2025Q3", "provider", "new_referrals"): (D(30), None, None, None),
    ("2026Q3", "provider", "started"): (D(35), None, None, None),
    ("2026Q3", "provider", "clients_in_care"): (D(1234), None, None, None),
    ("2026Q2", "provider", "clients_in_care"): (D(1180), None, None, None),
    ("2026Q3", "provider", "ended"): (D(28), None, None, None),
    ("2026Q3", "provider", "mean_wait_days"): (D("17.7"), 620, 35, D(14)),
    ("2026Q2", "provider", "mean_wait_days"): (D("15.2"), 456, 30, D(14)),
    ("2026Q3", "provider", "pct_within_norm"): (D("62.9"), 22, 35, None),
    ("2026Q3", "provider", "waiting_at_end"): (D(19), None, None, None),
    ("2026Q3", "provider", "mean_waiting_per_month"): (D("18.3"), None, None, None),
    ("2026Q3", "provider", "group_share"): (D("14.3"), 5, 35, D(15)),
    ("2026Q3", "provider", "exp_solution_pct"): (D("81.0"), 17, 21, None),
    ("2026Q3", "provider", "exp_solution_n"): (D(21), None, None, None),
    ("2026Q3", "provider", "complaints"): (D(3), None, None, None),
    ("2025Q3", "provider", "complaints"): (D(5), None, None, None),
    ("2026Q3", "provider", "complaints_per_100_clients"): (D("0.2"), 3, 1234, None),
    # The same organisation as contracting party: its subcontractors' referrals included.
    ("2026Q3", "contractor", "clients_in_care"): (D(1500), None, None, None),
    ("2026Q3", "contractor", "mean_wait_days"): (D("19.1"), 860, 45, D(14)),
    ("2026Q3", "contractor", "complaints"): (D(4), None, None, None),
    ("2026Q3", "system", "clients_in_care"): (D(5000), None, None, None),
    ("2026Q2", "system", "clients_in_care"): (D(4900), None, None, None),
}


@pytest.fixture
def organisation(db):
    provider = Provider.objects.create(agb_code="10000001", name="Groot Zorg", kind="care_provider")
    sub = Provider.objects.create(agb_code="10000002", name="Buurtkracht", kind="resident_org")
    for (quarter, level, indicator), (value, num, den, norm) in STORED.items():
        key = "all" if level == "system" else "10000001"
        IndicatorValue.objects.create(quarter=quarter, level=level, level_key=key,
                                      indicator=indicator, value=value, numerator=num,
                                      denominator=den, norm=norm)  # fmt: skip
    # Another provider's figures must not leak into this page.
    IndicatorValue.objects.create(quarter="2026Q3", level="provider", level_key="10000002",
                                  indicator="clients_in_care", value=D(99))  # fmt: skip
    contract = Contract.objects.create(
        reference="AZ-2026-01", name="Begeleiding West", contractor=provider,
        instrument="public_contract", financing="lump_sum",
        start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2026, 12, 31),
    )  # fmt: skip
    ContractValue.objects.create(contract=contract, year=2026, amount=D("750000.00"))
    other = Contract.objects.create(
        reference="AZ-2026-02", name="Dagbesteding", contractor=sub,
        instrument="public_contract", financing="lump_sum",
        start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31),
    )  # fmt: skip
    ContractValue.objects.create(contract=other, year=2026, amount=D("200000.00"))
    Subcontract.objects.create(contract=other, subcontractor=provider, share_percent=D("25"),
                               start_date=datetime.date(2026, 1, 1),
                               end_date=datetime.date(2026, 12, 31))  # fmt: skip
    return provider


def cells(text: str, indicator: str) -> dict[str, str]:
    row = re.search(rf'data-indicator="{indicator}">(.*?)</tr>', text, re.S).group(1)
    return {
        name: value.strip()
        for name, value in re.findall(r'data-kolom="([a-z-]+)">(.*?)</td>', row, re.S)
    }


def test_provider_page_shows_the_stored_figures(contract_manager_client, organisation,
                                                django_assert_max_num_queries):  # fmt: skip
    with django_assert_max_num_queries(12):
        response = contract_manager_client.get(PAGE)
    assert response.status_code == 200
    text = response.content.decode()
    assert '<h1 class="utrecht-heading-1">Groot Zorg als leverende aanbieder — 2026Q3</h1>' in text
    assert cells(text, "new_referrals") == {
        "kwartaal": "42",
        "vorig": "37",
        "vorig-jaar": "30",
        "norm": "",
    }
    assert cells(text, "clients_in_care") == {
        "kwartaal": "1.234",
        "vorig": "1.180",
        "vorig-jaar": EMPTY,
        "norm": "",
    }
    assert cells(text, "mean_wait_days") == {
        "kwartaal": "17,7",
        "vorig": "15,2",
        "vorig-jaar": EMPTY,
        "norm": "14,0",
    }
    assert cells(text, "pct_within_norm")["kwartaal"] == "62,9"
    assert cells(text, "mean_waiting_per_month")["kwartaal"] == "18,3"
    assert cells(text, "group_share") == {
        "kwartaal": "14,3",
        "vorig": EMPTY,
        "vorig-jaar": EMPTY,
        "norm": "15,0",
    }
    assert cells(text, "exp_solution_pct")["kwartaal"] == "81,0"
    assert cells(text, "complaints") == {
        "kwartaal": "3",
        "vorig": EMPTY,
        "vorig-jaar": "5",
        "norm": "",
    }
    assert cells(text, "complaints_per_100_clients")["kwartaal"] == "0,2"
    assert cells(text, "median_wait_days")["kwartaal"] == EMPTY  # not stored: empty, never 0
    # Contract value 2026: own contract 750,000 + 25 % of the subcontracted 200,000.
    assert '<dd id="contractwaarde">€ 800.000</dd>' in text
    assert "AZ-2026-01" in text and "AZ-2026-02" in text and "onderaannemer" in text
    assert "99" not in re.sub(r"<[^>]+>", " ", text).split()


def test_contractor_page_rolls_up_quality_through_its_subcontracts(contract_manager_client,
                                                                  organisation):  # fmt: skip
    text = contract_manager_client.get(CONTRACTOR_PAGE).content.decode()
    assert "Groot Zorg als contractpartij — 2026Q3" in text
    assert cells(text, "clients_in_care")["kwartaal"] == "1.500"
    assert cells(text, "mean_wait_days")["kwartaal"] == "19,1"
    # Answers and complaints count for the contract holder on their date (INDICATORS.md).
    assert cells(text, "complaints")["kwartaal"] == "4"
    assert text.count("Als contractpartij: ook de antwoorden en klachten over haar "
                      "onderaannemers") == 2  # fmt: skip
    provider_page = contract_manager_client.get(PAGE).content.decode()
    assert "Als contractpartij: ook de antwoorden" not in provider_page
    # Only its own contract counts as contracting party.
    assert '<dd id="contractwaarde">€ 750.000</dd>' in text
    assert "AZ-2026-02" not in text


def test_page_is_printable(contract_manager_client, organisation):
    text = contract_manager_client.get(PAGE).content.decode()
    assert "css/reports.css" in text
    assert "data-print hidden>Afdrukken</button>" in text  # shown by its script (no onclick: CSP)
    assert "js/print-button.js" in text
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/reports.css").read_text()
    print_rules = css[css.index("@media print") :]
    assert ".utrecht-nav-bar" in print_rules and "display: none" in print_rules
    assert "break-inside: avoid" in print_rules


def test_downloads_hold_the_page_figures(contract_manager_client, organisation):
    response = contract_manager_client.get(
        "/rapportage/organisaties/aanbieder/10000001/organisatie.csv?kwartaal=2026Q3"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="organisatie_10000001_aanbieder_2026Q3.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_code = {row[1]: row for row in rows[1:]}
    assert by_code["mean_wait_days"][4:] == ["17,7", "15,2", "", "14,0"]
    assert by_code["clients_in_care"][4:] == ["1234", "1180", "", ""]
    assert by_code["contract_value"][4] == "800000,00"
    # Each contract line as on the page, then the total.
    lines = [row for row in rows[1:] if row[1] == "contract"]
    assert [(row[2], row[4]) for row in lines] == [
        ("AZ-2026-01 Begeleiding West (contractpartij)", "750000,00"),
        ("AZ-2026-02 Dagbesteding (onderaannemer)", "50000,00"),  # 25 % of 200.000
    ]
    assert rows[-1][1] == "contract_value"
    response = contract_manager_client.get(
        "/rapportage/organisaties/aanbieder/10000001/organisatie.xlsx?kwartaal=2026Q3"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    by_code = {row[1]: row for row in sheet.iter_rows(values_only=True)}
    assert by_code["mean_wait_days"][4:] == (17.7, 15.2, None, 14)
    assert by_code["complaints"][4:6] == (3, None)
    lines = [(row[2], row[4]) for row in sheet.iter_rows(values_only=True) if row[1] == "contract"]
    assert lines == [("AZ-2026-01 Begeleiding West (contractpartij)", 750000),
                     ("AZ-2026-02 Dagbesteding (onderaannemer)", 50000)]  # fmt: skip
    assert by_code["contract_value"][4] == 800000


def test_list_page_links_both_roles(contract_manager_client, organisation,
                                    django_assert_max_num_queries):  # fmt: skip
    with django_assert_max_num_queries(8):
        response = contract_manager_client.get("/rapportage/organisaties/?kwartaal=2026Q3")
    text = response.content.decode()
    assert 'href="/rapportage/organisaties/aanbieder/10000001/?kwartaal=2026Q3">1234' in text
    assert 'href="/rapportage/organisaties/contractpartij/10000001/?kwartaal=2026Q3">1500' in text
    assert 'href="/rapportage/organisaties/aanbieder/10000002/?kwartaal=2026Q3">99' in text
    # The quarter choice lists the stored quarters, newest first.
    assert re.findall(r'<option value="(\d{4}Q\d)"', text) == ["2026Q3", "2026Q2"]


def test_bad_quarter_and_unknown_organisation(contract_manager_client, organisation):
    response = contract_manager_client.get("/rapportage/organisaties/?kwartaal=2026Q9")
    assert "Kwartaal: &#x27;2026Q9&#x27; is geen kwartaal; gebruik de vorm 2026Q3." in (
        response.content.decode()
    )
    assert (
        contract_manager_client.get("/rapportage/organisaties/aanbieder/99999999/").status_code
        == 404
    )
    assert contract_manager_client.get("/rapportage/organisaties/wijk/10000001/").status_code == 404


def test_quarter_without_values_says_so(contract_manager_client, organisation):
    text = contract_manager_client.get(
        "/rapportage/organisaties/aanbieder/10000001/?kwartaal=2024Q1"
    ).content.decode()
    assert (
        "Voor 2024Q1 zijn er geen cijfers van deze organisatie als leverende aanbieder opgeslagen."
        in text
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_download_for_a_bad_quarter_is_refused_not_another_quarters(
    contract_manager_client, organisation, fmt
):
    response = contract_manager_client.get(
        f"/rapportage/organisaties/aanbieder/10000001/organisatie.{fmt}?kwartaal=gisteren"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("Kwartaal: 'gisteren' is geen kwartaal")
    assert "Content-Disposition" not in response

"""Browser tests: the budget page and the spend import behind it (error and success) and the organisation page (screen
and print), each checked with axe-core. Screenshots land in tests/artifacts/."""

from decimal import Decimal

import pytest

from indicators.models import IndicatorValue
from providers.models import Provider
from wmo.finance.models import SpendBooking

pytestmark = pytest.mark.django_db(transaction=True)


SPEND_HEADER = "booking_id,quarter,objective,service_type,contractor_agb,amount_eur\n"


def upload_spend(page, body: str):
    page.get_by_label("Bestand").set_input_files(
        {"name": "spend.csv", "mimeType": "text/csv", "buffer": (SPEND_HEADER + body).encode()}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Importeren").click()
    page.wait_for_load_state()


def test_budget_page_leads_to_the_spend_import_then_shows_the_figures(
    page, login, assert_accessible
):
    Provider.objects.create(agb_code="63003158", name="Zorg BV", kind="care_provider")
    login("contract_manager")
    page.goto("/rapportage/begroting/")
    assert page.get_by_role("heading", level=1).inner_text() == "Begroting en realisatie"
    assert_accessible()
    page.get_by_role("link", name="Uitgavenboekingen importeren").click()
    page.wait_for_load_state()
    assert page.url.endswith("/uitgaven/")
    assert_accessible()
    page.get_by_role("link", name="Boekingen uploaden").click()
    page.wait_for_load_state()

    # Objective IV without a service: the whole file is refused, in Dutch, nothing stored.
    upload_spend(page, "IV25-1,2025Q1,IV,,63003158,23250000.00\n")
    report = page.locator("#importverslag").inner_text()
    assert "Import afgebroken" in report
    assert "service_type is verplicht bij beleidsdoel IV en V." in page.content()
    assert SpendBooking.objects.count() == 0
    assert_accessible()

    page.goto("/uitgaven/uploaden/")
    upload_spend(page, "".join(f"IV25-{q},2025Q{q},IV,dagbegeleiding,63003158,23250000.00\n"
                               for q in range(1, 5)))  # fmt: skip
    assert SpendBooking.objects.count() == 4
    page.goto("/rapportage/begroting/")
    row = page.locator('tr[data-doel="IV"][data-jaar="2025"]')
    assert row.locator('[data-kolom="realisatie"]').inner_text() == "93.000,0"
    assert row.locator('[data-kolom="prognose"]').inner_text() == "93.000,0"
    assert row.locator('[data-kolom="afwijking"]').inner_text() == "+1.142,0"
    assert sum(b.amount_eur for b in SpendBooking.objects.all()) == Decimal("93000000.00")
    assert_accessible()


@pytest.fixture
def organisation_values():
    Provider.objects.create(agb_code="10000001", name="Groot Zorg", kind="care_provider")
    figures = {
        ("2026Q3", "clients_in_care"): Decimal(1234),
        ("2026Q2", "clients_in_care"): Decimal(1180),
        ("2026Q3", "mean_wait_days"): Decimal("17.7"),
        ("2026Q2", "mean_wait_days"): Decimal("15.2"),
        ("2026Q3", "complaints"): Decimal(3),
        ("2026Q3", "exp_solution_pct"): Decimal("81.0"),
    }
    for (quarter, indicator), value in figures.items():
        IndicatorValue.objects.create(quarter=quarter, level="provider", level_key="10000001",
                                      indicator=indicator, value=value)  # fmt: skip
    for quarter in ("2026Q2", "2026Q3"):
        IndicatorValue.objects.create(quarter=quarter, level="system", level_key="all",
                                      indicator="clients_in_care", value=Decimal(5000))  # fmt: skip


def test_organisation_page_screen_and_print(page, login, assert_accessible, organisation_values):
    login("contract_manager")
    page.goto("/rapportage/organisaties/?kwartaal=2026Q3")
    assert_accessible()
    page.get_by_role("link", name="1234 — Groot Zorg als aanbieder").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Groot Zorg als leverende aanbieder — 2026Q3"
    )
    clients = page.locator('tr[data-indicator="clients_in_care"]')
    assert clients.locator('[data-kolom="kwartaal"]').inner_text() == "1.234"
    assert clients.locator('[data-kolom="vorig"]').inner_text() == "1.180"
    wait = page.locator('tr[data-indicator="mean_wait_days"]')
    assert wait.locator('[data-kolom="kwartaal"]').inner_text() == "17,7"
    assert wait.locator('[data-kolom="vorig"]').inner_text() == "15,2"
    assert (
        page.locator('tr[data-indicator="complaints"] [data-kolom="kwartaal"]').inner_text() == "3"
    )
    assert_accessible()

    # Choosing another quarter keeps the organisation.
    page.get_by_label("Kwartaal", exact=True).select_option("2026Q2")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_load_state()
    assert clients.locator('[data-kolom="kwartaal"]').inner_text() == "1.180"

    page.goto("/rapportage/organisaties/aanbieder/10000001/?kwartaal=2026Q3")
    page.emulate_media(media="print")
    assert not page.locator("nav.utrecht-nav-bar").is_visible()
    assert not page.get_by_role("button", name="Afdrukken").is_visible()
    assert page.locator("#tabel-wachttijden").is_visible()
    page.emulate_media(media="screen")
    assert page.locator("nav.utrecht-nav-bar").is_visible()


def test_council_quarterly_report_and_budget_pages(page, login, assert_accessible):
    IndicatorValue.objects.create(quarter="2026Q3", level="system", level_key="all",
                                  indicator="clients_in_care", value=Decimal(3))  # fmt: skip
    login("council_member")
    page.goto("/rapportage/kwartaalrapportage/?kwartaal=2026Q3")
    link = page.get_by_role("link", name="Kwartaalrapportage 2026Q3 downloaden (PDF, afgeschermd)")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "kwartaalrapportage_2026Q3_raad.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
    assert_accessible()
    page.goto("/rapportage/begroting/")
    assert page.get_by_role("link", name="Uitgavenboekingen importeren").count() == 0
    assert (
        page.locator('tr[data-doel="IV"][data-jaar="2025"] [data-kolom="begroting"]').inner_text()
        == "91.858,0"
    )
    assert_accessible()


def test_staff_download_both_quarterly_versions(page, login, assert_accessible):
    IndicatorValue.objects.create(quarter="2026Q3", level="system", level_key="all",
                                  indicator="clients_in_care", value=Decimal(3))  # fmt: skip
    login("contract_manager")
    page.goto("/rapportage/kwartaalrapportage/?kwartaal=2026Q3")
    exact = page.get_by_role("link", name="Kwartaalrapportage 2026Q3 downloaden (PDF)", exact=True)
    council = page.get_by_role(
        "link", name="Versie voor de raad 2026Q3 downloaden (PDF, afgeschermd)"
    )
    for link, filename in ((exact, "kwartaalrapportage_2026Q3.pdf"),
                           (council, "kwartaalrapportage_2026Q3_raad.pdf")):  # fmt: skip
        with page.expect_download() as download_info:
            link.click()
        assert download_info.value.suggested_filename == filename
    assert_accessible()


def test_budget_lines_edit_refusal_history_and_new_year(page, login, assert_accessible):
    from indicators.models import BudgetLine, BudgetLineChange

    login("contract_manager")
    page.goto("/rapportage/begroting/")
    page.get_by_role("link", name="Begrotingsregels wijzigen of een jaar toevoegen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Begrotingsregels"
    assert_accessible()
    page.get_by_role("link", name="Wijzigen IV — Begroting", exact=True).click()
    page.wait_for_load_state()
    # A saving on the budget line is refused, in Dutch, at the field; nothing is stored.
    page.get_by_label("2026 (k€)").fill("-5")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert "alleen besparingen zijn negatief" in page.locator("#id_jaar_2026-fout").inner_text()
    assert BudgetLineChange.objects.count() == 0
    assert_accessible()
    page.get_by_label("2026 (k€)").fill("90000")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    history = page.locator("#begroting-historie").inner_text()
    assert "88562" in history and "90000" in history
    page.get_by_label("Jaar", exact=True).fill("2028")
    page.get_by_role("button", name="Jaar toevoegen").click()
    page.wait_for_load_state()
    assert BudgetLine.objects.get(objective="V", line="budget", year=2028).amount_keur == 116839
    assert_accessible()


def test_years_and_amounts_are_never_broken_mid_number(page, login):
    # Before: the library's root `word-break: break-word` let the budget table's year column
    # shrink below "2024" and show it as "202" over "4" at 1440×900.
    page.set_viewport_size({"width": 1440, "height": 900})
    login("contract_manager")
    page.goto("/rapportage/begroting/")
    lines = page.evaluate("""() => [...document.querySelectorAll('table tbody td')]
        .filter(cell => /^[−+-]?[\\d.,]+$/.test(cell.textContent.trim()))
        .map(cell => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            return [cell.textContent.trim(), tops.size];
        })""")
    assert len(lines) > 40
    assert [text for text, count in lines if count > 1] == []

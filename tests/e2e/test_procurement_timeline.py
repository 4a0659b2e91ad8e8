"""The tender timeline in a real browser: content, keyboard, table alternative, WCAG 2.1 AA."""

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("role", ["council_member", "contract_manager"])
def test_timeline_is_accessible_and_shows_the_tender(page, login, assert_accessible, role):
    login(role)
    page.get_by_role("link", name="Aanbesteding", exact=True).first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/aanbesteding/")
    assert page.get_by_role("heading", level=1).inner_text() == "Tijdlijn van de aanbesteding"
    timeline = page.get_by_role("region", name="Tijdlijn 2025–2031")
    assert "Gepland: half mei 2025" in timeline.inner_text()
    assert "Gepland: 1 januari 2027" in timeline.inner_text()
    assert "Motie: WMO aanvullende zorg, divers en kleinschalig houden (EenUtrecht)" in (
        timeline.inner_text()
    )
    assert page.locator(".pt-today-label").inner_text().startswith("Vandaag ")
    table = page.locator("#tijdlijn-tabel")
    # 22 steps (the 19 of the tender and the 3 later contract moments), 3 options, 1 motion.
    assert table.locator("tbody tr").count() == 22 + 3 + 1
    row = table.locator("tbody tr", has_text="Start van het contract").first
    assert "1 januari 2027" in row.inner_text()
    edit_links = page.get_by_role("link", name="Wijzig Voorlopige gunning")
    assert edit_links.count() == (1 if role == "contract_manager" else 0)
    assert_accessible()


def test_timeline_is_usable_with_the_keyboard(page, login):
    login("council_member")
    page.goto("/aanbesteding/")
    region = page.get_by_role("region", name="Tijdlijn 2025–2031")
    region.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-labelledby')") == "tijdlijn-kop"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Concept-publicatie van de opdracht en marktconsultatie"
    page.keyboard.press("Enter")
    # Waits for the navigation the key starts (a load-state wait may return before it begins);
    # fails after the timeout if Enter did not follow the link.
    page.wait_for_url("**/aanbesteding/30209886/#mijlpaal-draft_publication")


def test_contract_manager_records_a_date_and_the_tender_page_is_accessible(
    page, login, assert_accessible
):
    login("contract_manager")
    page.goto("/aanbesteding/")
    page.get_by_role(
        "link", name="Wijzig Concept-publicatie van de opdracht en marktconsultatie"
    ).click()
    page.get_by_label("Werkelijke datum").fill("2025-05-15")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert "/aanbesteding/30209886/" in page.url
    row = page.locator("#mijlpaal-draft_publication")
    assert "15 mei 2025" in row.inner_text()
    assert "Afgerond" in row.inner_text()
    assert_accessible()
    page.goto("/aanbesteding/")
    item = page.locator("#tijdlijn-mijlpaal-draft_publication")
    assert "Werkelijk: 15 mei 2025" in item.inner_text()
    assert "Afgerond" in item.inner_text()


def test_motion_form_shows_dutch_errors_accessibly(page, login, assert_accessible):
    login("contract_manager")
    page.goto("/aanbesteding/moties/")
    page.get_by_role("link", name="WMO aanvullende zorg, divers en kleinschalig houden").click()
    assert page.locator("#motie-status").inner_text() == "Onbekend"
    page.get_by_role("link", name="Motie wijzigen").click()
    page.get_by_label("Status van de motie").select_option("adopted")
    page.get_by_role("group", name="Verzoek 1").get_by_label("Status").select_option("done")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert "Er is niets opgeslagen." in page.locator("#formulier-fouten").inner_text()
    error = page.locator("#id_verzoeken-0-response-fout")
    assert "Geef de reactie van het college bij een afgehandeld verzoek." in error.inner_text()
    assert_accessible()


def test_contract_manager_adds_a_motion_linked_to_a_council_letter(page, login, assert_accessible):
    login("contract_manager")
    page.goto("/aanbesteding/moties/")
    page.get_by_role("link", name="Motie toevoegen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Motie toevoegen"
    assert_accessible()
    page.get_by_label("Datum", exact=True).fill("2026-02-12")
    page.get_by_label("Titel", exact=True).fill("Cliëntparticipatie in de implementatie")
    page.get_by_label("Partij", exact=True).fill("GroenLinks")
    page.get_by_label("Raadsinformatiebrief bij de voorlopige gunning").check()
    page.get_by_role("group", name="Nieuw verzoek 1").get_by_label("Verzoek", exact=True).fill(
        "Cliëntenraden te betrekken bij de implementatie."
    )
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Motie: Cliëntparticipatie in de implementatie"
    )
    assert "Raadsinformatiebrief bij de voorlopige gunning" in page.locator("main").inner_text()
    assert_accessible()
    page.goto("/aanbesteding/")
    assert "Motie: Cliëntparticipatie in de implementatie (GroenLinks)" in (
        page.get_by_role("region", name="Tijdlijn 2025–2031").inner_text()
    )


def test_criteria_page_shows_the_sum_error_accessibly(page, login, assert_accessible):
    login("contract_manager")
    page.goto("/aanbesteding/30209886/")
    page.get_by_role("link", name="Gunningscriteria en wegingen vastleggen").click()
    page.get_by_label("Nummer", exact=True).fill("1")
    page.get_by_label("Gunningscriterium", exact=True).fill("Kwaliteit")
    page.get_by_label("Weging (%)", exact=True).fill("60")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert "Er is niets opgeslagen." in page.locator("#formulier-fouten").inner_text()
    assert "De wegingen tellen samen op tot 60,00 %" in page.locator("main").inner_text()
    assert_accessible()


def test_subscription_link_opens_the_calendar_without_a_login(
    page, login, browser, assert_accessible, live_server
):
    login("council_member")
    page.goto("/aanbesteding/")
    page.get_by_role("button", name="Link maken").click()
    page.wait_for_load_state()
    assert page.url.endswith("/aanbesteding/#agenda")
    first = page.get_by_label("Abonnementslink").input_value()
    assert first.startswith(f"{live_server.url}/aanbesteding/agenda/") and first.endswith(".ics")
    webcal = page.locator("#agenda-webcal").get_attribute("href")
    assert webcal == "webcal://" + first.split("://", 1)[1]
    assert_accessible()
    page.locator("#agenda-abonnement").screenshot(
        path=str(ARTIFACTS / "procurement-subscription.png")
    )

    outsider = browser.new_context()  # no cookies: how a calendar app polls
    try:
        response = outsider.request.get(first)
        assert response.status == 200
        assert response.headers["content-type"] == "text/calendar; charset=utf-8"
        body = response.text()
        assert body.startswith("BEGIN:VCALENDAR")
        assert "divers en kleinschalig houden" in body

        page.get_by_role("button", name="Nieuwe link maken").click()
        page.wait_for_load_state()
        second = page.get_by_label("Abonnementslink").input_value()
        assert second != first
        assert "De vorige link werkt niet meer" in page.locator(".wmo-messages").inner_text()
        assert outsider.request.get(first).status == 404
        assert outsider.request.get(second).status == 200

        page.get_by_role("button", name="Link intrekken").click()
        page.wait_for_load_state()
        assert page.get_by_label("Abonnementslink").count() == 0
        assert outsider.request.get(second).status == 404
    finally:
        outsider.close()


def test_contract_and_extension_options_on_the_timeline(page, login, assert_accessible):
    from providers.models import Contract
    from tests.seeded import demo_providers_and_tender_links

    demo_providers_and_tender_links()
    contract = Contract.objects.get(reference="AZ-2027-STAD")
    login("council_member")
    page.goto("/aanbesteding/")
    timeline = page.get_by_role("region", name="Tijdlijn 2025–2031")
    text = timeline.inner_text()
    assert "Looptijd: 1 januari 2027 t/m 31 december 2030" in text
    assert "Periode: 1 januari 2031 t/m 31 december 2032 (loopt door na 2031)" in text
    assert "Periode: 1 januari 2033 t/m 31 december 2034 (na 2031, buiten de tijdlijn)" in text
    row = page.locator("#tijdlijn-tabel tbody tr", has_text="Verlengingsoptie 2 van 2")
    assert "Open" in row.inner_text()
    assert_accessible()
    page.locator('ol[aria-labelledby="groep-options"]').screenshot(
        path=str(ARTIFACTS / "procurement-timeline-options.png")
    )
    row.get_by_role("link", name="Verlengingsoptie in contract AZ-2027-STAD").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/contracten/{contract.pk}/")
    assert "AZ-2027-STAD" in page.get_by_role("heading", level=1).inner_text()

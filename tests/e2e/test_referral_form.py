"""The referral registration form, keyboard only: fill and submit, then an error case."""

import pytest

from providers.models import Provider
from wmo.referrals.models import Referral

# live_server flushes the database; tests/conftest.py puts the reference data back after each test.
pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page, element_id, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} not reachable with Tab")


def fill_by_keyboard(page, bsn):
    tab_to(page, "id_bsn")
    page.keyboard.type(bsn)
    tab_to(page, "id_service_type")
    page.keyboard.type("Dagbegeleiding")
    tab_to(page, "id_provider")
    page.keyboard.type("Zorg Utrecht")
    tab_to(page, "id_group_based")
    page.keyboard.press("Space")
    tab_to(page, "id_birth_year")
    page.keyboard.type("1956")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_register_referral_by_keyboard(page, login, assert_accessible):
    Provider.objects.create(agb_code="12345678", name="Zorg Utrecht", kind="care_provider")
    login("buurtteam_worker", team_code="BT05")
    page.goto("/verwijzingen/registreren/")
    assert page.get_by_role("heading", level=1).inner_text() == "Verwijzing registreren"
    assert_accessible()
    fill_by_keyboard(page, "111222333")
    assert "is geregistreerd" in page.content()
    referral = Referral.objects.get()
    assert referral.group_based and referral.team.code == "BT05"
    assert referral.service_type.code == "dagbegeleiding"
    assert "111222333" not in page.content()
    assert_accessible()


def test_register_referral_error_by_keyboard(page, login, assert_accessible):
    Provider.objects.create(agb_code="12345678", name="Zorg Utrecht", kind="care_provider")
    login("buurtteam_worker", team_code="BT05")
    page.goto("/verwijzingen/registreren/")
    fill_by_keyboard(page, "111222334")
    error = page.locator("#id_bsn-fout")
    assert "elfproef" in error.inner_text()
    assert page.get_by_label("BSN").get_attribute("aria-invalid") == "true"
    assert Referral.objects.count() == 0
    assert_accessible()


def test_waiting_list_is_accessible(page, login, assert_accessible):
    import datetime

    from districts.models import Buurtteam, District
    from wmo.catalogue.models import ServiceType
    from wmo.referrals.services import register_referral

    provider = Provider.objects.create(
        agb_code="12345678", name="Zorg Utrecht", kind="care_provider"
    )
    register_referral(user=None, bsn="111222333", district=District.objects.get(code="WK034403"),
                      service_type=ServiceType.objects.get(code="dagbegeleiding"), provider=provider,
                      team=Buurtteam.objects.get(code="BT05"),
                      referral_date=datetime.date(2026, 3, 2))  # fmt: skip
    login("contract_manager")
    page.goto("/verwijzingen/?groepeer=voorziening")
    assert "boven de norm" in page.locator("#wachtlijst").inner_text()
    assert_accessible()


def test_service_list_follows_the_referral_date(page, login, assert_accessible):
    login("buurtteam_worker", team_code="BT05")
    page.goto("/verwijzingen/registreren/")
    options = page.locator("#id_service_type option")
    page.fill("#id_referral_date", "31-12-2026")
    page.locator("#id_referral_date").dispatch_event("change")
    page.wait_for_function(
        "document.getElementById('keuzes-bijgewerkt').textContent.includes('31-12-2026')"
    )
    assert "Individuele begeleiding" in options.all_inner_texts()
    page.select_option("#id_service_type", label="Individuele begeleiding")
    page.fill("#id_referral_date", "04-01-2027")
    page.locator("#id_referral_date").dispatch_event("change")
    page.wait_for_function(
        "document.getElementById('keuzes-bijgewerkt').textContent.includes('04-01-2027')"
    )
    texts = options.all_inner_texts()
    assert "Ambulante begeleiding" in texts and "Individuele begeleiding" not in texts
    status = page.locator("#keuzes-bijgewerkt").inner_text()
    assert "Kies opnieuw bij: voorzieningen" in status
    assert page.locator("#id_service_type").input_value() == ""
    assert_accessible()


def test_contractor_list_follows_the_chosen_provider(page, login, assert_accessible):
    import datetime

    from districts.models import District
    from providers.models import Contract, Subcontract
    from wmo.catalogue.models import ServiceType

    main = Provider.objects.create(
        agb_code="12345678", name="Hoofdaannemer Zorg", kind="care_provider"
    )
    sub = Provider.objects.create(
        agb_code="23456789", name="Onderaannemer Buurt", kind="care_provider"
    )
    second = Provider.objects.create(agb_code="34567890", name="Tweede Contracthouder",
                                     kind="care_provider")  # fmt: skip
    Provider.objects.create(agb_code="45678901", name="Zonder Contract", kind="care_provider")
    city_wide = Contract.objects.create(
        reference="DB-E2E-2", name="Dagbegeleiding stad", contractor=second, city_wide=True,
        instrument="public_contract", financing="lump_sum", start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )  # fmt: skip
    city_wide.service_types.add(ServiceType.objects.get(code="dagbegeleiding"))
    contract = Contract.objects.create(
        reference="DB-E2E", name="Dagbegeleiding", contractor=main, instrument="public_contract",
        financing="lump_sum", start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )  # fmt: skip
    contract.service_types.add(ServiceType.objects.get(code="dagbegeleiding"))
    contract.districts.add(District.objects.get(code="WK034403"))
    Subcontract.objects.create(contract=contract, subcontractor=sub, annual_value=1,
                               start_date=datetime.date(2025, 1, 1),
                               end_date=datetime.date(2027, 12, 31))  # fmt: skip
    login("buurtteam_worker", team_code="BT05")
    page.goto("/verwijzingen/registreren/")
    page.fill("#id_referral_date", "02-03-2026")
    page.locator("#id_referral_date").dispatch_event("change")
    page.select_option("#id_service_type", label="Dagbegeleiding")
    # Without a contract "Zonder Contract" drops out of both lists.
    page.wait_for_function("document.querySelectorAll('#id_contractor option').length === 3")
    assert page.locator("#id_provider option").all_inner_texts()[1:] == [
        "Hoofdaannemer Zorg", "Onderaannemer Buurt", "Tweede Contracthouder"]  # fmt: skip
    assert page.locator("#id_contractor option").all_inner_texts()[1:] == [
        "Hoofdaannemer Zorg", "Tweede Contracthouder"]  # fmt: skip
    # A subcontractor delivers only for its main contractor.
    page.select_option("#id_provider", label="Onderaannemer Buurt")
    page.wait_for_function("document.querySelectorAll('#id_contractor option').length === 2")
    assert page.locator("#id_contractor option").all_inner_texts()[1:] == ["Hoofdaannemer Zorg"]
    tab_to(page, "id_bsn")
    page.keyboard.type("111222333")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    referral = Referral.objects.get()
    assert (referral.provider, referral.contractor) == (sub, main)
    assert_accessible()


def test_case_form_fetches_no_choice_lists(page, login, assert_accessible):
    login("buurtteam_worker", team_code="BT05")
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto("/verwijzingen/casussen/registreren/")
    page.select_option("#id_district", label="Noordwest")
    page.locator("#id_district").dispatch_event("change")
    page.fill("#id_registration_date", "02-03-2026")
    page.locator("#id_registration_date").dispatch_event("change")
    page.wait_for_load_state("networkidle")
    assert [url for url in fetched if "keuzes" in url] == []
    assert page.locator("script[src*='referral-form']").count() == 0
    assert_accessible()

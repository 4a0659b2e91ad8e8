"""After a failed submit, focus lands on the error summary (static/js/error-summary.js), whose
links lead into the fields; the page stays axe clean."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

FOCUSED = "document.activeElement && (document.activeElement.id || document.activeElement.tagName)"


def test_focus_lands_on_the_error_summary_and_its_links_lead_to_the_fields(
    page, login, assert_accessible
):
    login("contract_manager")
    page.goto("/normen/eerste-contact-buurtteam/nieuw/")
    page.fill("#id_source", "")
    page.fill("#id_valid_from", "")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    summary = page.locator("[data-error-summary]")
    assert summary.get_attribute("role") == "alert"
    page.wait_for_function("document.activeElement.hasAttribute('data-error-summary')")
    assert page.evaluate(FOCUSED) == "formulier-fouten"
    links = summary.get_by_role("link")
    assert links.count() >= 2
    source = summary.get_by_role("link", name="Bron", exact=False)
    source.click()
    assert page.evaluate(FOCUSED) == "id_source"
    # The field's own error is described to it, not announced as another alert.
    assert page.locator("[role=alert]").count() == 1
    assert "id_source-fout" in page.locator("#id_source").get_attribute("aria-describedby")
    assert_accessible()


def test_a_refused_referral_action_moves_focus_to_the_summary(page, login, assert_accessible):
    # Before: the refused action's error sat beside its form far down the page, focus at the top.
    import datetime

    from districts.models import Buurtteam, District
    from providers.models import Provider
    from wmo.catalogue.models import ServiceType
    from wmo.referrals.services import register_referral

    provider = Provider.objects.create(agb_code="12345678", name="Zorg Utrecht",
                                       kind="care_provider")  # fmt: skip
    referral = register_referral(user=None, bsn="111222333", provider=provider,
                                 district=District.objects.get(code="WK034403"),
                                 service_type=ServiceType.objects.get(code="dagbegeleiding"),
                                 team=Buurtteam.objects.get(code="BT05"),
                                 referral_date=datetime.date(2026, 3, 2))  # fmt: skip
    login("buurtteam_worker", team_code="BT05")
    page.goto(f"/verwijzingen/{referral.external_id}/")
    page.fill("#id_assign_date", "31-02-2026")
    with page.expect_navigation():
        page.locator("form[aria-label=Toewijzen] button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.title().startswith(f"Fout: Verwijzing {referral.external_id}")
    page.wait_for_function("document.activeElement.hasAttribute('data-error-summary')")
    assert page.evaluate(FOCUSED) == "foutmelding"
    page.locator("[data-error-summary]").get_by_role("link", name="Datum", exact=False).click()
    assert page.evaluate(FOCUSED) == "id_assign_date"
    assert page.locator("[role=alert]").count() == 1
    assert_accessible()

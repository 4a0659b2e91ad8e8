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

"""Before a signed-in session times out, the page warns and one action extends it
(static/js/session-timeout.js; WCAG 2.2.1). Before, a timed-out form lost what was typed."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_warning_comes_before_the_timeout_and_extends_the_session(
    page, login, assert_accessible, settings
):
    # 2 minutes of warning before a 2 minutes 4 seconds idle time: the dialog comes at once.
    settings.WMO_SESSION_IDLE_SECONDS = 124
    login("buurtteam_worker")
    page.goto("/verwijzingen/registreren/")
    dialog = page.locator("#sessie-waarschuwing")
    page.wait_for_function("document.getElementById('sessie-waarschuwing').open", timeout=15000)
    assert "Uw sessie verloopt bijna" in dialog.inner_text()
    assert_accessible()
    with page.expect_response("**/account/sessie-verlengen/") as answer:
        dialog.get_by_role("button", name="Sessie verlengen").click()
    assert answer.value.status == 204
    page.wait_for_function("!document.getElementById('sessie-waarschuwing').open")

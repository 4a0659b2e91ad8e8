"""Every main page under the real Content-Security-Policy in Chromium: no violation reported
(securitypolicyviolation events, console errors), and the pages still work — charts drawn,
timelines positioned, the API documentation (ReDoc) rendered, the admin usable."""

import pytest

from tests.e2e.conftest import CONTEXT, close_after_failure_screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# Injected through the DevTools protocol before any page script: not itself subject to the CSP.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def page(transactional_db, browser, live_server, request):
    """A page under the real policy (the suite's shared fixture bypasses it for Playwright's
    wait_for_function). Avoid wait_for_function here: the policy refuses its eval."""
    context = browser.new_context(base_url=live_server.url, **CONTEXT)
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    close_after_failure_screenshot(page, request, full_page=False)


@pytest.fixture
def watch(page):
    """watch(url, ready=None) opens url and returns the CSP violations and console errors."""
    console = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: console.append(f"page error: {error}"))

    def visit(url, ready=None):
        console.clear()
        page.goto(url)  # until the load event: deferred scripts have run
        if ready:
            page.wait_for_selector(ready, timeout=10_000)
        # Violation events are queued as tasks: read them a moment later.
        reported = page.evaluate("() => new Promise((r) => setTimeout(() => r(window.__csp), 150))")
        # A 404 page logs its own status as a console error; that is not a policy problem.
        problems = reported + [text for text in console if "status of 404" not in text]
        return [f"{url}: {problem}" for problem in problems]

    return visit


def test_contract_manager_pages(page, login, watch, world):
    login("contract_manager")
    contract = world["contract"]
    pages = {
        "/": None,
        "/wijken/": None,
        "/wijken/WK034403/": None,
        "/aanbieders/": None,
        f"/aanbieders/{world['provider']}/": None,
        "/consortia/": None,
        "/contracten/": None,
        f"/contracten/{contract}/": ".prv-timeline__bar",
        f"/contracten/{contract}/structuur/": None,
        "/landschap/": None,
        "/dashboard/?kwartaal=2026Q3": 'canvas[data-chart-id="trend-clients_in_care"][data-drawn]',
        "/dashboard/raad/?kwartaal=2026Q3": "canvas[data-drawn]",
        "/aanbesteding/": ".pt-bar",
        "/aanbesteding/30209886/": None,
        "/aanbesteding/moties/": None,
        "/verwijzingen/": None,
        "/verwijzingen/importeren/": None,
        "/kwaliteit/ervaringen/": None,
        "/rapportage/begroting/": None,
        "/rapportage/organisaties/": None,
        "/rapportage/organisaties/aanbieder/10000001/?kwartaal=2026Q3": "button[data-print]",
        "/rapportage/kwartaalrapportage/": None,
        "/bestaat-niet/": None,
    }
    problems = []
    for url, ready in pages.items():
        problems += watch(url, ready)
    assert problems == []

    # The positions the server computed reached the CSS without style="" attributes.
    page.goto(f"/contracten/{contract}/")
    width = page.locator(".prv-timeline__bar").first.evaluate(
        "e => e.getBoundingClientRect().width"
    )
    assert width > 10
    page.goto("/aanbesteding/")
    start = page.locator(".pt-bar").first.evaluate(
        "e => getComputedStyle(e).getPropertyValue('--start')"
    )
    assert start.strip().endswith("%")
    page.goto("/dashboard/?kwartaal=2026Q3")
    page.wait_for_selector("canvas[data-drawn]")
    # htmx swapped the figures in: still no violation, charts drawn again.
    page.locator("select[name=wijk]").select_option("WK034401")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_selector("#kwartaal-kop:has-text('West')")
    page.wait_for_selector('canvas[data-chart-id="trend-clients_in_care"][data-drawn]')
    assert page.evaluate("window.__csp") == []


def test_buurtteam_forms(page, login, watch, world):
    login("buurtteam_worker")
    problems = watch("/verwijzingen/registreren/", "#id_referral_date")
    problems += watch("/verwijzingen/casussen/registreren/")
    assert problems == []


def test_api_pages(page, login, watch):
    login("contract_manager")
    problems = watch("/api/v1/wijken")
    # ReDoc's page allows Redocly's logo from their CDN; the test machine has no internet.
    page.route(
        "https://cdn.redoc.ly/**",
        lambda route: route.fulfill(status=200, content_type="image/svg+xml", body="<svg/>"),
    )
    problems += watch("/api/v1/docs", "h1")
    assert problems == []
    assert "Wmo aanvullende zorg" in page.locator("h1").first.inner_text()


def test_admin_and_anonymous_pages(page, watch, django_user_model):
    problems = watch("/account/inloggen/")
    problems += watch("/beheer/login/")
    admin = django_user_model.objects.create_superuser("beheerder", password="Geheim-wachtwoord-1")
    page.goto("/beheer/login/")
    page.fill("#id_username", "beheerder")
    page.fill("#id_password", "Geheim-wachtwoord-1")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    for url in ["/beheer/", "/beheer/auth/user/", f"/beheer/auth/user/{admin.pk}/change/",
                "/beheer/auth/user/add/", "/beheer/accounts/auditevent/"]:  # fmt: skip
        problems += watch(url)
    assert problems == []

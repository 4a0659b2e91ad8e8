"""Browser tests: Debian's Chromium driven by Playwright (never `playwright install`), axe-core
from npm injected into the page. A failed test leaves a screenshot of its page in
tests/artifacts/ for inspection."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM in the live server's
# thread is unaffected, but the test thread's own ORM calls need this flag.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE_FILE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The same file as the live server serves it (wmo/settings/test.py): fetched by the page, and
# kept by the browser for the test's next page.
AXE_URL = "/static/axe-core/axe.min.js"
# The function in axe_run.js, without its leading comment (Playwright tells a function from an
# expression by how the text starts).
AXE_RUN = "\n".join(
    line
    for line in (Path(__file__).parent / "axe_run.js").read_text(encoding="utf-8").splitlines()
    if not line.startswith("//")
)
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


# Every browser context: Dutch, and the visitor prefers reduced motion. Utrecht's root style
# scrolls smoothly otherwise, and Playwright, scrolling an element below the fold into view
# before a click, then finds it "not stable" and retries for up to two seconds a time.
CONTEXT = {"locale": "nl-NL", "reduced_motion": "reduce"}


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test, for the page fixture to see whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: make test installs the Debian package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def pages_context(browser, live_server):
    """The browser context the tests' pages open in, one per test process, with a page kept
    open on the live server's site all along.

    Why: measured on the 2-core machine, 20–30 loads of the login page each: in a new context
    per load 0.87–0.89 s of CPU a load (browser, renderer and server together), in one context
    with a page kept open 0.45–0.51 s. Chromium seems to drop a context's state when its last
    page closes: one context with a new page per load and none kept open cost 0.76–0.80 s, a
    page kept open in another context did not help, and with its HTTP cache off the kept
    context cost 0.59 s. The browser tests took 14–18 % less CPU (tests/e2e, four pairs of runs
    back to back; README). Each test still gets a page of its own (its own document, session
    storage, focus and handlers), and the `page` fixture clears the cookies first, the only
    state the app keeps in a browser (it uses no local storage or service worker, and its pages
    send no freshness headers)."""
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, **CONTEXT)
    keeper = context.new_page()
    keeper.goto(AXE_URL)  # a static file of the live server: no database needed
    yield context
    context.close()


@pytest.fixture
def page(transactional_db, pages_context, request):
    # live_server flushes the database after each test; tests/conftest.py puts the reference
    # data (wijken, groups, service types) that the migrations loaded back before the next.
    # Playwright's wait_for_function compiles its predicate with `new Function` in the page,
    # which the app's Content-Security-Policy (no eval) refuses: these tests drive pages past
    # it. tests/e2e/test_content_security_policy.py opens the pages under the real policy.
    pages_context.clear_cookies()
    page = pages_context.new_page()
    page.set_default_timeout(15_000)
    yield page
    close_after_failure_screenshot(page, request, whole_context=False)


def close_after_failure_screenshot(
    page, request, full_page: bool = True, whole_context: bool = True
) -> None:
    """Closes the page's context (or only the page, in the shared one), after a screenshot in
    tests/artifacts/ if the test failed. Only a failed test's page is worth a picture: a
    full-page screenshot of every passing test took up to ten seconds each on long pages."""
    call = getattr(request.node, "report_call", None)
    try:
        if call is None or call.failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=full_page)
    finally:
        if whole_context:
            page.context.close()
        else:
            page.close()


def sign_in_with_cookie(context, base_url, user):
    """Signs `user` in to the browser context with a session made on the server
    (tests/signing_in.py), set as the session cookie: no login form to fill in for tests
    about other pages."""
    from django.conf import settings

    from tests.signing_in import session_for

    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_for(user),
                          "url": base_url, "httpOnly": True, "sameSite": "Lax"}])  # fmt: skip


def sign_in_with_form(page, user):
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill("Geheim-wachtwoord-1")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/account/inloggen/" not in url)
    page.wait_for_load_state()


@pytest.fixture
def login(page, user_for, live_server):
    """login(role) signs a fresh user of that role in (session cookie) and opens the home page,
    where the login form would have led. The login form itself is tested with `login_by_form`
    (tests/e2e/test_login_and_navigation.py)."""

    def sign_in(role, **kwargs):
        user = user_for(role, **kwargs)
        sign_in_with_cookie(page.context, live_server.url, user)
        page.goto("/")
        return user

    return sign_in


@pytest.fixture
def login_by_form(page, user_for):
    """login_by_form(role) signs a fresh user of that role in through the real login form."""

    def sign_in(role, **kwargs):
        user = user_for(role, **kwargs)
        sign_in_with_form(page, user)
        return user

    return sign_in


# What axe checks: WCAG 2.1 A and AA.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def axe_violations(page, rules=WCAG_TAGS):
    """Run axe-core in the page against WCAG 2.1 A/AA; return the violations (empty = pass).
    Colour contrast is checked once per distinct look of text (axe_run.js says why and how)."""
    page.add_script_tag(url=AXE_URL)
    result = page.evaluate(AXE_RUN, list(rules))
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@pytest.fixture
def assert_accessible(page):
    def check():
        violations = axe_violations(page)
        assert violations == [], f"axe-core violations on {page.url}: {violations}"

    return check


@pytest.fixture
def world(db):
    """The demo's providers, contracts and tender (seed_providers) and a quarter of stored
    indicator values: pages with real content. Returns the city-wide contract's pk and the first
    provider's AGB code, for detail URLs."""
    from providers.models import Contract, Provider
    from tests.indicators.test_dashboard import store_rows
    from tests.seeded import demo_providers

    demo_providers()
    store_rows()
    return {"contract": Contract.objects.get(reference="AZ-2027-STAD").pk,
            "provider": Provider.objects.order_by("agb_code").first().agb_code}  # fmt: skip

"""The dashboard overview in a real browser at 1440×900: it fits the screen, axe finds nothing,
the council's version too, and a tile opens the objective's details."""

import re

import pytest

from tests.indicators.test_dashboard_overview import store_overview_rows

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stored(db):
    store_overview_rows()


def fits_the_screen(page) -> dict:
    """The bottom of the main content (the page footer may sit below the fold) and the page's
    width (no sideways scrolling)."""
    return page.evaluate(
        "() => ({width: document.documentElement.scrollWidth,"
        " bottom: document.querySelector('main').getBoundingClientRect().bottom})"
    )


@pytest.mark.parametrize(
    ("role", "url"),
    [("contract_manager", "/dashboard/overzicht/?kwartaal=2026Q3"),
     ("council_member", "/dashboard/raad/overzicht/?kwartaal=2026Q3")],
)  # fmt: skip
def test_overview_fits_1440_by_900_and_is_accessible(page, login, assert_accessible, stored,
                                                     role, url):  # fmt: skip
    page.set_viewport_size({"width": 1440, "height": 900})
    login(role)
    page.get_by_label("Hoofdmenu").get_by_role(
        "link", name="Raadsdashboard" if role == "council_member" else "Dashboard", exact=True
    ).click()
    page.wait_for_load_state()
    page.goto(url)
    assert page.locator("section[data-doel]").count() == 3
    assert page.locator("article[data-indicator]").count() == 8
    size = fits_the_screen(page)
    assert size["bottom"] <= 900 and size["width"] <= 1440, size
    assert_accessible()


def test_a_tile_opens_the_objective_details(page, login, stored):
    page.set_viewport_size({"width": 1440, "height": 900})
    login("contract_manager")
    page.goto("/dashboard/overzicht/?kwartaal=2026Q3")
    page.locator('section[data-doel="IV"] article[data-indicator="waiting_at_end"] h3 a').click()
    page.wait_for_load_state()
    assert page.url.endswith("/dashboard/?kwartaal=2026Q3#doel-IV-kop")
    assert page.locator("#doel-IV-kop").is_visible()


def tab_until(page, script: str, expected, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if (
            page.evaluate(f"() => {{ const e = document.activeElement; return e && {script}; }}")
            == expected
        ):
            return
    raise AssertionError(f"not reachable with Tab: {script} == {expected!r}")


def test_the_overview_and_a_filter_on_its_details_by_keyboard_only(page, login, stored):
    """Issue 18's keyboard walkthrough of the dashboard: Tab to a tile, Enter opens its details,
    Tab to the wijk filter, arrow keys choose a wijk, and the Tonen button shows its figures."""
    page.set_viewport_size({"width": 1440, "height": 900})
    login("contract_manager")
    page.goto("/dashboard/overzicht/?kwartaal=2026Q3")
    tile = 'section[data-doel="IV"] article[data-indicator="waiting_at_end"] h3 a'
    tab_until(page, "e.getAttribute('href')", page.locator(tile).get_attribute("href"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.url.endswith("/dashboard/?kwartaal=2026Q3#doel-IV-kop")
    tab_until(page, "e.name", "wijk")
    # Arrow keys move through the wijken without loading anything (WCAG 3.2.2): no request,
    # no history entry, no announcement, until the visitor asks with the Tonen button.
    page.evaluate(
        "window.__requests = 0;"
        " document.body.addEventListener('htmx:beforeRequest', () => window.__requests++)"
    )
    history = page.evaluate("history.length")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__requests") == 0
    assert page.evaluate("history.length") == history and "wijk=" not in page.url
    assert page.locator("#dashboard-melding").inner_text() == ""
    tab_until(page, "e.textContent.trim()", "Tonen")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"wijk=WK\d{6}"))
    assert page.evaluate("window.__requests") == 1
    chosen = page.locator("select[name=wijk] option:checked").inner_text()
    page.wait_for_function(
        "(name) => document.querySelector('#kwartaal-kop').textContent.includes(name)", arg=chosen
    )


def test_the_dashboard_prints_its_figures_without_the_controls(page, login, stored):
    """On paper (print media): no menu, header tools, filters or downloads, and every table
    behind a chart unfolded while printing, folded again afterwards."""
    login("contract_manager")
    page.goto("/dashboard/?kwartaal=2026Q3")
    page.wait_for_selector("canvas[data-drawn]")
    folded = page.locator("details.dash-details:not([open])").count()
    assert folded > 0
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    for hidden in (".utrecht-nav-bar", ".wmo-header__tools", ".dash-filters", ".dash-downloads"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("details.dash-details:not([open])").count() == 0
    assert page.locator("details.dash-details table").first.is_visible()
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert page.locator("details.dash-details:not([open])").count() == folded
    assert page.locator(".utrecht-nav-bar").is_visible()

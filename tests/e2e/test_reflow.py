"""Reflow (WCAG 1.4.10): at 320 CSS pixels wide no page scrolls sideways. The header and the
menu wrap, charts shrink, and a wide table scrolls inside its own labelled, focusable region,
not the page."""

import datetime

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 320
# The elements that reach past the screen's right edge, widest first: what to fix when the
# page overflows. Elements inside a scroll container of their own are not counted.
OVERFLOWING = """(width) => {
  const inScroller = (e) => {
    if (['absolute', 'fixed'].includes(getComputedStyle(e).position)) return false;
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll('*')]
    .filter((e) => e.getBoundingClientRect().right > width + 0.5 && !inScroller(e))
    .map((e) => [e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'
      ? '.' + e.className.trim().split(/\\s+/).join('.') : ''),
      Math.round(e.getBoundingClientRect().right)])
    .sort((a, b) => b[1] - a[1]).slice(0, 8);
}"""
# Every scrolling table container is a named, focusable region (keyboard users can scroll it).
UNNAMED_SCROLLERS = """() => [...document.querySelectorAll('main *')]
  .filter((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)
    && e.scrollWidth > e.clientWidth + 1
    && !(e.tabIndex >= 0 && (e.getAttribute('aria-label') || e.getAttribute('aria-labelledby'))))
  .map((e) => e.tagName.toLowerCase() + '.' + e.className)"""


def waiting_referral():
    from districts.models import Buurtteam, District
    from providers.models import Provider
    from wmo.catalogue.models import ServiceType
    from wmo.referrals.contracts import contracts_in_force
    from wmo.referrals.services import register_referral

    day = datetime.date(2026, 3, 2)
    district = District.objects.get(code="WK034403")
    service_type = ServiceType.objects.get(code="dagbegeleiding")
    # A provider that holds a contract for it on the day (the demo's contracts).
    contractor_ids = contracts_in_force(service_type, district, day).contractor_ids
    provider = Provider.objects.filter(pk__in=contractor_ids).order_by("agb_code").first()
    register_referral(user=None, bsn="111222333", district=district, service_type=service_type,
                      provider=provider, team=Buurtteam.objects.get(code="BT05"),
                      referral_date=day)  # fmt: skip


def problems_at_320(page, urls):
    problems = []
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("load")
        # Charts are drawn after the scripts ran; a canvas that did not shrink shows only then.
        page.wait_for_timeout(50)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            problems.append(f"{url}: {width} px wide, {page.evaluate(OVERFLOWING, WIDTH)}")
        unnamed = page.evaluate(UNNAMED_SCROLLERS)
        if unnamed:
            problems.append(f"{url}: scroll containers without a name or focus: {unnamed}")
    return problems


@pytest.mark.parametrize(
    ("role", "urls"),
    [
        ("buurtteam_worker", ["/", "/verwijzingen/", "/verwijzingen/casussen/",
                              "/verwijzingen/registreren/", "/aanbesteding/"]),
        ("council_member", ["/dashboard/raad/overzicht/?kwartaal=2026Q3",
                            "/dashboard/raad/?kwartaal=2026Q3"]),
    ],
)  # fmt: skip
def test_pages_reflow_at_320_pixels(page, login, world, role, urls, assert_accessible):
    waiting_referral()
    page.set_viewport_size({"width": WIDTH, "height": 800})
    login(role, **({"team_code": "BT05"} if role == "buurtteam_worker" else {}))
    problems = problems_at_320(page, urls)
    assert problems == [], "\n".join(problems)
    # Every menu item and the sign-out button lie on the screen, none cut off.
    for element in page.locator("nav.utrecht-nav-bar a, .wmo-header__tools button").all():
        box = element.bounding_box()
        on_screen = box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
        assert on_screen, (element.inner_text(), box)
    assert_accessible()

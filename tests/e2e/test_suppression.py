"""The council dashboard with figures hidden so that others cannot be worked out: the marker
is seen, the note is read out and written under the table, and the page stays WCAG 2.1 AA."""

import pytest

from indicators.services import compute_values, replace_quarter
from tests.indicators.small_cells import OOST, QUARTERS, build
from wmo.periods import Quarter

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stored(db):
    build()
    for quarter in QUARTERS:
        replace_quarter(Quarter.parse(quarter), compute_values(Quarter.parse(quarter)))


def test_secondary_suppression_is_marked_explained_and_accessible(
    page, login, assert_accessible, stored
):
    login("council_member")
    page.goto("/dashboard/raad/?kwartaal=2026Q3")
    # Oost has 12 waiting; hidden because Zuidwest's 3 would otherwise follow from the total.
    cell = page.locator(f'#tabel-per-wijk tr[data-sleutel="{OOST}"] td').nth(5)
    assert cell.locator("sup").inner_text() == "*"
    assert cell.locator(".dash-visually-hidden").text_content() == (
        " (afgeschermd om herleiding te voorkomen)"
    )
    assert "12" not in cell.inner_text()
    note = page.locator("#tabel-per-wijk + p.dash-note")
    assert note.inner_text() == "* Afgeschermd om herleiding te voorkomen."
    assert "Een cijfer met * is afgeschermd om herleiding te voorkomen" in page.inner_text("main")
    assert_accessible()
    # The same on a tile, for the wijk itself.
    page.goto(f"/dashboard/raad/?kwartaal=2026Q3&wijk={OOST}")
    tile = page.locator('article[data-indicator="waiting_at_end"] .dash-tile__value')
    assert tile.locator("sup").inner_text() == "*"
    assert_accessible()

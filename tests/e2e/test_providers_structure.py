"""Browser test: the consortium/contract structure page reads well and passes axe-core."""

import pytest

from providers.models import Contract
from tests.seeded import demo_providers

# The live server flushes the database after each test; tests/conftest.py puts the reference
# data back after each transactional test.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_landscape():
    demo_providers()
    return Contract.objects.get(reference="AZ-2027-STAD")


def test_structure_page_diagram_table_and_accessibility(page, login, assert_accessible,
                                                        demo_landscape):  # fmt: skip
    login("council_member")
    page.goto(f"/contracten/{demo_landscape.pk}/structuur/")
    assert (
        page.get_by_role("heading", level=1).inner_text().startswith("Structuur van AZ-2027-STAD")
    )
    diagram = page.locator("figure.prv-tree")
    assert diagram.is_visible()
    assert diagram.locator(".prv-tree__district").count() == 10
    assert page.locator("#dekking-rond").inner_text() == "Elke wijk heeft precies één wijkteam."
    table = page.get_by_role("table", name="Wijkteams en onderaannemers per wijk")
    assert table.locator("tbody tr").count() == 10
    # Read-only: no edit buttons for a council member.
    assert page.get_by_role("link", name="Onderaanneming toevoegen").count() == 0
    assert_accessible()


def test_landscape_and_contract_pages_accessible(page, login, assert_accessible, demo_landscape):
    login("contract_manager")
    page.goto("/landschap/")
    assert page.get_by_role("table").locator("tbody tr").count() == 11
    assert_accessible()
    page.goto(f"/contracten/{demo_landscape.pk}/")
    assert page.get_by_text("Pilots Beschermd Thuis met nieuwe instroom").first.is_visible()
    assert_accessible()
    page.goto(f"/contracten/{demo_landscape.pk}/onderaannemingen/nieuw/")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.locator("#formulier-fouten").is_visible()
    assert_accessible()
    page.goto("/aanbieders/")
    assert_accessible()


def test_removing_a_wijkteam_after_confirmation(page, login, assert_accessible, demo_landscape):
    """From the team's edit page to the confirmation and back to the structure, which now
    misses the wijk; a subcontractor who runs a team shows why its subcontract stays."""
    team = demo_landscape.district_teams.order_by("district__code").first()
    login("contract_manager")
    page.goto(f"/contracten/{demo_landscape.pk}/wijkteams/{team.pk}/")
    page.get_by_role("link", name="Wijkteam verwijderen").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Wijkteam verwijderen — AZ-2027-STAD"
    )
    assert page.locator("dl.wmo-facts").get_by_text(team.name, exact=True).is_visible()
    assert_accessible()
    page.get_by_role("button", name="Definitief verwijderen").click()
    page.wait_for_url(f"**/contracten/{demo_landscape.pk}/structuur/")
    assert page.get_by_text(f"Wijkteam {team.name} is verwijderd.").is_visible()
    assert not demo_landscape.district_teams.filter(pk=team.pk).exists()
    assert (
        f"{team.district.name} heeft geen wijkteam"
        in page.locator("#dekkingswaarschuwingen").inner_text()
    )
    running = demo_landscape.subcontracts.filter(
        subcontractor__in=demo_landscape.district_teams.values("provider")
    ).first()
    page.goto(f"/contracten/{demo_landscape.pk}/onderaannemingen/{running.pk}/verwijderen/")
    assert "kan niet worden verwijderd" in page.get_by_role("alert").inner_text()
    assert page.get_by_role("button", name="Definitief verwijderen").count() == 0
    assert_accessible()

"""The main menu marks one item as current: aria-current="page" on the link to the page itself,
or aria-current="true" on the item of the section a page lies in; never two at once."""

import re

import pytest

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="utrecht-nav-bar".*?</nav>', re.S)
LINK = re.compile(r'<a class="utrecht-nav-list__link" href="([^"]*)"([^>]*)>([^<]*)</a>')


def menu(client, url):
    """[(href, aria-current or None, label)] of the menu on the page at url."""
    response = client.get(url)
    assert response.status_code == 200, url
    nav = NAV.search(response.content.decode())
    assert nav, f"no menu on {url}"
    links = []
    for href, attributes, label in LINK.findall(nav.group()):
        current = re.search(r'aria-current="([^"]*)"', attributes)
        links.append((href, current.group(1) if current else None, label.strip()))
    return links


def current(links):
    return [(label, value) for _, value, label in links if value]


@pytest.mark.parametrize("role", ["contract_manager", "buurtteam_worker", "council_member"])
def test_each_menu_page_marks_only_its_own_item(client_for, role):
    client = client_for(role)
    for href, _, label in menu(client, "/"):
        if href.startswith("/api/"):
            continue  # the API documentation (ReDoc) has no menu of ours
        assert current(menu(client, href)) == [(label, "page")], href


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/verwijzingen/casussen/", [("Casussen", "page")]),
        ("/verwijzingen/registreren/", [("Verwijzen", "page")]),
        ("/verwijzingen/casussen/registreren/", [("Casus registreren", "page")]),
        ("/verwijzingen/", [("Wachtlijst", "page")]),
        # Linked from the waiting list and under its URL: its section, not its page.
        ("/verwijzingen/in-zorg/", [("Wachtlijst", "true")]),
    ],
)
def test_referral_pages_mark_one_item(client_for, url, expected):
    assert current(menu(client_for("buurtteam_worker", team_code="BT05"), url)) == expected


def test_the_full_dashboards_belong_to_their_overviews_items(client_for):
    assert current(menu(client_for("contract_manager"), "/dashboard/")) == [("Dashboard", "true")]
    council = menu(client_for("council_member"), "/dashboard/raad/")
    assert current(council) == [("Raadsdashboard", "true")]

"""Log in through the real form as each role; check navigation and WCAG 2.1 AA with axe-core."""

import pytest

# The live server flushes the database; tests/conftest.py puts the reference data back.
pytestmark = pytest.mark.django_db(transaction=True)

NAV = {
    "contract_manager": ["Start", "Wijken", "Aanbieders", "Contracten", "Landschap", "Wachtlijst",
                         "Casussen", "Verwijzingen importeren", "Importen", "Kwaliteit", "Dashboard",
                         "Raadsdashboard", "Overgang 2027",
                         "Aanbesteding", "Kwartaalgesprek", "Kwartaalrapportage", "Begroting",
                         "Uitgaven", "Normen", "Audittrail", "API"],
    "buurtteam_worker": ["Start", "Wijken", "Aanbieders", "Verwijzen", "Casus registreren",
                         "Wachtlijst", "Casussen", "Overgang 2027", "Aanbesteding", "API"],
    "council_member": ["Start", "Wijken", "Aanbieders", "Contracten", "Landschap", "Raadsdashboard",
                       "Overgang 2027", "Aanbesteding", "Kwartaalrapportage", "Begroting", "Normen"],
}  # fmt: skip
ROLE_LABEL = {
    "contract_manager": "Accounthouder",
    "buurtteam_worker": "Buurtteammedewerker",
    "council_member": "Raadslid",
}


@pytest.fixture
def login(login_by_form):
    """Here the login form is under test: sign in through it, not by session cookie."""
    return login_by_form


def test_login_page_is_accessible(page, assert_accessible):
    page.goto("/account/inloggen/")
    assert page.get_by_role("heading", level=1).inner_text() == "Inloggen"
    assert page.locator("html").get_attribute("lang") == "nl"
    assert_accessible()


def test_wrong_password_shows_dutch_error_and_stays_accessible(page, user_for, assert_accessible):
    user = user_for("council_member")
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    assert (
        "Voer een juiste gebruikersnaam en wachtwoord in"
        in page.locator("#login-fout").inner_text()
    )
    assert_accessible()


@pytest.mark.parametrize("role", ["contract_manager", "buurtteam_worker", "council_member"])
def test_each_role_sees_its_navigation_and_an_accessible_home(page, login, assert_accessible, role):
    login(role)
    assert page.url.endswith("/")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    assert nav.get_by_role("link").all_inner_texts() == NAV[role]
    assert ROLE_LABEL[role] in page.locator(".wmo-user").inner_text()
    if role == "buurtteam_worker":
        assert "BT05 Buurtteam Overvecht 1" in page.locator("#mijn-team").inner_text()
    assert_accessible()


def test_skip_link_moves_focus_to_main_content(page, login):
    login("council_member")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_logout_returns_to_login(page, login):
    login("contract_manager")
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/account/inloggen/")
    page.goto("/wijken/")
    assert "/account/inloggen/" in page.url


def test_language_switch_in_the_header_is_remembered(page, login, assert_accessible):
    login("buurtteam_worker")
    header = page.locator("header")
    header.get_by_label("Taal").select_option("en")
    header.get_by_role("button", name="Kiezen").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    nav = page.get_by_role("navigation", name="Main menu")
    assert nav.get_by_role("link").all_inner_texts() == [
        "Home", "Districts", "Providers", "Refer", "Register case", "Waiting list", "Cases",
        "Transition 2027", "Tender", "API",
    ]  # fmt: skip
    assert "Neighbourhood team worker" in page.locator(".wmo-user").inner_text()
    assert_accessible()
    nav.get_by_role("link", name="Waiting list").click()  # the cookie keeps the choice
    assert page.get_by_role("heading", level=1).inner_text().startswith("Waiting list")
    assert page.locator("header").get_by_label("Language").input_value() == "en"
    assert_accessible()

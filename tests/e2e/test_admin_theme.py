"""The admin in Utrecht's house style (issue 18): the design tokens' colours reach the admin's
own variables in the browser, the app's wordmark brands it, and axe finds nothing."""

import re

import pytest

from .conftest import axe_violations, sign_in_with_cookie

pytestmark = pytest.mark.django_db(transaction=True)

UTRECHT_RED = "rgb(204, 0, 0)"  # --utrecht-color-red-40: hsl(0 100% 40%)
UTRECHT_BLUE = "rgb(36, 87, 143)"  # --utrecht-color-blue-35: hsl(211 60% 35%)


def colours(page) -> dict:
    return page.evaluate("""() => {
        const header = getComputedStyle(document.querySelector('#header'));
        const link = document.querySelector('tr[class^="model-"] th a');
        return {header: header.backgroundColor,
                link: link ? getComputedStyle(link).color : null};
    }""")


def test_admin_login_and_index_in_utrecht_style(page, live_server, django_user_model):
    page.goto("/beheer/login/")
    assert colours(page)["header"] == UTRECHT_RED
    assert page.locator("#site-name").inner_text().splitlines()[0] == "Gemeente Utrecht"
    assert axe_violations(page) == []
    admin = django_user_model.objects.create_superuser("beheerder", password="Geheim-wachtwoord-1")
    sign_in_with_cookie(page.context, live_server.url, admin)
    page.goto("/beheer/")
    found = colours(page)
    assert (found["header"], found["link"]) == (UTRECHT_RED, UTRECHT_BLUE)
    assert page.get_by_role("link", name="Naar de applicatie").get_attribute("href") == "/"
    assert axe_violations(page) == []


def test_the_api_documentation_is_accessible_and_names_its_language(page, login, live_server):
    """The API documentation (ReDoc, /api/v1/docs) carries the page's language (axe:
    html-has-lang; drf-spectacular's template had a bare <html>) and axe finds nothing. Swagger
    UI was dropped for it: its markup nests links in buttons. ReDoc's own words are English
    whatever the language, the schema's Dutch: in English only <html lang> differs, so axe
    (some ten seconds over this long page) runs once and the English page is only read."""
    login("contract_manager")
    page.goto("/api/v1/docs")
    page.wait_for_selector("h1")
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert "Wmo aanvullende zorg" in page.locator("h1").first.inner_text()
    assert page.locator(".swagger-ui").count() == 0
    assert axe_violations(page) == []
    page.context.add_cookies([{"name": "django_language", "value": "en",
                               "url": live_server.url}])  # fmt: skip
    # ReDoc's drawing of the schema (seconds of the browser's time) adds nothing here: the
    # served document is read with the browser's cookies instead.
    english = page.context.request.get("/api/v1/docs")
    assert english.ok
    assert re.search(r'<html[^>]*\slang="en"', english.text())

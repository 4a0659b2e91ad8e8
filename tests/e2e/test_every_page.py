"""Each role walks every page of its menu, and the pages its tasks lead to one level down, in
Dutch and then in English (issue 18: "the browser tests walk each role through its main tasks
in both languages with axe clean"). Every page answers 200 in the chosen language (<html lang>,
the menu's own name, headings that are not the Dutch ones), and axe-core finds no WCAG 2.1
A/AA violation. All problems of a walk are
reported together, so one run shows every page that needs work."""

import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

MENU = {"nl": "Hoofdmenu", "en": "Main menu"}
# The page's headings taken together: a detail page's title is a name (a wijk, a provider),
# the same in both languages, but its section headings are not.
HEADINGS = "() => [...document.querySelectorAll('main h1, main h2, main h3')].map(h => h.innerText.trim()).join(' | ')"
# The API documentation (ReDoc, the schema's Dutch text on one very long page) has its own test,
# tests/e2e/test_admin_theme.py; axe over it takes some ten seconds.
API_DOCS = "/api/v1/docs"


# Pages one level below the menu, where each role's tasks lead ({contract}, {provider}: the
# demo's city-wide contract and first provider; 30209886 is the demo tender).
DETAILS = {
    "contract_manager": ["/wijken/WK034403/", "/aanbieders/{provider}/", "/consortia/",
                         "/contracten/{contract}/", "/contracten/{contract}/structuur/",
                         "/dashboard/?kwartaal=2026Q3", "/aanbesteding/30209886/",
                         "/aanbesteding/moties/", "/rapportage/organisaties/",
                         "/rapportage/organisaties/aanbieder/10000001/?kwartaal=2026Q3"],
    "buurtteam_worker": ["/wijken/WK034403/", "/aanbieders/{provider}/",
                         "/verwijzingen/casussen/registreren/", "/verwijzingen/in-zorg/"],
    "council_member": ["/wijken/WK034403/", "/contracten/{contract}/",
                       "/dashboard/raad/?kwartaal=2026Q3", "/aanbesteding/30209886/"],
}  # fmt: skip


def choose_language(page, base_url: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])


def menu(page, language: str) -> list[tuple[str, str]]:
    links = page.get_by_role("navigation", name=MENU[language]).get_by_role("link")
    return [(link.inner_text(), link.get_attribute("href")) for link in links.all()]


@pytest.mark.parametrize("role", ["contract_manager", "buurtteam_worker", "council_member"])
def test_every_menu_page_in_both_languages_is_accessible(page, login, live_server, world, role):
    login(role)
    dutch_headings: dict[str, str] = {}
    problems: list[str] = []
    walked = {}
    for language in ("nl", "en"):
        choose_language(page, live_server.url, language)
        page.goto("/")
        links = menu(page, language)
        walked[language] = [url for _, url in links]
        links += [("", url.format(**world)) for url in DETAILS[role]]
        for label, url in links:
            if url == API_DOCS:
                continue
            response = page.goto(url)
            where = f"{language} {url} ({label})"
            if response.status != 200:
                problems.append(f"{where}: HTTP {response.status}")
                continue
            page.wait_for_selector("h1")
            if page.evaluate("document.documentElement.lang") != language:
                problems.append(f"{where}: <html lang> is not {language}")
            headings = page.evaluate(HEADINGS)
            if language == "nl":
                dutch_headings[url] = headings
            elif headings == dutch_headings.get(url):
                problems.append(f"{where}: headings {headings!r} are the Dutch ones")
            problems += [f"{where}: axe {violation}" for violation in axe_violations(page)]
    # The same pages in both languages (the menu is one list, translated), and not a few only.
    assert walked["nl"] == walked["en"]
    assert len(walked["nl"]) >= {"contract_manager": 18, "buurtteam_worker": 8,
                                 "council_member": 10}[role]  # fmt: skip
    assert problems == []

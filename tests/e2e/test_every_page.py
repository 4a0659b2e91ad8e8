"""Each role walks every page of its menu in Dutch and then in English (issue 18: "the browser
tests walk each role through its main tasks in both languages with axe clean"). Every page
answers 200 in the chosen language (<html lang>, the menu's own name, a heading that is not
the Dutch one), and axe-core finds no WCAG 2.1 A/AA violation. All problems of a walk are
reported together, so one run shows every page that needs work."""

import random

import pytest

from providers.demo import seed_providers
from tests.indicators.test_dashboard import store_rows

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MENU = {"nl": "Hoofdmenu", "en": "Main menu"}
# Headings English writes as Dutch does.
SAME_IN_BOTH = {"Dashboard"}
# The API documentation (ReDoc, the schema's Dutch text on one very long page) has its own test,
# tests/e2e/test_admin_theme.py; axe over it takes half a minute.
API_DOCS = "/api/v1/docs"


@pytest.fixture
def world(db):
    seed_providers(random.Random(2027))
    store_rows()


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
            heading = page.locator("h1").first.inner_text().strip()
            if language == "nl":
                dutch_headings[url] = heading
            elif heading == dutch_headings.get(url) and heading not in SAME_IN_BOTH:
                problems.append(f"{where}: heading {heading!r} is the Dutch one")
            problems += [f"{where}: axe {violation}" for violation in axe_violations(page)]
    # The same pages in both languages (the menu is one list, translated), and not a few only.
    assert walked["nl"] == walked["en"]
    assert len(walked["nl"]) >= {"contract_manager": 18, "buurtteam_worker": 8,
                                 "council_member": 10}[role]  # fmt: skip
    assert problems == []

"""Screenshots of the main pages in Dutch and English for the README (docs/screenshots/), taken
from a running `make run` (demo data, demo logins) in headless Chromium.

    make run                      # in one terminal; wait until the demo indicators are done
    .venv/bin/python docs/screenshots.py http://127.0.0.1:8000

Signs in through the login form as each demo login, switches the language with the header's
switch (as a user would) and writes one PNG per page and language at 1440×900."""

import os
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--no-first-run"]  # fmt: skip

# (file name, demo login, password, path)
PAGES = [
    ("overzicht", "accounthouder", "Utrecht-accounthouder-2027", "/dashboard/overzicht/"),
    ("raad-overzicht", "raadslid", "Utrecht-raadslid-2027", "/dashboard/raad/overzicht/"),
    ("verwijzing-registreren", "buurtteam", "Utrecht-buurtteam-2027", "/verwijzingen/registreren/"),
    ("wachtlijst", "buurtteam", "Utrecht-buurtteam-2027", "/verwijzingen/"),
    ("begroting", "accounthouder", "Utrecht-accounthouder-2027", "/rapportage/begroting/"),
    ("overgang-2027", "accounthouder", "Utrecht-accounthouder-2027", "/dashboard/overgang/"),
    ("aanbesteding", "raadslid", "Utrecht-raadslid-2027", "/aanbesteding/"),
]


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/account/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()


def choose_language(page, code: str) -> None:
    select = page.locator("form.wmo-language select[name=language]")
    if select.count() and select.input_value() != code:
        select.select_option(code)
        if page.locator("form.wmo-language button[type=submit]").count():
            with page.expect_navigation():
                page.locator("form.wmo-language button[type=submit]").click()
        page.wait_for_load_state()


def main(base: str) -> None:
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for language in ("nl", "en"):
            for name, username, password, path in PAGES:
                context = browser.new_context(viewport={"width": 1440, "height": 900},
                                              locale="nl-NL")  # fmt: skip
                page = context.new_page()
                sign_in(page, base, username, password)
                page.goto(base + path)
                choose_language(page, language)
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}-{language}.png"
                page.screenshot(path=str(target))
                print(target.relative_to(OUT.parent.parent))
                context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000")

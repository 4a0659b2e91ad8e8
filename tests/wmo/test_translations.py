"""Both languages complete: Dutch is the source text, the English catalogues translate every
message (none missing, none fuzzy, placeholders intact), text added to the code without a
translation fails here, and each role's main pages come in English without Dutch menu words."""

import ast
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale" / "en" / "LC_MESSAGES"
CATALOGUES = ("django", "djangojs")
# As `make messages` runs it (the Makefile's MAKEMESSAGES_IGNORE).
IGNORE = ["tests", "staticfiles", "node_modules", "static/vendor", "bench-data", "media", "uploads"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|%%")


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr (a list), flags, obsolete."""
    entries, entry, key = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            finish()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}, "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
            line = line[2:].strip()
            if not line:
                continue
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        elif line.startswith("#"):
            continue
        match = re.match(r'^(msgid|msgid_plural|msgctxt|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if match:
            name, index, text = match.groups()
            key = ("msgstr", int(index or 0)) if name.startswith("msgstr") else name
            value = ast.literal_eval(text)
        else:
            value = ast.literal_eval(line.strip())
        if isinstance(key, tuple):
            entry["msgstr"][key[1]] = entry["msgstr"].get(key[1], "") + value
        else:
            entry[key] = entry.get(key, "") + value
    return entries


def messages(path: Path) -> list[dict]:
    return [e for e in read_po(path) if not e["obsolete"] and e["msgid"]]


@pytest.mark.parametrize("domain", CATALOGUES)
def test_every_message_is_translated(domain):
    entries = messages(LOCALE / f"{domain}.po")
    assert len(entries) > (1000 if domain == "django" else 5)
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values()) or not e["msgstr"]]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("domain", CATALOGUES)
def test_translations_keep_their_placeholders(domain):
    """A translation that drops or renames a %(name)s shows the wrong text or fails to render."""
    wrong = []
    for e in messages(LOCALE / f"{domain}.po"):
        sources = [e["msgid"], e.get("msgid_plural", e["msgid"])]
        for index, text in e["msgstr"].items():
            source = sources[min(index, 1)]
            # A plural's singular may say "one" instead of %(count)s; nothing may be added.
            exact = not e.get("msgid_plural")
            found, wanted = set(PLACEHOLDER.findall(text)), set(PLACEHOLDER.findall(source))
            if (found != wanted) if exact else not found <= wanted:
                wrong.append((e["msgid"], text))
    assert wrong == []


def test_the_catalogues_are_not_fuzzy_files():
    for domain in CATALOGUES:
        header = (LOCALE / f"{domain}.po").read_text(encoding="utf-8").split("\n\n", 1)[0]
        assert "#, fuzzy" not in header
        assert '"Language: en\\n"' in header


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """makemessages run on a copy of the current code: what the catalogues would hold."""
    if not shutil.which("xgettext"):
        pytest.skip("gettext (xgettext) is not installed; make test-system-deps installs it")
    copy = tmp_path_factory.mktemp("messages") / "app"
    skip = {".git", ".venv", "node_modules", "staticfiles", "tests", "media", "uploads",
            "bench-data", "__pycache__", ".ruff_cache", ".pytest_cache"}  # fmt: skip
    shutil.copytree(
        ROOT, copy, symlinks=True,
        ignore=lambda folder, names: [n for n in names if n in skip or n.endswith(".mo")
                                      or (n == "vendor" and Path(folder).name == "static")],
    )  # fmt: skip
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wmo.settings.test"}
    ignore = [arg for pattern in IGNORE for arg in ("-i", pattern)]
    for domain in CATALOGUES:
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "en", "-d", domain,
             "--no-location", *ignore],
            cwd=copy, env=env, check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    return copy / "locale" / "en" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", CATALOGUES)
def test_no_marked_text_is_missing_from_the_catalogue(fresh_catalogues, domain):
    """New or changed text marked for translation must be in the catalogue, translated: run
    `make messages` and translate what it adds."""
    committed = {e["msgid"] for e in messages(LOCALE / f"{domain}.po")}
    fresh = messages(fresh_catalogues / f"{domain}.po")
    missing = sorted({e["msgid"] for e in fresh} - committed)
    assert missing == []
    # makemessages merges: what it found new would also come back untranslated.
    assert [e["msgid"] for e in fresh if not all(e["msgstr"].values())] == []


class _Text(HTMLParser):
    """The visible text of a page (not scripts or styles) and the text of its main menu."""

    def __init__(self):
        super().__init__()
        self.text, self.menu, self.links, self._skip, self._in_menu = [], [], [], 0, 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a" and self._in_menu:
            self.links.append(dict(attrs)["href"])
        if tag == "nav" and ("class", "utrecht-nav-bar") in attrs:
            self._in_menu += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "nav" and self._in_menu:
            self._in_menu -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.text.append(data.strip())
            if self._in_menu:
                self.menu.append(data.strip())


def visible(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


# The Dutch menu, and Dutch words of the page furniture (headings, buttons, filters, tables)
# that an English page must not show. Names from the data (wijken, voorzieningen) stay Dutch.
DUTCH_MENU = {
    "Start", "Wijken", "Aanbieders", "Contracten", "Landschap", "Verwijzen", "Casus registreren",
    "Wachtlijst", "Verwijzingen importeren", "Importen", "Kwaliteit", "Raadsdashboard",
    "Overgang 2027", "Aanbesteding", "Kwartaalgesprek", "Kwartaalrapportage", "Begroting",
    "Uitgaven", "Normen", "Audittrail",
}  # fmt: skip
DUTCH_WORDS = re.compile(
    r"\b(Uitloggen|Opslaan|Annuleren|Filteren|Filters wissen|Tonen|Kiezen|Wijzigen|Vorige"
    r"|Volgende|pagina|Geen|geen|nog niet|Taal|Verwijzing|Voorziening|Aanbieder|Kwartaal"
    r"|Periode|Wachttijd|Beleidsdoel|Overzicht|Datum|Soort|Naam|Status toegekend|de|het|een"
    r"|van|en|niet|voor|met|naar|zijn|wordt|uw|bij)\b"
)
ROLES = ("anonymous", "buurtteam_worker", "contract_manager", "council_member")
ENGLISH = {
    "anonymous": ["Log in", "Skip to content", "Language"],
    "buurtteam_worker": ["Waiting list", "Refer", "Log out", "Language"],
    "contract_manager": ["Providers", "Contracts", "Tender", "Log out", "Language"],
    "council_member": ["Council dashboard", "Log out", "Language"],
}


def data_text() -> list[str]:
    """Every text value stored in the database (the reference data: wijken, voorzieningen, the
    tender's steps): data keeps its language, so the page check leaves it out."""
    from django.apps import apps
    from django.db import models

    values = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField)) and not f.choices]  # fmt: skip
        if fields:
            for row in model.objects.values_list(*fields):
                values.update(v for v in row if isinstance(v, str) and len(v) > 3)
    return sorted(values, key=len, reverse=True)


def without_data(line: str, data: list[str]) -> str:
    for value in data:
        if value in line:
            line = line.replace(value, " ")
    return line


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_menu_page_in_english(client_for, role):
    """Each page in the role's menu (the login page for anonymous), with the language cookie."""
    client = client_for(role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    start = "/account/inloggen/" if role == "anonymous" else "/"
    first = visible(client.get(start).content.decode())
    text = " ".join(first.text)
    for expected in ENGLISH[role]:
        assert expected in text, (role, expected)
    urls = [start, *(url for url in first.links if url != start and not url.startswith("/api/"))]
    assert len(urls) >= (1 if role == "anonymous" else 3)
    data, dutch = data_text(), []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="en"' in html, url
        page = visible(html)
        assert not set(page.menu) & DUTCH_MENU, (url, page.menu)
        dutch += [(url, line) for line in page.text if DUTCH_WORDS.search(without_data(line, data))]
    assert dutch == []


@pytest.mark.django_db
def test_dutch_stays_the_default(client_for):
    html = client_for("contract_manager").get("/").content.decode()
    assert '<html lang="nl"' in html
    assert {"Aanbieders", "Contracten", "Aanbesteding"} <= set(visible(html).menu)


@pytest.mark.django_db
def test_the_language_switch_is_in_the_header_and_remembered(client_for):
    client = client_for("buurtteam_worker")
    html = client.get("/").content.decode()
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    assert '<label class="utrecht-form-label" for="taalkeuze">Taal</label>' in header
    assert '<option value="en" lang="en">English</option>' in header
    response = client.post("/taal/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert "Waiting list" in visible(html).menu
    assert '<option value="nl" lang="nl">Nederlands</option>' in html


def test_the_scripts_catalogue_is_english(client):
    script = client.get("/taal/js/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Choice lists updated for referral date %(date)s." in script
    assert "City-wide contract" in script

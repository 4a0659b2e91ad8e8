"""The dashboards in English: the headings, table headers and chart summaries that the selectors
build in Python are translated, and the figures take English marks (1,234 and 12.5), where they
used to stay Dutch ("Average waiting time per jaar sinds 2023", "34,2 days ... en 35,0 days").
The Dutch pages are checked to the letter by the other dashboard tests."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from indicators.selectors import format_number
from indicators.selectors.stored import PUBLISHED_NOTES
from tests.indicators.test_dashboard import (  # noqa: F401
    COUNCIL_URL,
    STAFF_URL,
    stored,
    table_row,
    tile,
)
from tests.wmo.test_translations import data_text, visible, without_data

OVERVIEW_URL = "/dashboard/overzicht/?kwartaal=2026Q3"
EXPORT_URL = "/dashboard/export/per-voorziening.csv?kwartaal=2026Q3"
# What the English pages showed in Dutch before (page furniture, never data such as names).
DUTCH = re.compile(
    r"\b(Voorziening|Wijk|Aanbieder|Contractpartij|Kwartaal|Norm \(dagen\)|Norm of doel|Doel"
    r"|Signaalwaarde|Wachttijdnorm|Kwart van de begroting|Kosten per cliënt|Periode|Verhouding"
    r"|Niveau|Heel Utrecht|heel Utrecht|per jaar|per kwartaal|sinds|nulmeting|hoogst|laagst"
    r"|Actieve aanbieders|Uitgaven|Gemiddelde wachttijd|Cliënten in zorg|Verhoudingen|doel"
    r"|gekozen|geen waarde|van de verwijzingen|Elke voorziening|De buurtteams|Per voorziening"
    r"|Bereik|Beschikbaarheid|Kwaliteit|afgeschermd|wachtlijst|dagen|werkdagen|en|van|de|het)\b"
)


def english(client_for, role: str):
    client = client_for(role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def pages(stored, client_for):  # noqa: F811 - the fixture imported above
    """The staff dashboard, its overview, the council dashboard and one CSV, in English."""
    staff, council = english(client_for, "contract_manager"), english(client_for, "council_member")
    return {
        "staff": staff.get(STAFF_URL).content.decode(),
        "overview": staff.get(OVERVIEW_URL).content.decode(),
        "council": council.get(COUNCIL_URL).content.decode(),
        "csv": staff.get(EXPORT_URL).content.decode("utf-8-sig"),
    }


def lines(html: str) -> list[str]:
    return visible(html).text


def test_the_staff_dashboard_speaks_english_with_english_figures(pages):
    html = pages["staff"]
    shown = lines(html)
    assert tile(html, "clients_in_care").startswith("Clients in care 1,234 clients")
    assert "12.5 days" in tile(html, "mean_wait_days")
    assert "€ 88,562.0 k" in tile(html, "budget") and "€ 90,000.0 k (101.6 %)" in tile(
        html, "budget"
    )
    assert (
        "Average waiting time: highest in Overvecht (31.0 days), lowest in West (9.0 days)."
        in shown
    )
    assert "Clients in care: 1,100 clients in 2025Q3 and 1,234 clients in 2026Q3." in shown
    assert "Average waiting time per district, 2026Q3" in shown
    assert "Clients in care per provider, 2026Q3" in shown
    assert "Trends per year and per quarter" in shown
    assert any(line.startswith("Clients in care per year since 2020") for line in shown)
    assert "2020 (baseline, sum per service)" in shown
    assert (
        "Neighbourhood team: referred to specialist support (target 80/20): 18.3 % (target 20 %)."
        in " ".join(shown)
    )
    assert "The neighbourhood teams: first contact within 5 working days; target ratios 80/20" in (
        " ".join(shown)
    )
    assert table_row(html, "per-wijk", "totaal")[:2] == ["All of Utrecht", "1,234"]
    header = re.search(r'id="tabel-per-voorziening".*?<thead[^>]*>(.*?)</thead>', html, re.S)[1]
    assert [visible(cell).text[0] for cell in re.findall(r"<th[^>]*>.*?</th>", header)][:3] == [
        "Service", "Norm (days)", "Clients in care",
    ]  # fmt: skip


@pytest.mark.parametrize("page", ["staff", "overview", "council"])
def test_no_dutch_furniture_on_the_english_dashboards(pages, page):
    data = data_text()  # names of wijken, services and providers stay as they are
    # The published baseline's note quotes its Dutch source heading on purpose.
    quoted = '"Gemiddelde wachttijd per jaar in dagen"'
    dutch = [line for line in lines(pages[page])
             if DUTCH.search(without_data(line, data).replace(quoted, ""))]  # fmt: skip
    assert dutch == []


def test_the_council_dashboard_in_english(pages):
    shown = lines(pages["council"])
    assert "Average waiting time per district, 2026Q3" in shown
    assert "Clients in care per provider, 2026Q3" not in shown  # no organisations for the council
    assert any(
        line.startswith("All of Utrecht, 2026Q3: 37.5 % of the referrals in care") for line in shown
    )


def test_the_csv_of_a_dashboard_table_in_english(pages):
    rows = list(csv.reader(io.StringIO(pages["csv"]), delimiter=";"))
    assert rows[0][:3] == ["Service", "Norm (days)", "Clients in care"]
    assert rows[1][:2] == ["Dagbegeleiding", "14"] and "15.3" in rows[1]
    assert not DUTCH.search(" ".join(rows[0]))


def test_numbers_follow_the_active_language():
    with translation.override("en"):
        assert (format_number(1234567), format_number(Decimal("34.2"))) == ("1,234,567", "34.2")
    with translation.override("nl"):
        assert (format_number(1234567), format_number(Decimal("34.2"))) == ("1.234.567", "34,2")


def test_the_published_baseline_notes_have_a_translation():
    # A note of the baseline file that is not in PUBLISHED_NOTES would show in Dutch.
    with open(
        settings.BASE_DIR / "indicators" / "data" / "baseline_2020_2022.csv", encoding="utf-8"
    ) as f:
        notes = {row["note"] for row in csv.DictReader(f) if row["note"]}
    assert notes <= set(PUBLISHED_NOTES)
    with translation.override("en"):
        assert all(translation.gettext(note) != note for note in notes)

"""The quarterly PDF: it renders, holds the quarter's stored figures and the generated
explanation; council members get the suppressed version; the management command writes it."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from indicators.reports import quarterly
from wmo.periods import Quarter

from .scenario import build

EXPLANATION = [
    "De grootste veranderingen ten opzichte van 2026Q2:",
    # The three largest relative moves at system level, in the overview's order on a tie.
    # Waiting at the end of 2026Q2: R4 (60 days) and R1 (10); of 2026Q3: R4 (152) and R6 (51).
    "Gemiddeld aantal dagen wachtend (eind kwartaal): gestegen van 35,0 naar 101,5 dagen "
    "(+190,0 %), een verslechtering.",
    "Nieuwe verwijzingen: gestegen van 2 naar 4 verwijzingen (+100,0 %).",
    "Gemiddeld aantal wachtenden per maand: gestegen van 1 naar 2 verwijzingen (+100,0 %), "
    "een verslechtering.",
]


def pdf_text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def computed(db):
    build()
    for quarter in ("2026Q2", "2026Q3"):
        call_command("compute_indicators", "--quarter", quarter, "--sync", stdout=io.StringIO())


def test_report_context_explains_the_largest_changes(computed):
    context = quarterly.report_context(Quarter(2026, 3), suppressed=False)
    assert context["explanation"] == EXPLANATION
    overview = {row[0]: row[1:] for row in context["overview"]["rows"]}
    # 2026Q3, 2026Q2, 2025Q3, norm, status — the stored system values of the scenario.
    assert overview["Cliënten in zorg"][:3] == ["3", "2", ""]
    assert overview["Gemiddelde wachttijd"][:2] == ["17,7", ""]
    assert overview["Binnen de norm gestart"][0] == "50,0"
    assert overview["Werkdagen tot eerste contact"][:4] == ["6,5", "", "", "5"]


@pytest.mark.slow
def test_staff_pdf_renders_with_the_quarters_figures(computed, contract_manager_client,
                                                     django_assert_max_num_queries):  # fmt: skip
    with django_assert_max_num_queries(14):
        response = contract_manager_client.get("/rapportage/kwartaalrapportage/2026Q3.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="kwartaalrapportage_2026Q3.pdf"'
    assert response.content.startswith(b"%PDF")
    # Tagged for screen readers (PDF/UA-1), in Dutch.
    catalog = PdfReader(io.BytesIO(response.content)).trailer["/Root"]
    assert {"/StructTreeRoot", "/MarkInfo", "/Lang"} <= set(catalog)
    assert catalog["/Lang"] == "nl" and catalog["/MarkInfo"]["/Marked"]
    text = pdf_text(response.content)
    assert "Kwartaalrapportage stelselindicatoren 2026Q3" in text
    assert "afgeschermde versie" not in text
    for line in EXPLANATION:
        assert line in text
    # Overview rows (value 2026Q3, 2026Q2) and the wijk comparison, as stored.
    assert "Cliënten in zorg 3 2" in text
    assert "Gemiddelde wachttijd 17,7" in text
    assert "Werkdagen tot eerste contact 6,5 5 Boven de norm (5)" in text
    assert "Heel Utrecht 3 0,0 4 17,7 50,0 2" in text
    # Trend since 2020 like for like: the published baseline years in a yearly chart, the
    # stored quarters in a chart of their own (never a year beside a quarter).
    assert "2020 (nulmeting) 11.118 2021 (nulmeting) 11.289 2022 (nulmeting) 10.953" in text
    assert "Cliënten in zorg per kwartaal sinds 2026Q2" in text and "2026Q2 2 2026Q3 3" in text
    assert "10.953 2026Q2" not in text
    # Ratios against their targets, diversity, budget.
    assert "Aanvullende zorg: groepsgericht gestart (doel 15/85) 33,3 15 %" in text
    assert "Heel Utrecht 0,0 50,0 3" in text
    assert "Begroting, realisatie en prognose 2026 (k€)" in text and "88.562" in text


@pytest.mark.slow
def test_council_gets_the_suppressed_pdf(computed, council_client):
    response = council_client.get("/rapportage/kwartaalrapportage/2026Q3.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="kwartaalrapportage_2026Q3_raad.pdf"'
    )
    text = pdf_text(response.content)
    assert "Afgeschermde versie voor de gemeenteraad" in text
    assert "Cliënten in zorg <5 <5" in text
    assert "Gemiddelde wachttijd — " in text
    # Exact small figures never reach the council version.
    assert "17,7" not in text and "Cliënten in zorg 3 2" not in text
    # The explanation only uses figures the council may see: here none are comparable.
    assert "Er zijn geen cijfers die met 2026Q2 te vergelijken zijn." in text
    assert "Nieuwe verwijzingen: gestegen" not in text


@pytest.mark.slow
def test_staff_download_the_council_version(computed, contract_manager_client):
    page = contract_manager_client.get("/rapportage/kwartaalrapportage/?kwartaal=2026Q3")
    html = page.content.decode()
    assert 'href="/rapportage/kwartaalrapportage/2026Q3.pdf"' in html
    assert 'href="/rapportage/kwartaalrapportage/2026Q3/raad.pdf"' in html
    assert "Versie voor de raad 2026Q3 downloaden (PDF, afgeschermd)" in html
    exact = pdf_text(
        contract_manager_client.get("/rapportage/kwartaalrapportage/2026Q3.pdf").content
    )
    response = contract_manager_client.get("/rapportage/kwartaalrapportage/2026Q3/raad.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="kwartaalrapportage_2026Q3_raad.pdf"'
    )
    council = pdf_text(response.content)
    assert "Afgeschermde versie voor de gemeenteraad" in council
    # The same rows: exact small numbers for staff, their suppressed form for the council.
    assert "Cliënten in zorg 3 2" in exact and "Cliënten in zorg <5 <5" in council
    assert "Gemiddelde wachttijd 17,7" in exact and "Gemiddelde wachttijd — " in council
    assert "Heel Utrecht 3 0,0 4 17,7 50,0 2" in exact
    assert "17,7" not in council and "Cliënten in zorg 3 2" not in council
    # The very file a council member downloads.
    from django.test import Client

    from tests.factories import make_user

    member = Client()
    member.force_login(make_user("council_member"))
    assert pdf_text(member.get("/rapportage/kwartaalrapportage/2026Q3.pdf").content) == council


def test_council_page_offers_no_second_version(computed, council_client):
    html = council_client.get("/rapportage/kwartaalrapportage/?kwartaal=2026Q3").content.decode()
    assert "/2026Q3/raad.pdf" not in html and "Versie voor de raad" not in html


def test_quarter_without_values_is_not_found(db, contract_manager_client):
    response = contract_manager_client.get("/rapportage/kwartaalrapportage/2026Q3.pdf")
    assert response.status_code == 404
    assert (
        contract_manager_client.get("/rapportage/kwartaalrapportage/2026Q9.pdf").status_code == 404
    )


def test_report_page_links_the_pdf(computed, council_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = council_client.get("/rapportage/kwartaalrapportage/?kwartaal=2026Q3")
    text = response.content.decode()
    assert 'href="/rapportage/kwartaalrapportage/2026Q3.pdf"' in text
    assert "Kwartaalrapportage 2026Q3 downloaden (PDF, afgeschermd)" in text


@pytest.mark.slow
def test_management_command_writes_the_pdf(computed, tmp_path):
    target = tmp_path / "rapport.pdf"
    out = io.StringIO()
    call_command("quarterly_report", "--quarter", "2026Q3", "--output", str(target), stdout=out)
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert f"Kwartaalrapportage 2026Q3 (PDF, {len(pdf)} bytes) geschreven naar {target}." in (
        out.getvalue()
    )
    text = pdf_text(pdf)
    assert EXPLANATION[1] in text and "Gemiddelde wachttijd 17,7" in text
    call_command("quarterly_report", "--quarter", "2026Q3", "--output", str(target),
                 "--suppressed", stdout=io.StringIO())  # fmt: skip
    assert "Afgeschermde versie voor de gemeenteraad" in pdf_text(target.read_bytes())


def test_management_command_errors(db, tmp_path):
    with pytest.raises(CommandError, match="'2026Q7' is geen kwartaal"):
        call_command("quarterly_report", "--quarter", "2026Q7", "--output", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="Voor 2026Q3 zijn geen indicatoren opgeslagen"):
        call_command("quarterly_report", "--quarter", "2026Q3", "--output", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


def test_the_explanation_works_out_the_change_from_unrounded_figures(db):
    from indicators.models import IndicatorValue

    # A mean wait of 1 day in 5 starts (0,2), then 7 days in 20 starts (0,35, stored as 0,4).
    for quarter, value, total, starts in (("2026Q2", "0.2", 1, 5), ("2026Q3", "0.4", 7, 20)):
        IndicatorValue.objects.create(quarter=quarter, level="system", level_key="all",
                                      indicator="mean_wait_days", value=value, numerator=total,
                                      denominator=starts)  # fmt: skip
    explanation = quarterly.report_context(Quarter(2026, 3), suppressed=False)["explanation"]
    assert explanation == [
        "De grootste verandering ten opzichte van 2026Q2:",
        "Gemiddelde wachttijd: gestegen van 0,2 naar 0,4 dagen (+75,0 %), een verslechtering.",
    ]

"""Realised spend per objective and year (issue 5): the form, its Dutch errors, one value per
objective and year, the budget-vs-realised table and its downloads."""

import csv
import html
import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from indicators.models import RealisedSpend
from indicators.reports.budget import budget_vs_realised, record_spend
from wmo.accounts.models import AuditEntry

URL = "/rapportage/begroting/realisatie/"
BUDGET_URL = "/rapportage/begroting/"
VALID = {"objective": "IV", "year": "2025", "amount_keur": "93000", "note": "Meer instroom"}


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_valid_entry_is_saved_with_who_entered_it(user_for):
    user = user_for("contract_manager", username="accounthouder1")
    client = Client()
    client.force_login(user)
    response = client.post(URL, VALID)
    assert response.status_code == 302
    assert response["Location"] == BUDGET_URL
    spend = RealisedSpend.objects.get()
    assert (spend.objective, spend.year, spend.amount_keur, spend.note) == (
        "IV", 2025, Decimal("93000"), "Meer instroom",
    )  # fmt: skip
    assert spend.entered_by == user
    event = AuditEntry.objects.get(content_type__model="realisedspend")
    assert (event.action, event.actor_username, event.object_pk) == (
        AuditEntry.Action.CREATE, "accounthouder1", str(spend.pk))  # fmt: skip
    text = page_text(client.get(BUDGET_URL))
    assert "De realisatie voor IV Passende aanvullende zorg in 2025 is opgeslagen." in text


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("objective", "", "Beleidsdoel: Kies een beleidsdoel."),
        ("objective", "XI", "Beleidsdoel: 'XI' is geen beleidsdoel uit de begroting."),
        ("year", "", "Jaar: Kies een jaar."),
        ("year", "2023", "Jaar: Realisaties kunnen alleen voor 2024 tot en met 2027."),
        ("amount_keur", "", "Gerealiseerd (k€): Vul het gerealiseerde bedrag in k€ in."),
        ("amount_keur", "veel",
         "Gerealiseerd (k€): Vul een getal in, in hele k€ zonder punten (bijvoorbeeld 85500)."),
        ("amount_keur", "-5", "Gerealiseerd (k€): Een gerealiseerd bedrag kan niet negatief zijn."),
        ("amount_keur", "12.5", "Gerealiseerd (k€): Vul een heel bedrag in k€ in, zonder decimalen."),
        ("note", "x" * 201, "Toelichting: Hoogstens 200 tekens (nu 201)."),
    ],
)  # fmt: skip
def test_each_invalid_field_gives_its_dutch_error_and_writes_nothing(
    contract_manager_client, field, value, message
):
    response = contract_manager_client.post(URL, {**VALID, field: value})
    assert response.status_code == 400
    text = page_text(response)
    assert message in text
    assert "Het formulier bevat fouten; er is niets opgeslagen." in text
    assert list(response.context["form"].errors) == [field]
    assert RealisedSpend.objects.count() == 0
    assert AuditEntry.objects.filter(content_type__model="realisedspend").count() == 0


def test_a_second_entry_for_the_same_objective_and_year_replaces_the_first(
    contract_manager_client,
):
    contract_manager_client.post(URL, VALID)
    response = contract_manager_client.post(
        URL, {**VALID, "amount_keur": "90000", "note": "Gecorrigeerd"}, follow=True
    )
    assert "De realisatie voor IV Passende aanvullende zorg in 2025 is vervangen." in page_text(
        response
    )
    spend = RealisedSpend.objects.get()
    assert (spend.amount_keur, spend.note) == (Decimal("90000"), "Gecorrigeerd")
    assert list(AuditEntry.objects.filter(content_type__model="realisedspend")
                .order_by("id").values_list("action", flat=True)) == [
        AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE]  # fmt: skip


def test_edit_link_opens_the_form_filled_with_the_stored_value(contract_manager_client, user_for):
    record_spend("III", 2024, 33000, "Eerste opgave", user_for("contract_manager", username="am2"))
    response = contract_manager_client.get(URL + "?beleidsdoel=III&jaar=2024")
    form = response.context["form"]
    assert form.initial == {"objective": "III", "year": 2024, "amount_keur": Decimal("33000"),
                            "note": "Eerste opgave"}  # fmt: skip
    assert "U wijzigt de realisatie van beleidsdoel III in 2024, ingevoerd door am2." in page_text(
        response
    )


def _cells(text: str, objective: str, year: int) -> dict[str, str]:
    import re

    row = re.search(
        rf'<tr class="utrecht-table__row" data-doel="{objective}" data-jaar="{year}">(.*?)</tr>',
        text, re.S,
    ).group(1)  # fmt: skip
    return {
        name: re.sub(r"<[^>]+>", "", value).strip()
        for name, value in re.findall(r'data-kolom="([a-z-]+)">(.*?)</td>', row, re.S)
    }


@pytest.fixture
def spends(user_for):
    user = user_for("contract_manager", username="invoerder")
    record_spend("IV", 2025, 93000, "Meer instroom", user)  # budget 91,858: +1,142 (+1.2 %)
    record_spend("IV", 2026, 85000, "", user)  # budget 88,562: −3,562 (−4.0 %)
    record_spend("V", 2024, 127594, "Precies", user)  # budget 127,594: 0


def test_budget_vs_realised_numbers(spends):
    rows = {(r.objective, r.year): r for r in budget_vs_realised()}
    assert len(rows) == 5 * 4  # objectives I–V with a budget line, 2024–2027
    iv_2025 = rows[("IV", 2025)]
    assert (iv_2025.budget, iv_2025.realised, iv_2025.difference, iv_2025.difference_pct) == (
        Decimal("91858"), Decimal("93000"), Decimal("1142"), Decimal("1.2"),
    )  # fmt: skip
    iv_2026 = rows[("IV", 2026)]
    assert (iv_2026.difference, iv_2026.difference_pct) == (Decimal("-3562"), Decimal("-4.0"))
    assert (rows[("V", 2024)].difference, rows[("V", 2024)].difference_pct) == (0, 0)
    assert rows[("III", 2027)].realised is None and rows[("III", 2027)].difference is None


def test_budget_page_shows_the_numbers(
    contract_manager_client, spends, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = contract_manager_client.get(BUDGET_URL)
    text = response.content.decode()
    assert _cells(text, "IV", 2025) == {
        "begroting": "91.858", "realisatie": "93.000", "verschil": "+1.142", "verschil-pct": "+1,2 %",
    }  # fmt: skip
    assert _cells(text, "IV", 2026) == {
        "begroting": "88.562", "realisatie": "85.000", "verschil": "−3.562", "verschil-pct": "−4,0 %",
    }  # fmt: skip
    assert _cells(text, "III", 2027)["realisatie"] == "nog niet ingevoerd"
    assert "invoerder" in text  # who entered it, for staff
    assert 'href="/rapportage/begroting/realisatie/?beleidsdoel=IV&amp;jaar=2025"' in text


def test_council_reads_the_table_but_cannot_enter(council_client, spends):
    response = council_client.get(BUDGET_URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert _cells(text, "IV", 2025)["realisatie"] == "93.000"
    assert "Realisatie invoeren" not in text
    assert "invoerder" not in text
    assert council_client.post(URL, VALID).status_code == 403
    assert RealisedSpend.objects.count() == 3


def test_csv_and_xlsx_downloads_match_the_table(council_client, spends):
    response = council_client.get("/rapportage/begroting/begroting.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["beleidsdoel", "jaar", "begroting_keur", "gerealiseerd_keur",
                       "verschil_keur", "verschil_pct", "toelichting"]  # fmt: skip
    by_key = {(r[0], r[1]): r for r in rows[1:]}
    assert by_key[("IV", "2025")] == [
        "IV",
        "2025",
        "91858",
        "93000",
        "1142",
        "1,2",
        "Meer instroom",
    ]
    assert by_key[("IV", "2026")] == ["IV", "2026", "88562", "85000", "-3562", "-4,0", ""]
    assert by_key[("I", "2024")] == ["I", "2024", "27610", "", "", "", ""]
    assert len(rows) == 21

    response = council_client.get("/rapportage/begroting/begroting.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    by_key = {(r[0], r[1]): r for r in values[1:]}
    assert by_key[("IV", 2025)] == ("IV", 2025, 91858, 93000, 1142, 1.2, "Meer instroom")

"""/api/v1/uitgavenboekingen: bookings delivered as JSON go through the spend importer (BUDGET.md):
all or nothing, idempotent on bookingId, errors named per booking and field; contract managers
only."""

from decimal import Decimal

import pytest

from providers.models import Provider, ProviderKind
from tests.access import Access, call, expand
from wmo.finance.api.views import LINE_BREAK, MAX_BATCH
from wmo.finance.imports import AMOUNT_MESSAGE
from wmo.finance.models import SERVICE_REQUIRED, SpendBooking

URL = "/api/v1/uitgavenboekingen"
ONE = {"boekingen": [{"bookingId": "M1", "kwartaal": "2026Q1", "beleidsdoel": "III",
                      "bedragEur": "10"}]}  # fmt: skip
STAFF_ONLY = {"anonymous": 401, "buurtteam_worker": 403, "contract_manager": 200,
              "council_member": 403}  # fmt: skip
MATRIX = [Access("GET", URL, STAFF_ONLY), Access("POST", URL, STAFF_ONLY, ONE)]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("row", "role", "expected"), expand(MATRIX), ids=str)
def test_status_per_role(client_for, row, role, expected):
    assert call(client_for(role), row).status_code == expected
    stored = SpendBooking.objects.filter(booking_id="M1").exists()
    assert stored == (row.method == "POST" and role == "contract_manager")


@pytest.fixture
def contractor(db):
    return Provider.objects.create(agb_code="63003158", name="Zorg BV",
                                   kind=ProviderKind.CARE_PROVIDER)  # fmt: skip


BATCH = [
    {"bookingId": "B1", "kwartaal": "2026Q1", "beleidsdoel": "III", "bedragEur": "125000.50"},
    {"bookingId": "B2", "kwartaal": "2026Q1", "beleidsdoel": "IV", "voorziening": "dagbegeleiding",
     "opdrachtnemerAgb": "63003158", "bedragEur": "2500,25"},
    {"bookingId": "B3", "kwartaal": "2026q2", "beleidsdoel": "V",
     "voorziening": "beschermd_wonen_bovenregionaal", "opdrachtnemerAgb": "63003158",
     "bedragEur": "-1000"},
]  # fmt: skip


def post(client, bookings, **extra):
    return client.post(URL, {"boekingen": bookings, **extra}, content_type="application/json")


def stored():
    return sorted(SpendBooking.objects.values_list(
        "booking_id", "quarter", "objective", "service_type__code", "contractor__agb_code",
        "amount_eur"))  # fmt: skip


def test_a_delivery_is_stored_and_a_second_changes_nothing(contract_manager_client, contractor):
    first = post(contract_manager_client, BATCH)
    assert first.status_code == 200, first.content
    assert first.json() | {"meldingen": []} == {
        "proef": False, "boekingen": 3, "nieuw": 3, "gewijzigd": 0, "ongewijzigd": 0,
        "meldingen": []}  # fmt: skip
    assert [(b, str(q), o, s, c, a) for b, q, o, s, c, a in stored()] == [
        ("B1", "2026Q1", "III", None, None, Decimal("125000.50")),
        ("B2", "2026Q1", "IV", "dagbegeleiding", "63003158", Decimal("2500.25")),
        ("B3", "2026Q2", "V", "beschermd_wonen_bovenregionaal", "63003158", Decimal("-1000.00")),
    ]
    again = post(contract_manager_client, BATCH).json()
    assert (again["nieuw"], again["gewijzigd"], again["ongewijzigd"]) == (0, 0, 3)
    corrected = post(contract_manager_client, [{**BATCH[0], "bedragEur": "125000.75"}]).json()
    assert (corrected["nieuw"], corrected["gewijzigd"]) == (0, 1)
    assert SpendBooking.objects.get(booking_id="B1").amount_eur == Decimal("125000.75")
    assert SpendBooking.objects.count() == 3


def test_the_list_reads_back_what_was_delivered_and_filters(contract_manager_client, contractor):
    post(contract_manager_client, BATCH)
    rows = contract_manager_client.get(URL, {"kwartaal": "2026Q1"}).json()["resultaten"]
    assert rows == [
        {"bookingId": "B1", "kwartaal": "2026Q1", "beleidsdoel": "III", "voorziening": None,
         "opdrachtnemerAgb": None, "bedragEur": 125000.5},
        {"bookingId": "B2", "kwartaal": "2026Q1", "beleidsdoel": "IV",
         "voorziening": "dagbegeleiding", "opdrachtnemerAgb": "63003158", "bedragEur": 2500.25},
    ]  # fmt: skip
    rows = contract_manager_client.get(URL, {"beleidsdoel": "V"}).json()["resultaten"]
    assert [row["bookingId"] for row in rows] == ["B3"]
    bad = contract_manager_client.get(URL, {"kwartaal": "2026Q5"})
    assert bad.status_code == 400
    assert [p["name"] for p in bad.json()["invalidParams"]] == ["kwartaal"]


def test_one_bad_booking_stores_nothing_and_names_each_field(contract_manager_client, contractor):
    bad = [BATCH[0], {**BATCH[1], "voorziening": ""}, {**BATCH[2], "bedragEur": "1.250,00"}]
    response = post(contract_manager_client, bad)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problems = {(p["name"], p["reason"]) for p in response.json()["invalidParams"]}
    assert problems == {("boekingen.1.voorziening", SERVICE_REQUIRED),
                        ("boekingen.2.bedragEur", AMOUNT_MESSAGE)}  # fmt: skip
    assert SpendBooking.objects.count() == 0


def test_a_dry_run_checks_and_stores_nothing(contract_manager_client, contractor):
    response = post(contract_manager_client, BATCH, proef=True)
    assert response.status_code == 200
    assert (response.json()["proef"], response.json()["nieuw"]) == (True, 3)
    assert SpendBooking.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "name", "reason"),
    [
        ({"boekingen": []}, "boekingen", "Lever ten minste één boeking aan."),
        ({"boekingen": "B1"}, "boekingen", "Geef een lijst van boekingen."),
        ({}, "boekingen", "Dit veld is vereist."),
        ({"boekingen": [{"kwartaal": "2026Q1", "beleidsdoel": "III", "bedragEur": "1"}]},
         "boekingen.0.bookingId", "Dit veld is vereist."),
        ({"boekingen": [{**BATCH[0], "bookingId": "x" * 61}]}, "boekingen.0.bookingId",
         "Zorg ervoor dat dit veld niet meer dan 60 karakters bevat."),
    ],
)  # fmt: skip
def test_a_malformed_delivery_is_a_problem(contract_manager_client, body, name, reason):
    response = contract_manager_client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert {(p["name"], p["reason"]) for p in response.json()["invalidParams"]} == {(name, reason)}
    assert SpendBooking.objects.count() == 0


def test_more_than_a_batch_goes_as_a_file(contract_manager_client):
    bookings = [{**BATCH[0], "bookingId": f"B{n}"} for n in range(MAX_BATCH + 1)]
    response = post(contract_manager_client, bookings)
    assert response.status_code == 400
    reasons = [p["reason"] for p in response.json()["invalidParams"]]
    assert reasons == [f"Hoogstens {MAX_BATCH} boekingen per verzoek; lever meer als bestand aan "
                       "(uploadpagina of import_spend)."]  # fmt: skip
    assert SpendBooking.objects.count() == 0


def test_a_comma_quote_or_formula_stays_in_its_own_value(contract_manager_client):
    # The batch becomes a CSV inside the server: quoting keeps a comma or quote in its own cell,
    # so no value can add a column or a row; a booking id is stored as given (exports neutralise
    # formulas, wmo.downloads).
    tricky = [{**BATCH[0], "bookingId": 'X,"1";=HYPERLINK(2)'}]
    response = post(contract_manager_client, tricky)
    assert response.status_code == 200, response.content
    assert list(SpendBooking.objects.values_list("booking_id", "amount_eur")) == [
        ('X,"1";=HYPERLINK(2)', Decimal("125000.50"))
    ]


def test_a_line_break_in_a_value_is_refused_like_in_a_file(contract_manager_client):
    response = post(contract_manager_client, [{**BATCH[0], "bookingId": "B1\nB2"}])
    assert response.status_code == 400
    assert [(p["name"], p["reason"]) for p in response.json()["invalidParams"]] == [
        ("boekingen.0.bookingId", LINE_BREAK)
    ]
    assert SpendBooking.objects.count() == 0

"""GET /api/v1/begroting?jaar=: export_budget's figures per objective with Dutch field names,
read by contract managers and council members; a bad year is a problem+json 400."""

from decimal import Decimal

import pytest

from providers.models import Provider, ProviderKind
from tests.access import Access, call, expand
from wmo.catalogue.models import ServiceType
from wmo.finance.models import SpendBooking

URL = "/api/v1/begroting"
READ = {"anonymous": 401, "buurtteam_worker": 403, "contract_manager": 200, "council_member": 200}
MATRIX = [
    Access("GET", URL + "?jaar=2026", READ),
    Access(
        "POST",
        URL,
        {"anonymous": 401, "buurtteam_worker": 403, "contract_manager": 403, "council_member": 403},
    ),  # fmt: skip
]


@pytest.mark.parametrize(("row", "role", "status"), expand(MATRIX), ids=str)
def test_matrix(db, client_for, row, role, status):
    assert call(client_for(role), row).status_code == status


@pytest.fixture
def bookings(db):
    contractor = Provider.objects.create(agb_code="63003158", name="Zorg BV",
                                         kind=ProviderKind.CARE_PROVIDER)  # fmt: skip
    day = ServiceType.objects.get(code="dagbegeleiding")
    for booking_id, quarter, objective, service, amount in [
        ("A1", "2026Q1", "IV", day, "20000000.00"),
        ("A2", "2026Q2", "IV", day, "21000000.55"),
        ("A3", "2026Q3", "IV", day, "22000000.00"),
        ("A4", "2026Q3", "IV", day, "-500000.10"),  # a credit note counts
        ("A5", "2026Q1", "III", None, "8000000.00"),
    ]:
        SpendBooking.objects.create(
            booking_id=booking_id, quarter=quarter, objective=objective, service_type=service,
            contractor=contractor if service else None, amount_eur=Decimal(amount),
        )  # fmt: skip


def test_figures_per_objective_with_dutch_names(council_client, bookings):
    response = council_client.get(URL, {"jaar": "2026"})
    assert response.status_code == 200
    body = response.json()
    # III–V 2026: unchanged policy 33,887 + 95,032 + 118,338 − budget 33,337 + 88,562 + 117,658.
    assert (body["jaar"], body["tekortOngewijzigdBeleidKeur"]) == (2026, 7700.0)
    by_objective = {row["beleidsdoel"]: row for row in body["beleidsdoelen"]}
    assert list(by_objective) == ["III", "IV", "V"]
    # IV: 62,500,000.45 € in three quarters → 62,500.0 k€ realised; forecast exactly
    # 62,500.00045 / 3 × 4 = 83,333.3339… → 83,333.3; deviation 83,333.3339… − 88,562 → −5,228.7.
    assert by_objective["IV"] == {
        "beleidsdoel": "IV", "begrotingKeur": 88562.0, "gerealiseerdKeur": 62500.0,
        "kwartalenGerealiseerd": 3, "prognoseKeur": 83333.3, "afwijkingKeur": -5228.7,
    }  # fmt: skip
    assert by_objective["III"]["gerealiseerdKeur"] == 8000.0
    assert by_objective["V"] == {
        "beleidsdoel": "V", "begrotingKeur": 117658.0, "gerealiseerdKeur": 0.0,
        "kwartalenGerealiseerd": 3, "prognoseKeur": 0.0, "afwijkingKeur": -117658.0,
    }  # fmt: skip


def test_a_year_without_budget_or_bookings(contract_manager_client):
    body = contract_manager_client.get(URL, {"jaar": "2035"}).json()
    assert body["tekortOngewijzigdBeleidKeur"] is None
    assert body["beleidsdoelen"][0] == {
        "beleidsdoel": "III", "begrotingKeur": None, "gerealiseerdKeur": 0.0,
        "kwartalenGerealiseerd": 0, "prognoseKeur": None, "afwijkingKeur": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    "query, message",
    [({}, "Geef het jaar op, bijvoorbeeld jaar=2026."),
     ({"jaar": "twee"}, "Het jaar is een getal van vier cijfers, bijvoorbeeld 2026."),
     ({"jaar": "1999"}, "Het jaar ligt tussen 2000 en 2100."),
     ({"jaar": "2101"}, "Het jaar ligt tussen 2000 en 2100.")],
)  # fmt: skip
def test_a_bad_year_is_a_problem(contract_manager_client, db, query, message):
    response = contract_manager_client.get(URL, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert message in response.content.decode()
    assert "jaar" in response.content.decode()

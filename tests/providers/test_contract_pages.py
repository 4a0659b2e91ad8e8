"""Contract pages: the timeline, and the edit flows of contract managers."""

import datetime

import pytest

from districts.models import District
from providers.models import ContractOption, ContractValue, DistrictTeam, Subcontract
from providers.services import contract_timeline

from .factories import ContractFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def test_timeline_term_extensions_and_options():
    contract = ContractFactory(start_date=datetime.date(2027, 1, 1),
                               end_date=datetime.date(2030, 12, 31), extension_count=2,
                               extension_months=24, extensions_exercised=1)  # fmt: skip
    day = datetime.date
    ContractOption.objects.create(
        contract=contract, name="Pilots", decision_date=day(2028, 6, 30),
        start_date=day(2027, 1, 1), end_date=day(2028, 12, 31),
    )  # fmt: skip
    ContractOption.objects.create(
        contract=contract, name="HbH", decision_date=day(2030, 4, 1), start_date=day(2031, 1, 1)
    )
    timeline = contract_timeline(contract)
    labels = [(b["label"], b["start"], b["end"]) for b in timeline["bars"]]
    assert labels[:3] == [
        ("Looptijd", datetime.date(2027, 1, 1), datetime.date(2030, 12, 31)),
        ("Verlenging 1 (gelicht)", datetime.date(2031, 1, 1), datetime.date(2032, 12, 31)),
        ("Verlenging 2 (optie)", datetime.date(2033, 1, 1), datetime.date(2034, 12, 31)),
    ]
    assert timeline["bars"][0]["left"] == 0
    assert [y["year"] for y in timeline["years"]] == list(range(2027, 2035))
    assert [m["label"] for m in timeline["markers"]] == ["Besluit: Pilots", "Besluit: HbH"]
    assert timeline["bars"][-1]["open_end"] is True
    assert contract.effective_end == datetime.date(2032, 12, 31)


def test_contract_manager_builds_a_structure(contract_manager_client):
    contract = ContractFactory(city_wide=True)
    sub = ProviderFactory()
    base = f"/contracten/{contract.pk}"
    response = contract_manager_client.post(f"{base}/onderaannemingen/nieuw/", {
        "subcontractor": sub.pk, "share_percent": "25", "start_date": "2025-01-01",
        "end_date": "2026-12-31", "districts": [District.objects.get(code="WK034403").pk],
        "approved_on": "2024-12-01", "risk_provisions": "Hoofdaannemer blijft verantwoordelijk.",
    })  # fmt: skip
    assert response.status_code == 302 and response["Location"] == f"{base}/structuur/"
    saved = Subcontract.objects.get()
    assert [d.code for d in saved.districts.all()] == ["WK034403"]
    west = District.objects.get(code="WK034401")
    response = contract_manager_client.post(f"{base}/wijkteams/nieuw/", {
        "district": west.pk, "name": "Wijkteam West", "provider": sub.pk})  # fmt: skip
    assert response.status_code == 302
    assert DistrictTeam.objects.get().provider == sub
    response = contract_manager_client.post(
        f"{base}/jaarwaarden/nieuw/", {"year": 2031, "amount": "10"}
    )
    assert (
        "Het jaar valt buiten de looptijd van het contract (2025–2026)."
        in response.content.decode()
    )
    response = contract_manager_client.post(
        f"{base}/jaarwaarden/nieuw/", {"year": 2026, "amount": "1000000"}
    )
    assert response.status_code == 302
    assert ContractValue.objects.get().amount == 1000000
    response = contract_manager_client.post(f"{base}/opties/nieuw/", {
        "name": "Pilot", "decision_date": "2026-06-30", "status": "open",
        "start_date": "2026-01-01", "end_date": "2025-01-01"})  # fmt: skip
    assert "Het einde ligt vóór het begin." in response.content.decode()
    structure = contract_manager_client.get(f"{base}/structuur/").content.decode()
    assert "Wijk Noordwest heeft geen wijkteam." in structure
    assert "Wijk West heeft geen wijkteam." not in structure


def test_contract_list_filters_on_date(council_client):
    ContractFactory(reference="OUD-1")
    ContractFactory(reference="NIEUW-1", start_date=datetime.date(2027, 1, 1),
                    end_date=datetime.date(2030, 12, 31))  # fmt: skip
    html = council_client.get("/contracten/?peildatum=2027-06-30").content.decode()
    assert "NIEUW-1" in html and "OUD-1" not in html
    assert "Nieuw contract" not in html  # read-only role sees no edit action

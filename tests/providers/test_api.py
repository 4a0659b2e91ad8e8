"""The API: Dutch attributes, AGB lookups, filters, and writes under the model rules."""

import datetime
from decimal import Decimal

import pytest

from providers.models import Provider, Subcontract
from wmo.catalogue.models import ServiceType

from .factories import ContractFactory, ProviderFactory, SubcontractFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_provider_create_and_lookup_by_agb(contract_manager_client):
    response = contract_manager_client.post("/api/v1/aanbieders", {
        "agbCode": "12345678", "kvkNummer": "87654321", "naam": "Buurtzorg Test",
        "soort": "resident_org", "wijken": ["WK034403"], "doelgroepen": ["ouderen"],
    }, content_type=JSON)  # fmt: skip
    assert response.status_code == 201, response.content
    body = contract_manager_client.get("/api/v1/aanbieders/12345678").json()
    assert body == {"agbCode": "12345678", "kvkNummer": "87654321", "naam": "Buurtzorg Test",
                    "soort": "resident_org", "omvang": "small", "omvangHandmatig": "",
                    "doelgroepen": ["ouderen"], "wijken": ["WK034403"], "actief": True,
                    "versie": 1}  # fmt: skip


def test_provider_invalid_in_dutch_problem_json(contract_manager_client):
    ProviderFactory(agb_code="12345678")
    response = contract_manager_client.post("/api/v1/aanbieders", {
        "agbCode": "1234", "kvkNummer": "12", "naam": "X", "soort": "care_provider",
    }, content_type=JSON)  # fmt: skip
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    reasons = {(p["name"], p["reason"]) for p in response.json()["invalidParams"]}
    assert ("agbCode", "Een AGB-code bestaat uit precies 8 cijfers.") in reasons
    assert ("kvkNummer", "Een KvK-nummer bestaat uit precies 8 cijfers.") in reasons
    duplicate = contract_manager_client.post("/api/v1/aanbieders", {
        "agbCode": "12345678", "naam": "X", "soort": "care_provider"}, content_type=JSON)  # fmt: skip
    assert duplicate.json()["invalidParams"][0]["reason"] == (
        "Er bestaat al een aanbieder met deze AGB-code."
    )


def test_provider_agb_cannot_change(contract_manager_client):
    ProviderFactory(agb_code="12345678")
    response = contract_manager_client.patch("/api/v1/aanbieders/12345678",
                                             {"agbCode": "87654321"}, content_type=JSON)  # fmt: skip
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["reason"] == "De AGB-code kan niet worden gewijzigd."


def test_subcontract_rules_through_api(contract_manager_client):
    contract = ContractFactory(wijken=["WK034401", "WK034402"])
    SubcontractFactory(contract=contract, annual_value=None, share_percent=Decimal("95"))
    payload = {
        "contract": contract.pk,
        "onderaannemer": contract.contractor.agb_code,
        "aandeelProcent": "10",
        "ingangsdatum": "2024-12-01",
        "einddatum": "2026-12-31",
    }
    response = contract_manager_client.post("/api/v1/onderaannemingen", payload, content_type=JSON)
    assert response.status_code == 400
    reasons = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    assert reasons["onderaannemer"] == "Een aanbieder kan niet zijn eigen onderaannemer zijn."
    assert reasons["ingangsdatum"].startswith("De onderaanneming begint vóór het contract")
    assert reasons["aandeelProcent"].startswith("De aandelen van de onderaannemingen die")
    assert Subcontract.objects.count() == 1
    payload.update(onderaannemer=ProviderFactory().agb_code, aandeelProcent="5",
                   ingangsdatum="2025-01-01", wijken=["WK034401", "WK034402"])  # fmt: skip
    response = contract_manager_client.post("/api/v1/onderaannemingen", payload, content_type=JSON)
    assert response.status_code == 201, response.content
    assert response.json()["wijken"] == ["WK034401", "WK034402"]


def test_contract_create_and_filters(contract_manager_client):
    provider = ProviderFactory(agb_code="22222222")
    response = contract_manager_client.post("/api/v1/contracten", {
        "kenmerk": "AZ-2027-X", "omschrijving": "Stad", "contractpartij": "22222222",
        "instrument": "public_contract", "bekostiging": "lump_sum",
        "ingangsdatum": "2027-01-01", "einddatum": "2030-12-31", "verlengingsopties": 2,
        "verlengingDuurMaanden": 24, "stedelijk": True, "voorzieningen": ["ambulante_begeleiding"],
    }, content_type=JSON)  # fmt: skip
    assert response.status_code == 201, response.content
    ContractFactory(contractor=provider, reference="AZ-2025-X")
    in_2027 = contract_manager_client.get("/api/v1/contracten?geldigOp=2027-06-30").json()
    assert [c["kenmerk"] for c in in_2027["resultaten"]] == ["AZ-2027-X"]
    by_party = contract_manager_client.get("/api/v1/contracten?contractpartij=22222222").json()
    assert len(by_party["resultaten"]) == 2
    bad = contract_manager_client.post("/api/v1/contracten", {
        "kenmerk": "AZ-2027-Y", "omschrijving": "Stad", "contractpartij": "22222222",
        "instrument": "subsidy", "bekostiging": "lump_sum", "ingangsdatum": "2027-01-01",
        "einddatum": "2026-12-31", "verlengingsopties": 1,
    }, content_type=JSON)  # fmt: skip
    reasons = {p["name"]: p["reason"] for p in bad.json()["invalidParams"]}
    assert reasons["einddatum"] == "De einddatum ligt vóór de ingangsdatum."
    assert reasons["verlengingDuurMaanden"] == "Geef de duur van een verlenging op."


def test_provider_filters(contract_manager_client):
    big = ProviderFactory(agb_code="33333333", kind="care_provider")
    ContractFactory(contractor=big, start_date=datetime.date(datetime.date.today().year, 1, 1),
                    end_date=datetime.date(datetime.date.today().year, 12, 31),
                    jaarwaarden={datetime.date.today().year: 150000})  # fmt: skip
    ProviderFactory(agb_code="44444444", kind="resident_org")
    ProviderFactory(agb_code="55555555", kind="resident_org", size_override="large", active=False)

    def codes(query):
        body = contract_manager_client.get(f"/api/v1/aanbieders?{query}").json()
        return [p["agbCode"] for p in body["resultaten"]]

    assert codes("omvang=large") == ["33333333", "55555555"]
    assert codes("omvang=small") == ["44444444"]
    assert codes("soort=resident_org&actief=true") == ["44444444"]
    assert codes("voorziening=dagbegeleiding") == []
    big.contracts.get().service_types.set(ServiceType.objects.filter(code="dagbegeleiding"))
    assert codes("voorziening=dagbegeleiding") == ["33333333"]


def test_provider_delete_protected_is_409(contract_manager_client):
    contract = ContractFactory()
    response = contract_manager_client.delete(f"/api/v1/aanbieders/{contract.contractor.agb_code}")
    assert response.status_code == 409
    assert Provider.objects.filter(pk=contract.contractor.pk).exists()


def test_the_contract_list_shows_each_contract_as_its_own_answer_does(contract_manager_client):
    """The list reads every relation as a prefetched list (wmo.api.prefetched), a record on its
    own or just written reads the relations themselves: the same contract, the same answer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from providers.api.serializers import ContractSerializer
    from providers.models import Contract
    from tests.seeded import demo_providers

    demo_providers()
    with CaptureQueriesContext(connection) as queries:
        listed = contract_manager_client.get("/api/v1/contracten?paginaGrootte=1000").json()
    assert len(listed["resultaten"]) == Contract.objects.count() > 100
    # Session, user, roles; count and page; wijken, voorzieningen, jaarwaarden, opties, wijkteams.
    assert len(queries) <= 10, [q["sql"] for q in queries]
    for item in listed["resultaten"]:
        assert item == ContractSerializer(Contract.objects.get(pk=item["id"])).data, item["kenmerk"]
    city = next(item for item in listed["resultaten"] if item["kenmerk"] == "AZ-2027-STAD")
    assert city["wijkteams"] and city["opties"] and city["jaarwaarden"] and city["voorzieningen"]


def test_a_write_answers_with_the_relations_it_wrote(contract_manager_client):
    """The list's prefetched relations (wmo.api.prefetched) are read again after a write: the
    answer to a PATCH shows the wijken and voorzieningen it set, not those read before it."""
    contract = ContractFactory(reference="AZ-2027-W", city_wide=True)
    provider = ProviderFactory(agb_code="66666666")
    subcontract = SubcontractFactory(contract=contract, subcontractor=provider)
    cases = [
        (f"/api/v1/contracten/{contract.pk}", contract, {"voorzieningen": ["dagbegeleiding"],
                                                           "wijken": ["WK034401"]}),
        (f"/api/v1/aanbieders/{provider.agb_code}", provider, {"wijken": ["WK034402"]}),
        (f"/api/v1/onderaannemingen/{subcontract.pk}", subcontract, {"wijken": ["WK034403"]}),
    ]  # fmt: skip
    for url, record, change in cases:
        record.refresh_from_db()
        response = contract_manager_client.patch(url, {**change, "versie": record.version},
                                                 content_type=JSON)  # fmt: skip
        assert response.status_code == 200, response.content
        assert {name: response.json()[name] for name in change} == change, url
        assert {name: contract_manager_client.get(url).json()[name] for name in change} == change

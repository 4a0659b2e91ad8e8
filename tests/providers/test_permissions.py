"""Every providers/ page and API endpoint × every role (anonymous pages → login, API → 401)."""

import datetime

import pytest

from .factories import (
    ConsortiumFactory,
    ContractFactory,
    DistrictTeamFactory,
    ProviderFactory,
    SubcontractFactory,
)

ROLES = ["anonymous", "buurtteam_worker", "contract_manager", "council_member"]
READ_ALL = {"buurtteam_worker": 200, "contract_manager": 200, "council_member": 200}
STAFF_ONLY = {"buurtteam_worker": 403, "contract_manager": 200, "council_member": 403}
CONTRACT_READERS = {"buurtteam_worker": 403, "contract_manager": 200, "council_member": 200}


@pytest.fixture
def world(db):
    contractor = ProviderFactory(agb_code="12345678")
    consortium = ConsortiumFactory(main_contractor=contractor)
    contract = ContractFactory(contractor=contractor, consortium=consortium, city_wide=True,
                               jaarwaarden={2025: 200000})  # fmt: skip
    sub = SubcontractFactory(contract=contract)
    team = DistrictTeamFactory(contract=contract)
    value = contract.values.get()
    option = contract.options.create(name="Optie", decision_date=datetime.date(2026, 6, 1))
    return {"provider": contractor, "consortium": consortium, "contract": contract, "sub": sub,
            "team": team, "value": value, "option": option}  # fmt: skip


def pages(w):
    c = w["contract"].pk
    return [
        ("/aanbieders/", READ_ALL),
        ("/aanbieders/?soort=care_provider&omvang=large&actief=ja&q=test", READ_ALL),
        ("/aanbieders/12345678/", READ_ALL),
        ("/aanbieders/nieuw/", STAFF_ONLY),
        ("/aanbieders/importeren/", STAFF_ONLY),
        ("/aanbieders/12345678/wijzigen/", STAFF_ONLY),
        ("/consortia/", CONTRACT_READERS),
        ("/consortia/nieuw/", STAFF_ONLY),
        (f"/consortia/{w['consortium'].pk}/wijzigen/", STAFF_ONLY),
        ("/contracten/", CONTRACT_READERS),
        ("/contracten/?peildatum=2025-06-30", CONTRACT_READERS),
        ("/contracten/nieuw/", STAFF_ONLY),
        (f"/contracten/{c}/", CONTRACT_READERS),
        (f"/contracten/{c}/structuur/", CONTRACT_READERS),
        (f"/contracten/{c}/wijzigen/", STAFF_ONLY),
        (f"/contracten/{c}/jaarwaarden/nieuw/", STAFF_ONLY),
        (f"/contracten/{c}/jaarwaarden/{w['value'].pk}/", STAFF_ONLY),
        (f"/contracten/{c}/opties/nieuw/", STAFF_ONLY),
        (f"/contracten/{c}/opties/{w['option'].pk}/", STAFF_ONLY),
        (f"/contracten/{c}/onderaannemingen/nieuw/", STAFF_ONLY),
        (f"/contracten/{c}/onderaannemingen/{w['sub'].pk}/", STAFF_ONLY),
        (f"/contracten/{c}/wijkteams/nieuw/", STAFF_ONLY),
        (f"/contracten/{c}/wijkteams/{w['team'].pk}/", STAFF_ONLY),
        ("/landschap/", CONTRACT_READERS),
        ("/landschap/?datum1=2025-06-30&datum2=2027-06-30", CONTRACT_READERS),
        ("/landschap/landschap.csv", CONTRACT_READERS),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_page_access_matrix(world, client_for, role):
    client = client_for(role)
    for url, expected in pages(world):
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302, url
            assert "/account/inloggen/" in response["Location"], url
        else:
            assert response.status_code == expected[role], (url, role)


@pytest.mark.parametrize("role", ROLES)
def test_page_writes_are_staff_only(world, client_for, role):
    """POSTing to every form page: only contract managers get past the door (200/302)."""
    client = client_for(role)
    for url, expected in pages(world):
        if expected is not STAFF_ONLY:
            continue
        response = client.post(url, {})
        if role == "anonymous":
            assert response.status_code == 302 and "/account/inloggen/" in response["Location"]
        elif role == "contract_manager":
            assert response.status_code in (200, 302), url
        else:
            assert response.status_code == 403, (url, role)


def api_reads(w):
    return [
        ("/api/v1/aanbieders", "providers"),
        ("/api/v1/aanbieders?soort=care_provider&omvang=large&wijkCode=WK034401", "providers"),
        ("/api/v1/aanbieders/12345678", "providers"),
        ("/api/v1/consortia", "contracts"),
        (f"/api/v1/consortia/{w['consortium'].pk}", "contracts"),
        ("/api/v1/contracten", "contracts"),
        ("/api/v1/contracten?geldigOp=2025-06-30&instrument=public_contract", "contracts"),
        (f"/api/v1/contracten/{w['contract'].pk}", "contracts"),
        ("/api/v1/onderaannemingen", "contracts"),
        (f"/api/v1/onderaannemingen/{w['sub'].pk}", "contracts"),
    ]


EXPECTED_API_READ = {
    "providers": {"anonymous": 401, "buurtteam_worker": 200, "contract_manager": 200,
                  "council_member": 200},
    "contracts": {"anonymous": 401, "buurtteam_worker": 403, "contract_manager": 200,
                  "council_member": 200},
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_api_read_matrix(world, client_for, role):
    client = client_for(role)
    for url, kind in api_reads(world):
        response = client.get(url)
        assert response.status_code == EXPECTED_API_READ[kind][role], (url, role)
        assert response["API-Version"] == "1.0.0"


@pytest.mark.parametrize("role", ["anonymous", "buurtteam_worker", "council_member"])
def test_api_writes_forbidden(world, client_for, role):
    client = client_for(role)
    expected = 401 if role == "anonymous" else 403
    w = world
    writes = [
        ("post", "/api/v1/aanbieders"),
        ("patch", "/api/v1/aanbieders/12345678"),
        ("delete", "/api/v1/aanbieders/12345678"),
        ("post", "/api/v1/consortia"),
        ("patch", f"/api/v1/consortia/{w['consortium'].pk}"),
        ("delete", f"/api/v1/consortia/{w['consortium'].pk}"),
        ("post", "/api/v1/contracten"),
        ("put", f"/api/v1/contracten/{w['contract'].pk}"),
        ("delete", f"/api/v1/contracten/{w['contract'].pk}"),
        ("post", "/api/v1/onderaannemingen"),
        ("patch", f"/api/v1/onderaannemingen/{w['sub'].pk}"),
        ("delete", f"/api/v1/onderaannemingen/{w['sub'].pk}"),
    ]
    for method, url in writes:
        response = getattr(client, method)(url, {}, content_type="application/json")
        assert response.status_code == expected, (method, url, role)
        assert response["Content-Type"] == "application/problem+json"


def test_api_trailing_slash_is_404(world, contract_manager_client):
    assert contract_manager_client.get("/api/v1/aanbieders/").status_code == 404


def test_navigation_per_role(world, client_for):
    labels = {
        role: client_for(role).get("/").content.decode()
        for role in ["buurtteam_worker", "contract_manager", "council_member"]
    }
    assert 'href="/aanbieders/"' in labels["buurtteam_worker"]
    assert 'href="/contracten/"' not in labels["buurtteam_worker"]
    assert 'href="/landschap/"' in labels["council_member"]
    assert 'href="/contracten/"' in labels["contract_manager"]

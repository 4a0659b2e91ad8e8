"""Every providers/ page and API endpoint × every role (anonymous pages → login, API → 401)."""

import datetime

import pytest

from tests.access import ROLES, Access

from .factories import (
    ConsortiumFactory,
    ContractFactory,
    DistrictTeamFactory,
    ProviderFactory,
    SubcontractFactory,
)

PAGE_READ_ALL = {"anonymous": 302, "buurtteam_worker": 200, "contract_manager": 200,
                 "council_member": 200}  # fmt: skip
PAGE_STAFF_ONLY = {**PAGE_READ_ALL, "buurtteam_worker": 403, "council_member": 403}
PAGE_CONTRACT_READERS = {**PAGE_READ_ALL, "buurtteam_worker": 403}
API_PROVIDERS = {**PAGE_READ_ALL, "anonymous": 401}
API_CONTRACTS = {**PAGE_CONTRACT_READERS, "anonymous": 401}


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


def rows(world, kind):
    """MATRIX rows of one kind ("/api/" or pages), with the world's primary keys filled in."""
    ids = {name: getattr(obj, "pk", obj) for name, obj in world.items()}
    return [row.format(**ids) for row in MATRIX if row.url.startswith("/api/") == (kind == "api")]


MATRIX = [
    Access("GET", "/aanbieders/", PAGE_READ_ALL),
    Access("GET", "/aanbieders/?soort=care_provider&omvang=large&actief=ja&q=test", PAGE_READ_ALL),
    Access("GET", "/aanbieders/12345678/", PAGE_READ_ALL),
    Access("GET", "/aanbieders/nieuw/", PAGE_STAFF_ONLY),
    Access("GET", "/aanbieders/importeren/", PAGE_STAFF_ONLY),
    Access("GET", "/aanbieders/12345678/wijzigen/", PAGE_STAFF_ONLY),
    Access("GET", "/aanbieders/12345678/verwijderen/", PAGE_STAFF_ONLY),
    Access("GET", "/consortia/", PAGE_CONTRACT_READERS),
    Access("GET", "/consortia/nieuw/", PAGE_STAFF_ONLY),
    Access("GET", "/consortia/{consortium}/wijzigen/", PAGE_STAFF_ONLY),
    Access("GET", "/consortia/{consortium}/verwijderen/", PAGE_STAFF_ONLY),
    Access("GET", "/contracten/", PAGE_CONTRACT_READERS),
    Access("GET", "/contracten/?peildatum=2025-06-30", PAGE_CONTRACT_READERS),
    Access("GET", "/contracten/nieuw/", PAGE_STAFF_ONLY),
    Access("GET", "/contracten/{contract}/", PAGE_CONTRACT_READERS),
    Access("GET", "/contracten/{contract}/structuur/", PAGE_CONTRACT_READERS),
    Access("GET", "/contracten/{contract}/wijzigen/", PAGE_STAFF_ONLY),
    Access("GET", "/contracten/{contract}/verwijderen/", PAGE_STAFF_ONLY),
    Access("GET", "/contracten/{contract}/jaarwaarden/nieuw/", PAGE_STAFF_ONLY),
    Access("GET", "/contracten/{contract}/jaarwaarden/{value}/", PAGE_STAFF_ONLY),
    Access("GET", "/contracten/{contract}/jaarwaarden/{value}/verwijderen/", PAGE_STAFF_ONLY),
    Access("GET", "/contracten/{contract}/opties/nieuw/", PAGE_STAFF_ONLY),
    Access("GET", "/contracten/{contract}/opties/{option}/", PAGE_STAFF_ONLY),
    Access("GET", "/contracten/{contract}/opties/{option}/verwijderen/", PAGE_STAFF_ONLY),
    Access("GET", "/contracten/{contract}/onderaannemingen/nieuw/", PAGE_STAFF_ONLY),
    Access("GET", "/contracten/{contract}/onderaannemingen/{sub}/", PAGE_STAFF_ONLY),
    Access("GET", "/contracten/{contract}/onderaannemingen/{sub}/verwijderen/", PAGE_STAFF_ONLY),
    Access("GET", "/contracten/{contract}/wijkteams/nieuw/", PAGE_STAFF_ONLY),
    Access("GET", "/contracten/{contract}/wijkteams/{team}/", PAGE_STAFF_ONLY),
    Access("GET", "/contracten/{contract}/wijkteams/{team}/verwijderen/", PAGE_STAFF_ONLY),
    Access("GET", "/landschap/", PAGE_CONTRACT_READERS),
    Access("GET", "/landschap/?datum1=2025-06-30&datum2=2027-06-30", PAGE_CONTRACT_READERS),
    Access("GET", "/landschap/landschap.csv", PAGE_CONTRACT_READERS),
    Access("GET", "/landschap/landschap.xlsx", PAGE_CONTRACT_READERS),
    Access("GET", "/api/v1/aanbieders", API_PROVIDERS),
    Access("GET", "/api/v1/aanbieders?soort=care_provider&omvang=large&wijkCode=WK034401", API_PROVIDERS),
    Access("GET", "/api/v1/aanbieders/12345678", API_PROVIDERS),
    Access("GET", "/api/v1/consortia", API_CONTRACTS),
    Access("GET", "/api/v1/consortia/{consortium}", API_CONTRACTS),
    Access("GET", "/api/v1/contracten", API_CONTRACTS),
    Access("GET", "/api/v1/contracten?geldigOp=2025-06-30&instrument=public_contract", API_CONTRACTS),
    Access("GET", "/api/v1/contracten/{contract}", API_CONTRACTS),
    Access("GET", "/api/v1/onderaannemingen", API_CONTRACTS),
    Access("GET", "/api/v1/onderaannemingen/{sub}", API_CONTRACTS),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_page_access_matrix(world, client_for, role):
    client = client_for(role)
    for row in rows(world, "pages"):
        response = client.get(row.url)
        assert response.status_code == row.expected[role], (row.url, role)
        if role == "anonymous":
            assert "/account/inloggen/" in response["Location"], row.url


@pytest.mark.parametrize("role", ROLES)
def test_page_writes_are_staff_only(world, client_for, role):
    """POSTing to every form page: only contract managers get past the door (200/302)."""
    client = client_for(role)
    for row in rows(world, "pages"):
        if row.expected is not PAGE_STAFF_ONLY:
            continue
        url = row.url
        response = client.post(url, {})
        if role == "anonymous":
            assert response.status_code == 302 and "/account/inloggen/" in response["Location"]
        elif role == "contract_manager":
            assert response.status_code in (200, 302), url
        else:
            assert response.status_code == 403, (url, role)


@pytest.mark.parametrize("role", ROLES)
def test_api_read_matrix(world, client_for, role):
    client = client_for(role)
    for row in rows(world, "api"):
        response = client.get(row.url)
        assert response.status_code == row.expected[role], (row.url, role)
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

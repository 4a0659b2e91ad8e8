import datetime

import pytest
from django.db import connection
from django.utils import timezone

from districts.models import Buurtteam, District, DistrictPopulation
from tests.conftest import REQUIRE_SERVICES
from wmo.catalogue.models import ServiceType

TEN_WIJKEN = [
    ("WK034401", "West"), ("WK034402", "Noordwest"), ("WK034403", "Overvecht"),
    ("WK034404", "Noordoost"), ("WK034405", "Oost"), ("WK034406", "Binnenstad"),
    ("WK034407", "Zuid"), ("WK034408", "Zuidwest"), ("WK034409", "Leidsche Rijn"),
    ("WK034410", "Vleuten-De Meern"),
]  # fmt: skip


@pytest.mark.django_db
def test_ten_wijken_after_migrate():
    if REQUIRE_SERVICES:
        assert connection.vendor == "postgresql"
    assert list(District.objects.order_by("code").values_list("code", "name")) == TEN_WIJKEN


@pytest.mark.django_db
def test_eighteen_buurtteams_in_their_wijken():
    teams = dict(Buurtteam.objects.values_list("code", "district__code"))
    assert sorted(teams) == [f"BT{n:02d}" for n in range(1, 19)]
    assert teams["BT07"] == "WK034404"
    assert teams["BT10"] == "WK034406"
    assert [c for c, d in sorted(teams.items()) if d == "WK034409"] == ["BT15", "BT16"]
    assert Buurtteam.objects.get(code="BT05").name == "Buurtteam Overvecht 1"


@pytest.mark.django_db
def test_service_types_after_migrate():
    from wmo.catalogue.norms import norms_on

    on_day = norms_on(datetime.date(2027, 1, 1))
    norms = {s.code: on_day.waiting_days(s) for s in ServiceType.objects.all()}
    assert len(norms) == 14
    assert norms["ambulante_begeleiding"] == 14
    assert norms["beschermd_verblijf"] == 91
    assert norms["living_lab"] is None
    assert norms["vervoersvoorziening"] is None

    on_2026 = set(
        ServiceType.objects.valid_on(datetime.date(2026, 12, 31)).values_list("code", flat=True)
    )
    on_2027 = set(
        ServiceType.objects.valid_on(datetime.date(2027, 1, 1)).values_list("code", flat=True)
    )
    assert "individuele_begeleiding" in on_2026 and "ambulante_begeleiding" not in on_2026
    assert "ambulante_begeleiding" in on_2027 and "thuisbegeleiding" not in on_2027


@pytest.mark.django_db
def test_district_pages_show_teams_and_population(contract_manager_client):
    overvecht = District.objects.get(code="WK034403")
    DistrictPopulation.objects.create(district=overvecht, year=2025, population=35120)
    DistrictPopulation.objects.create(district=overvecht, year=2026, population=35410)
    # A forecast entered ahead for a later year is not "the" population yet.
    this_year = timezone.localdate().year
    DistrictPopulation.objects.create(district=overvecht, year=this_year + 1, population=36000)
    listing = contract_manager_client.get("/wijken/").content.decode()
    assert "Overvecht" in listing and "BT05, BT06" in listing and "35.410 (2026)" in listing
    assert f"36.000 ({this_year + 1})" not in listing
    detail = contract_manager_client.get("/wijken/WK034403/").content.decode()
    assert "BT05 — Buurtteam Overvecht 1" in detail
    assert "35.120" in detail and "35.410" in detail
    assert contract_manager_client.get("/wijken/WK999999/").status_code == 404


@pytest.mark.django_db
def test_api_lists_wijken_with_population_and_teams(council_client):
    DistrictPopulation.objects.create(
        district=District.objects.get(code="WK034406"), year=2026, population=18650
    )
    body = council_client.get("/api/v1/wijken/WK034406").json()
    assert body == {
        "code": "WK034406",
        "naam": "Binnenstad",
        "bevolking": [{"jaar": 2026, "aantalInwoners": 18650}],
        "buurtteams": ["BT10"],
    }
    teams = council_client.get("/api/v1/buurtteams?wijkCode=WK034401").json()["resultaten"]
    assert teams == [
        {"code": "BT01", "naam": "Buurtteam West 1", "wijkCode": "WK034401"},
        {"code": "BT02", "naam": "Buurtteam West 2", "wijkCode": "WK034401"},
    ]


@pytest.mark.django_db
def test_contract_manager_moves_a_team_and_cannot_recode_it(contract_manager_client):
    response = contract_manager_client.patch(
        "/api/v1/buurtteams/BT05", {"wijkCode": "WK034404"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert Buurtteam.objects.get(code="BT05").district.code == "WK034404"
    response = contract_manager_client.patch(
        "/api/v1/buurtteams/BT05", {"code": "BT99"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [
        {"name": "code", "code": "invalid", "reason": "De buurtteamcode kan niet worden gewijzigd."}
    ]
    assert Buurtteam.objects.filter(code="BT05").exists()


@pytest.mark.django_db
def test_deleting_a_wijk_with_teams_is_refused_and_loses_nothing(contract_manager_client):
    response = contract_manager_client.delete("/api/v1/wijken/WK034406")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert District.objects.filter(code="WK034406").exists()


U16 = [
    ("GM0310", "De Bilt"), ("GM0312", "Bunnik"), ("GM0321", "Houten"), ("GM0331", "Lopik"),
    ("GM0335", "Montfoort"), ("GM0344", "Utrecht"), ("GM0352", "Wijk bij Duurstede"),
    ("GM0353", "IJsselstein"), ("GM0355", "Zeist"), ("GM0356", "Nieuwegein"),
    ("GM0589", "Oudewater"), ("GM0632", "Woerden"), ("GM0736", "De Ronde Venen"),
    ("GM1581", "Utrechtse Heuvelrug"), ("GM1904", "Stichtse Vecht"), ("GM1961", "Vijfheerenlanden"),
]  # fmt: skip


@pytest.mark.django_db
def test_sixteen_u16_municipalities_after_migrate():
    from districts.models import Municipality

    assert list(Municipality.objects.order_by("code").values_list("code", "name")) == U16


@pytest.mark.django_db
def test_api_lists_the_u16_municipalities_read_only(council_client, contract_manager_client):
    body = council_client.get("/api/v1/gemeenten?paginaGrootte=20").json()
    assert [(g["code"], g["naam"]) for g in body["resultaten"]] == U16
    assert council_client.get("/api/v1/gemeenten/GM0310").json() == {
        "code": "GM0310",
        "naam": "De Bilt",
    }
    assert council_client.get("/api/v1/gemeenten/GM9999").status_code == 404
    refused = contract_manager_client.post(
        "/api/v1/gemeenten", {"code": "GM9999", "naam": "X"}, content_type="application/json"
    )
    assert refused.status_code == 405

"""/api/v1/ervaringen and /api/v1/klachten: attributes, filters, and the model rules' messages."""

import datetime

import pytest

from wmo.quality.imports import ComplaintImporter, SurveyImporter
from wmo.quality.models import (
    ANSWER_MESSAGE,
    BUURTTEAM_NAMES_NO_CARE,
    CARE_NEEDS_PROVIDER,
    FUTURE_MESSAGE,
    RESOLVED_BEFORE_RECEIVED,
    Complaint,
    SurveyResponse,
)

from .conftest import COMPLAINTS_CSV, SURVEY_CSV

pytestmark = pytest.mark.django_db

FUTURE = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
ERVARING = {"ervaringId": "S50000", "datum": "2025-06-01", "wijkCode": "WK034403",
            "voorziening": "dagbegeleiding", "aanbiederAgb": "63003158",
            "antwoordOplossing": 4, "antwoordZelfredzaamheid": None}  # fmt: skip
KLACHT = {"klachtId": "K50000", "aanbiederAgb": "63003158", "voorziening": "dagbegeleiding",
          "wijkCode": "WK034403", "ontvangstdatum": "2025-06-01", "afhandeldatum": None}  # fmt: skip


@pytest.fixture
def api(client_for, sample_providers):
    return client_for("contract_manager")


@pytest.fixture
def imported(sample_providers):
    assert SurveyImporter().run(SURVEY_CSV.encode()).ok
    assert ComplaintImporter().run(COMPLAINTS_CSV.encode()).ok


def post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def invalid_params(response) -> dict:
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    found: dict[str, list[str]] = {}
    for param in response.json()["invalidParams"]:
        found.setdefault(param["name"], []).append(param["reason"])
    return found


def test_list_and_detail_with_dutch_attributes(api, imported, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/ervaringen")
    assert response.status_code == 200
    assert len(response.json()["resultaten"]) == 8
    detail = api.get("/api/v1/ervaringen/S00000").json()
    assert detail == {"ervaringId": "S00000", "datum": "2025-12-19", "wijkCode": "WK034406",
                      "voorziening": "dagbegeleiding", "aanbiederAgb": "70043578",
                      "buurtteamCode": None, "antwoordOplossing": 1,
                      "antwoordZelfredzaamheid": None}  # fmt: skip
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/klachten").status_code == 200
    assert api.get("/api/v1/klachten/K0002").json() == {
        "klachtId": "K0002", "aanbiederAgb": "63003158", "voorziening": "dagbegeleiding",
        "wijkCode": "WK034402", "ontvangstdatum": "2025-01-01", "afhandeldatum": "2025-01-03",
    }  # fmt: skip
    assert api.get("/api/v1/klachten/K0002/").status_code == 404  # no trailing slash


def ids(response, key):
    return sorted(row[key] for row in response.json()["resultaten"])


@pytest.mark.parametrize(("query", "expected"), [
    ("wijkCode=WK034403", ["S00001", "S00004"]),
    ("voorziening=living_lab", ["S00004", "S00007"]),
    ("aanbiederAgb=88017394", ["S00003", "S00004"]),
    ("datumVanaf=2025-12-01&datumTot=2026-01-04", ["S00000", "S00002"]),
    ("aanbiederAgb=88017394&voorziening=living_lab", ["S00004"]),
])  # fmt: skip
def test_survey_filters(api, imported, query, expected):
    assert ids(api.get(f"/api/v1/ervaringen?{query}"), "ervaringId") == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("wijkCode=WK034401", ["K0000"]),
    ("voorziening=vervoersvoorziening", ["K0000", "K0004"]),
    ("aanbiederAgb=10116225", ["K0000", "K0004"]),
    ("datumVanaf=2025-08-01&datumTot=2026-01-06", ["K0000", "K0003"]),
])  # fmt: skip
def test_complaint_filters(api, imported, query, expected):
    assert ids(api.get(f"/api/v1/klachten?{query}"), "klachtId") == expected


def test_create_update_and_delete(api):
    response = post(api, "/api/v1/ervaringen", ERVARING)
    assert response.status_code == 201, response.content
    assert SurveyResponse.objects.get(external_id="S50000").q_solution == 4
    response = api.patch("/api/v1/ervaringen/S50000", {"antwoordZelfredzaamheid": 5},
                         content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    assert SurveyResponse.objects.get(external_id="S50000").q_self_reliance == 5

    assert post(api, "/api/v1/klachten", KLACHT).status_code == 201
    response = api.patch("/api/v1/klachten/K50000", {"afhandeldatum": "2025-06-20"},
                         content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    assert Complaint.objects.get().days_to_resolve == 19
    assert api.delete("/api/v1/klachten/K50000").status_code == 204
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(("change", "expected"), [
    ({"antwoordOplossing": 6}, {"antwoordOplossing": [ANSWER_MESSAGE]}),
    ({"antwoordZelfredzaamheid": 0}, {"antwoordZelfredzaamheid": [ANSWER_MESSAGE]}),
    ({"antwoordOplossing": 9, "antwoordZelfredzaamheid": 7},
     {"antwoordOplossing": [ANSWER_MESSAGE], "antwoordZelfredzaamheid": [ANSWER_MESSAGE]}),
    ({"datum": FUTURE}, {"datum": [FUTURE_MESSAGE]}),
])  # fmt: skip
def test_survey_rules_give_the_model_messages(api, change, expected):
    assert invalid_params(post(api, "/api/v1/ervaringen", {**ERVARING, **change})) == expected
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(("change", "expected"), [
    ({"afhandeldatum": "2025-05-31"}, {"afhandeldatum": [RESOLVED_BEFORE_RECEIVED]}),
    ({"ontvangstdatum": FUTURE}, {"ontvangstdatum": [FUTURE_MESSAGE]}),
    ({"afhandeldatum": FUTURE}, {"afhandeldatum": [FUTURE_MESSAGE]}),
])  # fmt: skip
def test_complaint_rules_give_the_model_messages(api, change, expected):
    assert invalid_params(post(api, "/api/v1/klachten", {**KLACHT, **change})) == expected
    assert not Complaint.objects.exists()


def test_patch_is_checked_against_the_stored_record(api):
    post(api, "/api/v1/klachten", {**KLACHT, "afhandeldatum": "2025-06-10"})
    response = api.patch("/api/v1/klachten/K50000", {"ontvangstdatum": "2025-06-15"},
                         content_type="application/json")  # fmt: skip
    assert invalid_params(response) == {"afhandeldatum": [RESOLVED_BEFORE_RECEIVED]}


def test_duplicate_ids_and_unknown_codes_are_refused(api):
    assert post(api, "/api/v1/ervaringen", ERVARING).status_code == 201
    assert invalid_params(post(api, "/api/v1/ervaringen", ERVARING)) == {
        "ervaringId": ["Er bestaat al een respons met dit id."]
    }
    assert post(api, "/api/v1/klachten", KLACHT).status_code == 201
    assert invalid_params(post(api, "/api/v1/klachten", KLACHT)) == {
        "klachtId": ["Er bestaat al een klacht met dit id."]
    }
    found = invalid_params(post(api, "/api/v1/ervaringen", {
        **ERVARING, "ervaringId": "S2", "wijkCode": "WK999999", "voorziening": "taxi",
        "aanbiederAgb": "99999999"}))  # fmt: skip
    assert set(found) == {"wijkCode", "voorziening", "aanbiederAgb"}
    found = invalid_params(post(api, "/api/v1/klachten", {"klachtId": "K2"}))
    assert set(found) == {"wijkCode", "voorziening", "aanbiederAgb", "ontvangstdatum"}


def test_a_response_about_the_buurtteam_has_no_provider(api, imported):
    buurtteam = {**ERVARING, "ervaringId": "B1", "voorziening": "buurtteam",
                 "aanbiederAgb": None, "buurtteamCode": "BT05"}  # fmt: skip
    assert post(api, "/api/v1/ervaringen", buurtteam).status_code == 201
    stored = SurveyResponse.objects.get(external_id="B1")
    assert (stored.about_buurtteam, stored.service_type, stored.provider, stored.team.code) == (
        True, None, None, "BT05")  # fmt: skip
    detail = api.get("/api/v1/ervaringen/B1").json()
    assert (detail["voorziening"], detail["aanbiederAgb"], detail["buurtteamCode"]) == (
        "buurtteam", None, "BT05")  # fmt: skip
    found = api.get("/api/v1/ervaringen?voorziening=buurtteam").json()["resultaten"]
    assert [r["ervaringId"] for r in found] == ["B1"]
    found = api.get("/api/v1/ervaringen?buurtteamCode=BT05").json()["resultaten"]
    assert [r["ervaringId"] for r in found] == ["B1"]
    # A care response needs its provider; a buurtteam response names none.
    assert invalid_params(
        post(api, "/api/v1/ervaringen", {**ERVARING, "ervaringId": "S2", "aanbiederAgb": None})
    ) == {  # fmt: skip
        "aanbiederAgb": [CARE_NEEDS_PROVIDER]
    }
    assert invalid_params(
        post(
            api, "/api/v1/ervaringen", {**buurtteam, "ervaringId": "B2", "aanbiederAgb": "63003158"}
        )
    ) == {  # fmt: skip
        "aanbiederAgb": [BUURTTEAM_NAMES_NO_CARE]
    }

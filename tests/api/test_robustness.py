"""Bad input to the API is a 4xx in problem+json naming the field in Dutch, never a 500; the
cases from issue 14 one by one (the fuzzing in test_schemathesis.py covers the rest)."""

import json
import logging
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django_filters import rest_framework as filters
from rest_framework.throttling import UserRateThrottle

from districts.api.views import DistrictViewSet
from providers.api.serializers import ConsortiumSerializer
from providers.models import Consortium, Contract, Provider
from tests.providers.factories import ConsortiumFactory, ContractFactory, ProviderFactory
from wmo.api.filters import ApiFilterBackend, ApiFilterSet
from wmo.api.limits import MAX_ID
from wmo.urls import router

pytestmark = pytest.mark.django_db
JSON = "application/json"
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "wmo" / "api" / "openapi.json"
PROBLEM = "application/problem+json"


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    return body


def reasons(response) -> dict:
    return {p["name"]: p["reason"] for p in problem(response, 400)["invalidParams"]}


# --- numbers beyond what the database holds -----------------------------------------------------


def test_unbounded_page_number_is_a_400_naming_pagina(contract_manager_client):
    response = contract_manager_client.get("/api/v1/wijken?pagina=99999999999999999999999")
    assert reasons(response) == {"pagina": "Geef een geheel getal van 1 tot en met 1000000."}


@pytest.mark.parametrize("query, name", [
    ("pagina=0", "pagina"), ("pagina=-1", "pagina"), ("pagina=abc", "pagina"),
    ("pagina=1_0", "pagina"), ("pagina=1000001", "pagina"), ("paginaGrootte=1001", "paginaGrootte"),
    ("paginaGrootte=0", "paginaGrootte"),
])  # fmt: skip
def test_page_parameters_out_of_range(contract_manager_client, query, name):
    assert list(reasons(contract_manager_client.get(f"/api/v1/wijken?{query}"))) == [name]


def test_pages_still_work(contract_manager_client):
    first = contract_manager_client.get("/api/v1/wijken?paginaGrootte=3").json()
    second = contract_manager_client.get("/api/v1/wijken?paginaGrootte=3&pagina=2").json()
    assert [w["code"] for w in first["resultaten"]] == ["WK034401", "WK034402", "WK034403"]
    assert [w["code"] for w in second["resultaten"]] == ["WK034404", "WK034405", "WK034406"]
    assert first["volgende"] == "http://testserver/api/v1/wijken?pagina=2&paginaGrootte=3"
    assert second["vorige"] == "http://testserver/api/v1/wijken?paginaGrootte=3"


def test_integer_filter_beyond_64_bits_is_a_400_naming_it(contract_manager_client):
    response = contract_manager_client.get(
        "/api/v1/onderaannemingen?contract=99999999999999999999999"
    )
    assert reasons(response) == {
        "contract": f"Geef een id: een geheel getal van 1 tot en met {MAX_ID}."
    }


def test_integer_filter_still_filters(contract_manager_client):
    from tests.providers.factories import SubcontractFactory

    wanted, other = SubcontractFactory(), SubcontractFactory()
    body = contract_manager_client.get(f"/api/v1/onderaannemingen?contract={wanted.contract_id}")
    assert [s["id"] for s in body.json()["resultaten"]] == [wanted.id]
    assert other.contract_id != wanted.contract_id


@pytest.mark.parametrize("path", [
    "/api/v1/consortia/99999999999999999999999", f"/api/v1/consortia/{MAX_ID + 1}",
    "/api/v1/consortia/0", "/api/v1/consortia/abc", "/api/v1/aanbieders/%00",
    "/api/v1/aanbieders/a%0Ab", "/api/v1/wijken/%0A", "/api/v1/aanbieders/" + "1" * 101,
])  # fmt: skip
def test_path_parameters_that_cannot_exist_are_a_404(contract_manager_client, path):
    body = problem(contract_manager_client.get(path), 404)
    assert "Let op: API-adressen eindigen niet op '/'" in body["detail"]


def test_a_missing_object_is_a_dutch_404_without_the_model_name(contract_manager_client):
    body = problem(contract_manager_client.get(f"/api/v1/consortia/{MAX_ID}"), 404)
    assert body["detail"] == "Niet gevonden: er is niets met deze sleutel, of u mag het niet zien."


def test_a_post_to_a_wrong_address_is_a_404_not_a_csrf_page(user_for):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_for("contract_manager"))
    problem(client.post("/api/v1/wijken/%0A", "{}", content_type=JSON), 404)
    problem(client.post("/api/v1/bestaat-niet", "{}", content_type=JSON), 404)


# --- duplicates ----------------------------------------------------------------------------------


def test_duplicate_consortium_name_is_a_400_naming_naam(contract_manager_client):
    existing = ConsortiumFactory(name="Samen Sterk")
    response = contract_manager_client.post("/api/v1/consortia", {
        "naam": "Samen Sterk", "vorm": "main_contractor",
        "hoofdaannemer": existing.main_contractor.agb_code,
        "leden": [ProviderFactory().agb_code],
    }, content_type=JSON)  # fmt: skip
    assert reasons(response) == {"naam": "Er bestaat al een samenwerkingsverband met deze naam."}
    assert Consortium.objects.count() == 1


def test_renaming_a_consortium_to_a_taken_name_is_refused_its_own_name_kept(
    contract_manager_client,
):
    ConsortiumFactory(name="Samen Sterk")
    other = ConsortiumFactory(name="Wijkzorg")
    other.members.add(ProviderFactory())
    url = f"/api/v1/consortia/{other.pk}"
    response = contract_manager_client.patch(url, {"naam": "Samen Sterk", "versie": other.version},
                                             content_type=JSON)  # fmt: skip
    assert reasons(response) == {"naam": "Er bestaat al een samenwerkingsverband met deze naam."}
    same = contract_manager_client.patch(
        url, {"naam": "Wijkzorg", "vorm": "joint_entity", "versie": other.version},
        content_type=JSON)  # fmt: skip
    assert same.status_code == 200, same.content


def test_duplicate_contract_reference_is_a_400_naming_kenmerk(contract_manager_client):
    ContractFactory(reference="AZ-2027-X", contractor=ProviderFactory(agb_code="22222222"))
    response = contract_manager_client.post("/api/v1/contracten", {
        "kenmerk": "AZ-2027-X", "omschrijving": "Stad", "contractpartij": "22222222",
        "instrument": "public_contract", "bekostiging": "lump_sum",
        "ingangsdatum": "2027-01-01", "einddatum": "2030-12-31", "stedelijk": True,
        "voorzieningen": ["dagbegeleiding"],
    }, content_type=JSON)  # fmt: skip
    assert reasons(response) == {"kenmerk": "Er bestaat al een contract met dit kenmerk."}
    assert Contract.objects.count() == 1


def test_a_duplicate_the_database_refuses_after_a_race_is_a_409(
    contract_manager_client, monkeypatch
):
    """Two requests that both pass the uniqueness check: the database refuses the second."""
    existing = ConsortiumFactory(name="Samen Sterk")
    monkeypatch.setattr(ConsortiumSerializer, "validate", lambda self, attrs: attrs)
    response = contract_manager_client.post("/api/v1/consortia", {
        "naam": "Samen Sterk", "vorm": "main_contractor",
        "hoofdaannemer": existing.main_contractor.agb_code,
    }, content_type=JSON)  # fmt: skip
    body = problem(response, 409)
    assert body["detail"] == (
        "De wijziging botst met bestaande gegevens, bijvoorbeeld een naam of kenmerk dat al "
        "bestaat."
    )


def test_a_share_above_100_percent_is_a_400_not_a_format_error(contract_manager_client):
    """Found by the fuzzing: the validator's "100 %." broke Django's message formatting."""
    from tests.providers.factories import SubcontractFactory

    sub = SubcontractFactory()
    response = contract_manager_client.patch(f"/api/v1/onderaannemingen/{sub.pk}",
                                             {"aandeelProcent": 415, "versie": sub.version},
                                             content_type=JSON)  # fmt: skip
    shares = [p["reason"] for p in problem(response, 400)["invalidParams"]
              if p["name"] == "aandeelProcent"]  # fmt: skip
    assert "Een aandeel is hoogstens 100 %." in shares


# --- strings: NUL bytes, control characters, length ----------------------------------------------

CONSORTIUM = {"vorm": "main_contractor"}


@pytest.mark.parametrize("value", ["a\x00b", "\x00", "regel\x1bnaam"])
def test_control_characters_in_a_body_field_are_a_400_naming_it(contract_manager_client, value):
    provider = ProviderFactory()
    response = contract_manager_client.post("/api/v1/consortia", {
        **CONSORTIUM, "naam": value, "hoofdaannemer": provider.agb_code,
    }, content_type=JSON)  # fmt: skip
    assert reasons(response) == {
        "naam": "Bevat een stuurteken (zoals een NUL-byte); dat is niet toegestaan."
    }
    assert not Consortium.objects.exists()


def test_nul_in_a_nested_field_and_a_reference_is_named_by_its_path(client_for):
    client = client_for("contract_manager")
    response = client.post("/api/v1/moties", {
        "aanbesteding": "30209886\x00", "verzoeken": [{"nummer": 1, "verzoek": "a\x00"}],
    }, content_type=JSON)  # fmt: skip
    assert set(reasons(response)) == {"aanbesteding", "verzoeken.0.verzoek"}


def test_over_long_strings_are_a_400_naming_the_field(contract_manager_client):
    provider = ProviderFactory()
    response = contract_manager_client.post("/api/v1/consortia", {
        **CONSORTIUM, "naam": "x" * 201, "hoofdaannemer": provider.agb_code,
    }, content_type=JSON)  # fmt: skip
    assert reasons(response) == {
        "naam": "Zorg ervoor dat dit veld niet meer dan 200 karakters bevat."
    }
    contract = ContractFactory()
    response = contract_manager_client.patch(f"/api/v1/contracten/{contract.pk}",
                                             {"toelichting": "x" * 10_001}, content_type=JSON)  # fmt: skip
    assert reasons(response) == {"toelichting": "Te lang: hoogstens 10.000 tekens."}
    contract.refresh_from_db()
    assert contract.notes == ""


@pytest.mark.parametrize("query, name, reason", [
    ("zoek=%00", "zoek", "Null-tekens zijn niet toegestaan."),
    ("zoek=" + "x" * 201, "zoek", "Te lang: hoogstens 200 tekens."),
    ("wijkCode=WK%00", "wijkCode", "Null-tekens zijn niet toegestaan."),
])  # fmt: skip
def test_bad_text_in_a_filter_is_a_400_naming_it(contract_manager_client, query, name, reason):
    assert reasons(contract_manager_client.get(f"/api/v1/aanbieders?{query}")) == {name: reason}


def test_a_token_with_a_nul_byte_is_a_401(client):
    response = client.get("/api/v1/wijken", HTTP_AUTHORIZATION="Token a\x00b")
    assert problem(response, 401)["detail"] == "Ongeldige token."


def test_an_unknown_or_inactive_users_token_is_a_dutch_401(client):
    from rest_framework.authtoken.models import Token

    from tests.factories import make_user

    response = client.get("/api/v1/wijken", HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert problem(response, 401)["detail"] == "Ongeldige token."
    user = make_user("contract_manager", username="vertrokken")
    key = Token.objects.create(user=user).key
    assert client.get("/api/v1/wijken", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    user.is_active = False
    user.save()
    response = client.get("/api/v1/wijken", HTTP_AUTHORIZATION=f"Token {key}")
    assert problem(response, 401)["detail"] == "Gebruiker inactief of verwijderd."


# --- bodies that are not a JSON object ------------------------------------------------------------


def test_malformed_json_is_a_400_saying_where(contract_manager_client):
    response = contract_manager_client.post("/api/v1/consortia", '{"naam": ', content_type=JSON)
    assert problem(response, 400)["detail"] == "De body is geen geldige JSON (regel 1, kolom 10)."


@pytest.mark.parametrize("body", ["null", "[]", '"naam"', "42"])
def test_a_body_that_is_not_an_object_is_a_400(contract_manager_client, body):
    response = contract_manager_client.post("/api/v1/consortia", body, content_type=JSON)
    assert problem(response, 400)["detail"].startswith("De body moet een JSON-object zijn")


def test_invalid_utf8_is_a_400(contract_manager_client):
    response = contract_manager_client.post("/api/v1/consortia", b'{"naam": "\xff"}',
                                            content_type=JSON)  # fmt: skip
    assert problem(response, 400)["detail"] == "De body is geen geldige UTF-8."


@pytest.mark.parametrize("content_type, body", [
    ("application/x-www-form-urlencoded", "naam=Samen&vorm=main_contractor"),
    ("multipart/form-data; boundary=x", "--x--"),
    ("text/plain", "naam"),
    ("application/xml", "<naam/>"),
])  # fmt: skip
def test_a_body_that_is_not_json_is_a_415(contract_manager_client, content_type, body):
    response = contract_manager_client.post("/api/v1/consortia", body, content_type=content_type)
    assert problem(response, 415)["detail"] == f'Ongeldige media type "{content_type}" in aanvraag.'
    assert not Consortium.objects.exists()


def test_a_body_beyond_django_s_upload_limit_is_a_413(contract_manager_client):
    body = json.dumps({"naam": "Samen", "leden": ["12345678"] * 300_000})  # 3.6 MB
    response = contract_manager_client.post("/api/v1/consortia", body, content_type=JSON)
    assert problem(response, 413)["detail"] == "De body is te groot: hoogstens 2,5 MB."


def test_english_drf_messages_come_out_in_dutch(contract_manager_client):
    provider = ProviderFactory()
    response = contract_manager_client.post("/api/v1/consortia", {
        **CONSORTIUM, "naam": {"a": 1}, "hoofdaannemer": provider.agb_code,
    }, content_type=JSON)  # fmt: skip
    assert reasons(response) == {"naam": "Geef een tekst."}


def test_django_s_messages_without_a_full_stop_come_out_as_sentences():
    """A model's own rules reach the API as Django's messages (procurement's ModelCleanMixin),
    and Django's Dutch 'Dit veld kan niet leeg zijn' has no full stop; a reason always has."""
    from rest_framework.exceptions import ValidationError

    from wmo.api.exceptions import problem_exception_handler

    error = ValidationError({"toelichting": ["Dit veld kan niet leeg zijn"],
                             "naam": ["Dit veld mag niet leeg zijn."]})  # fmt: skip
    response = problem_exception_handler(error, {})
    assert {p["name"]: p["reason"] for p in response.data["invalidParams"]} == {
        "toelichting": "Dit veld kan niet leeg zijn.", "naam": "Dit veld mag niet leeg zijn.",
    }  # fmt: skip


# --- unexpected errors, throttling ----------------------------------------------------------------


def test_an_unexpected_error_is_a_problem_json_500_and_logged(user_for, monkeypatch, caplog):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("stuk")

    monkeypatch.setattr(DistrictViewSet, "list", broken)
    client = Client(raise_request_exception=False)
    client.force_login(user_for("contract_manager"))
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v1/wijken")
    body = problem(response, 500)
    assert (
        body["detail"]
        == "Er ging iets mis bij het verwerken van dit verzoek; de fout is vastgelegd."
    )
    assert "stuk" not in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Internal Server Error: /api/v1/wijken"
    assert record.exc_info[1].args == ("stuk",)
    assert record.request.path == "/api/v1/wijken"


def test_an_unexpected_error_still_reaches_django_s_error_reporting(user_for, monkeypatch):
    monkeypatch.setattr(DistrictViewSet, "list", lambda *a, **k: 1 / 0)
    client = Client()  # re-raises what Django's got_request_exception reports
    client.force_login(user_for("contract_manager"))
    with pytest.raises(ZeroDivisionError):
        client.get("/api/v1/wijken")


class OnePerMinute(UserRateThrottle):
    rate = "1/min"


def test_throttled_is_a_problem_json_429_with_retry_after(contract_manager_client, monkeypatch):
    """The throttles themselves are set in the settings; whatever they are, 429 looks so."""
    monkeypatch.setattr(DistrictViewSet, "get_throttles", lambda self: [OnePerMinute()])
    assert contract_manager_client.get("/api/v1/wijken").status_code == 200
    response = contract_manager_client.get("/api/v1/wijken")
    body = problem(response, 429)
    assert body["title"] == "Te veel verzoeken."
    assert int(response["Retry-After"]) > 0


# --- the rules hold for every endpoint --------------------------------------------------------------


def _viewsets():
    from indicators.api.urls import router as indicator_router

    return [entry[1] for entry in [*router.registry, *indicator_router.registry]]


def test_every_api_filterset_bounds_its_values():
    from rest_framework.settings import api_settings

    assert [ApiFilterBackend] == api_settings.DEFAULT_FILTER_BACKENDS
    for viewset in _viewsets():
        assert viewset.filter_backends == [ApiFilterBackend], viewset.__name__
        filterset = getattr(viewset, "filterset_class", None)
        assert filterset is None or issubclass(filterset, ApiFilterSet), viewset.__name__


def test_an_unbounded_filter_is_refused_when_the_class_is_made():
    with pytest.raises(ImproperlyConfigured, match="use TextFilter or IdFilter"):

        class Loose(ApiFilterSet):
            naam = filters.CharFilter(field_name="name")

            class Meta:
                model = Provider
                fields = ["naam"]


def test_the_schema_documents_every_error_answer():
    from wmo.api.schema import DESCRIPTIONS

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    responses = schema["components"]["responses"]
    assert set(responses) == {f"Problem{status}" for status in DESCRIPTIONS}
    assert all(r["content"] == {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
               for r in responses.values())  # fmt: skip
    assert "Retry-After" in responses["Problem429"]["headers"]
    paths = schema["paths"]
    assert set(paths["/api/v1/consortia"]["post"]["responses"]) == {
        "201", "400", "401", "403", "405", "406", "409", "413", "415", "429", "500"}  # fmt: skip
    assert set(paths["/api/v1/consortia/{id}"]["get"]["responses"]) == {
        "200", "401", "403", "404", "405", "406", "429", "500"}  # fmt: skip
    assert set(paths["/api/v1/wijken"]["get"]["responses"]) == {
        "200", "400", "401", "403", "405", "406", "429", "500"}  # fmt: skip
    # A broker outage: the run is recorded and starts once the queue is back (202, `melding`).
    assert "202" in paths["/api/v1/indicatorberekeningen"]["post"]["responses"]
    [id_param] = paths["/api/v1/consortia/{id}"]["get"]["parameters"]
    assert id_param["schema"] == {"type": "integer", "format": "int64", "minimum": 1,
                                  "maximum": MAX_ID}  # fmt: skip
    notes = schema["components"]["schemas"]["ContractRequest"]["properties"]["toelichting"]
    assert notes["maxLength"] == 10_000
    assert "application/x-www-form-urlencoded" not in json.dumps(paths)


# --- attributes the resource does not have -------------------------------------------------------

UNKNOWN = ("Onbekend attribuut: dit gegeven heeft geen attribuut met deze naam. Controleer de "
           "spelling; /api/v1/openapi.json noemt alle attributen.")  # fmt: skip


def test_an_unknown_attribute_is_refused_not_dropped(db, client_for):
    """A misspelt answer (`oplossing` for `antwoordOplossing`) stored a survey response without
    its answers; a misspelt `bevolking` made a wijk without its population."""
    from wmo.quality.models import SurveyResponse

    manager = client_for("contract_manager")
    response = manager.post("/api/v1/ervaringen", {
        "ervaringId": "E1", "datum": "2026-03-02", "wijkCode": "WK034403",
        "voorziening": "buurtteam", "oplossing": 5,
    }, content_type=JSON)  # fmt: skip
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [{"name": "oplossing", "code": "invalid",
                                                  "reason": UNKNOWN}]  # fmt: skip
    assert SurveyResponse.objects.count() == 0
    # Read-only attributes sent back as read are no error (a PUT of what a GET answered).
    contract = ContractFactory(city_wide=True)
    from wmo.catalogue.models import ServiceType

    contract.service_types.add(ServiceType.objects.get(code="dagbegeleiding"))
    body = manager.get(f"/api/v1/contracten/{contract.pk}").json()
    assert "jaarwaarden" in body and "id" in body
    assert manager.put(f"/api/v1/contracten/{contract.pk}", body,
                       content_type=JSON).status_code == 200  # fmt: skip
    patched = manager.patch(f"/api/v1/contracten/{contract.pk}",
                            {"omschrijving": "X", "versie": 2, "looptijd": "10 jaar"},
                            content_type=JSON)  # fmt: skip
    assert reasons(patched) == {"looptijd": UNKNOWN}
    contract.refresh_from_db()
    assert contract.version == 2 and contract.name != "X"


# --- CSRF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cookie", "headers"),
    [("b" * 32, {"HTTP_X_CSRFTOKEN": "a" * 32}),  # the token does not match the cookie
     ("a" * 32, {"HTTP_X_CSRFTOKEN": "a" * 32, "HTTP_ORIGIN": "https://elders.example"}),
     (None, {})],  # no cookie, no token
    ids=["wrong-token", "bad-origin", "no-token"],
)  # fmt: skip
def test_a_session_post_failing_csrf_is_a_dutch_403(user_for, cookie, headers):
    # DRF's own detail was English: "CSRF Failed: CSRF token from the 'X-Csrftoken' HTTP
    # header incorrect." / "CSRF Failed: Origin checking failed - … does not match …".
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_for("buurtteam_worker", team_code="BT05"))
    if cookie:
        client.cookies["csrftoken"] = cookie
    body = problem(client.post("/api/v1/casussen", "{}", content_type=JSON, **headers), 403)
    assert body["detail"].startswith("De CSRF-controle is mislukt")
    assert "CSRF Failed" not in body["detail"] and "failed" not in body["detail"]

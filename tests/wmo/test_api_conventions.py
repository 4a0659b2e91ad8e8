"""NL API Design Rules: no trailing slash, API-Version header, problem+json, public OpenAPI."""

import json
from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "wmo" / "api" / "openapi.json"


@pytest.mark.django_db
def test_trailing_slash_is_a_problem_json_404(contract_manager_client):
    response = contract_manager_client.get("/api/v1/wijken/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == "1.0.0"
    assert response.json()["status"] == 404


@pytest.mark.django_db
def test_every_api_response_has_api_version(contract_manager_client, client):
    assert contract_manager_client.get("/api/v1/wijken")["API-Version"] == "1.0.0"
    assert client.get("/api/v1/wijken")["API-Version"] == "1.0.0"
    assert client.get("/api/v1/openapi.json")["API-Version"] == "1.0.0"
    assert "API-Version" not in client.get("/account/inloggen/")


@pytest.mark.django_db
def test_anonymous_gets_problem_json_401_with_challenge(client):
    response = client.get("/api/v1/wijken")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Token"
    body = response.json()
    assert body["title"] == "Niet ingelogd."
    assert body["instance"] == "/api/v1/wijken"


@pytest.mark.django_db
def test_validation_error_names_field_and_reason_in_dutch(contract_manager_client):
    response = contract_manager_client.post(
        "/api/v1/buurtteams",
        {"code": "X1", "naam": "", "wijkCode": "WK999999"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    params = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    assert params == {
        "code": "Een buurtteamcode bestaat uit 'BT' en twee cijfers, bijvoorbeeld BT05.",
        "naam": "Dit veld mag niet leeg zijn.",
        "wijkCode": "Er bestaat geen wijk met de code 'WK999999'.",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent", "reason"),
    [
        # DRF answered "Object met code=['WK034401'] bestaat niet." (Python's notation).
        (["WK034401"], "Geef een code als tekst."),
        ({"code": "WK034401"}, "Geef een code als tekst."),
        (34401, "Geef een code als tekst."),
        # Only the start of a long unknown value comes back.
        ("W" * 5000, f"Er bestaat geen wijk met de code '{'W' * 39}…'."),
    ],
    ids=["list", "object", "number", "long"],
)
def test_a_reference_by_code_takes_text_and_repeats_little(contract_manager_client, sent, reason):
    response = contract_manager_client.post(
        "/api/v1/buurtteams", {"code": "BT19", "naam": "Nieuw", "wijkCode": sent},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    problems = [(p["name"], p["reason"]) for p in response.json()["invalidParams"]]
    assert problems == [("wijkCode", reason)]


@pytest.mark.django_db
def test_token_authentication_for_machines(client, user_for):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=user_for("council_member"))
    response = client.get("/api/v1/wijken", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert [w["code"] for w in response.json()["resultaten"]][:2] == ["WK034401", "WK034402"]


@pytest.mark.django_db
def test_openapi_is_public_json(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/wijken" in schema["paths"]
    assert not any(path.endswith("/") for path in schema["paths"])


def test_committed_schema_matches_the_code():
    generated = SchemaGenerator().get_schema(request=None, public=True)
    rendered = json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert rendered == committed, "OpenAPI schema changed: run `make schema` and commit the file"


def test_classes_are_named_in_english_and_the_schema_components_in_dutch():
    from providers.api import serializers as providers
    from wmo.quality.api import serializers as quality
    from wmo.referrals.api import serializers as referrals

    # Code identifiers in English; what the API shows (component names) in Dutch and stable.
    named = {
        providers.ProviderSerializer: "Aanbieder",
        providers.ContractValueSerializer: "Jaarwaarde",
        providers.ContractOptionSerializer: "Optie",
        providers.DistrictTeamSerializer: "Wijkteam",
        providers.SubcontractSerializer: "Onderaanneming",
        quality.SurveyResponseSerializer: "Ervaring",
        quality.ComplaintSerializer: "Klacht",
        referrals.ReferralSerializer: "Verwijzing",
        referrals.TransitionSerializer: "Transitie",
        referrals.BuurtteamCaseSerializer: "Casus",
    }
    components = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["components"]["schemas"]
    for serializer, component in named.items():
        assert serializer._spectacular_annotation["component_name"] == component
        assert f"{component}Request" in components or component in components, component
    assert "Onderaanneming" in components and "PaginatedOnderaannemingList" in components
    assert not [name for name in components if "Onderaaneming" in name]  # the old typo


def test_resource_names_are_dutch_plurals_without_trailing_slash():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    first_segments = {path.split("/")[3] for path in schema["paths"]}
    assert {"wijken", "buurtteams", "voorzieningen"} <= first_segments


def _api_viewsets():
    """Every viewset the URLs lead to: name -> (class, the actions its routes call)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found, stack = {}, [get_resolver()]
    while stack:
        for entry in stack.pop().url_patterns:
            if isinstance(entry, URLResolver):
                stack.append(entry)
            elif isinstance(entry, URLPattern) and getattr(entry.callback, "actions", None):
                cls = entry.callback.cls
                found.setdefault(cls.__name__, (cls, set()))[1].update(
                    entry.callback.actions.values()
                )
    return found


@pytest.mark.django_db
def test_every_viewset_with_prefetched_lists_reads_them_again_after_an_update(rf, user_for):
    """A viewset whose queryset keeps relations as plain lists (wmo.api.prefetched.Prefetched)
    answers an update with those lists as read before the write unless it also forgets them
    (ForgetsPrefetchedOnUpdate; tests/providers/test_api.py shows the stale answer). This
    finds them all, so a new one cannot leave it out."""
    from rest_framework.request import Request

    from wmo.api.prefetched import SUFFIX, ForgetsPrefetchedOnUpdate

    viewsets = _api_viewsets()
    assert len(viewsets) >= 20
    request = rf.get("/api/v1/")
    request.user = user_for("contract_manager")
    with_lists, updatable = set(), set()
    for name, (cls, actions) in viewsets.items():
        if {"update", "partial_update"} & actions:
            updatable.add(name)
        # The queryset an update reads its record from (get_object), else the list's.
        action = "partial_update" if name in updatable else "list"
        view = cls(request=Request(request), format_kwarg=None, kwargs={}, action=action)
        lookups = getattr(view.get_queryset(), "_prefetch_related_lookups", ())
        if any((getattr(lookup, "to_attr", "") or "").endswith(SUFFIX) for lookup in lookups):
            with_lists.add(name)
    assert {"ContractViewSet", "ProviderViewSet", "SubcontractViewSet"} <= with_lists
    forgetting = {name for name, (cls, _) in viewsets.items()
                  if issubclass(cls, ForgetsPrefetchedOnUpdate)}  # fmt: skip
    assert with_lists & updatable == forgetting
    assert {"ContractViewSet", "ProviderViewSet", "SubcontractViewSet"} <= updatable

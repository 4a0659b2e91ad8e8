"""400/403/404/500 and the CSRF failure: pages in the house style, Dutch or English with the
UI, and problem+json under /api/. DEBUG is off in the test settings, as in production."""

import json

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from wmo import errors

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.wmo.error_urls")]

TEXTS = {
    "nl": {
        400: "Ongeldig verzoek",
        403: "Geen toegang",
        404: "Pagina niet gevonden",
        500: "Er ging iets mis",
        "csrf": "Formulier verlopen",
        "code": "Foutcode",
        "home": "Naar de startpagina",
    },
    "en": {
        400: "Bad request",
        403: "Access denied",
        404: "Page not found",
        500: "Something went wrong",
        "csrf": "Form expired",
        "code": "Error code",
        "home": "To the start page",
    },
}


def client_in(language, role=None, client_for=None, **defaults):
    client = client_for(role) if role else Client(**defaults)
    client.raise_request_exception = False
    client.defaults.update(HTTP_ACCEPT_LANGUAGE=language, **defaults)
    return client


def assert_house_page(response, language, heading, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    texts = TEXTS[language]
    assert f'<html lang="{language}"' in html
    assert f'<h1 class="utrecht-heading-1">{heading}</h1>' in html
    assert f"<title>{heading} — " in html
    assert "utrecht-page-header" in html and "/static/css/wmo.css" in html
    assert f"{texts['code']}: {status}" in html
    assert f'href="/">{texts["home"]}</a>' in html
    return html


@pytest.mark.parametrize("language", ["nl", "en"])
def test_400_for_a_host_we_do_not_serve(language):
    client = client_in(language, HTTP_HOST="aanvaller.example")
    html = assert_house_page(client.get("/"), language, TEXTS[language][400], 400)
    assert "taalkeuze" not in html  # rendered bare: no forms that need the request


@pytest.mark.parametrize("language", ["nl", "en"])
def test_403_for_a_role_without_access(client_for, language):
    client = client_in(language, "buurtteam_worker", client_for)
    html = assert_house_page(client.get("/dashboard/"), language, TEXTS[language][403], 403)
    role = {"nl": "Buurtteammedewerker", "en": "Neighbourhood team worker"}[language]
    assert role in html  # the normal header: who is signed in, the menu


@pytest.mark.parametrize("language", ["nl", "en"])
def test_404_for_a_page_that_does_not_exist(client_for, language):
    client = client_in(language, "council_member", client_for)
    assert_house_page(client.get("/bestaat-niet/"), language, TEXTS[language][404], 404)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_500_when_a_view_fails(client_for, language):
    client = client_in(language, "contract_manager", client_for)
    html = assert_house_page(client.get("/kapot/"), language, TEXTS[language][500], 500)
    # rendered without context processors: no user, no menu, no language form
    assert "Accounthouder" not in html and "utrecht-nav-bar" not in html
    assert "opzettelijk kapot" not in html  # the exception's text stays in the log


@pytest.mark.parametrize("language", ["nl", "en"])
def test_csrf_failure_page(language):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    response = client.post("/account/inloggen/", {"username": "a", "password": "b"})
    assert_house_page(response, language, TEXTS[language]["csrf"], 403)


def test_500_page_renders_without_the_database(django_db_blocker):
    request = RequestFactory().get("/kapot/")
    with django_db_blocker.block(), translation.override("nl"):  # any query would raise here
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def assert_problem(response, status, title):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert (body["status"], body["title"]) == (status, title)
    assert body["detail"] and body["instance"]
    return body


def test_api_400():
    client = Client(HTTP_HOST="aanvaller.example")
    assert_problem(client.get("/api/v1/wijken"), 400, "Ongeldige invoer.")


def test_api_403_csrf_failure_and_handler():
    # No Django view under /api/ checks CSRF any more (DRF does for sessions, and the catch-all
    # answers 404), so the failure view is asked directly, as Django would ask it.
    failed = errors.csrf_failure(
        RequestFactory().post("/api/v1/wijken/"), reason="CSRF token missing."
    )
    body = assert_problem(failed, 403, "Geen toegang.")
    assert "CSRF" in body["detail"]
    request = RequestFactory().get("/api/v1/wijken")
    assert_problem(errors.permission_denied(request), 403, "Geen toegang.")


@pytest.mark.parametrize("url", ["/api/", "/api/v1/wijken/", "/api/v2/wijken"])
def test_api_404(url):
    assert_problem(Client().get(url), 404, "Niet gevonden.")


def test_api_500(client_for):
    client = client_for("contract_manager")
    client.raise_request_exception = False
    body = assert_problem(client.get("/api/v1/kapot"), 500, "Interne fout.")
    assert body["detail"] == "Er ging aan onze kant iets mis. Probeer het later opnieuw."
    assert "opzettelijk" not in body["detail"]

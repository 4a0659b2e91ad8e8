"""Errors as `application/problem+json` (RFC 9457), with invalid fields listed by name."""

import logging
import math

from django.core import signals
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.http import Http404, JsonResponse
from django.utils.log import log_response
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.renderers import TemplateHTMLRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

from ..text import as_sentence
from .throttles import throttle_failed_authentication

logger = logging.getLogger("wmo.api")

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Ongeldige invoer.",
    401: "Niet ingelogd.",
    403: "Geen toegang.",
    404: "Niet gevonden.",
    405: "Methode niet toegestaan.",
    406: "Formaat niet beschikbaar.",
    409: "Conflict.",
    413: "Body te groot.",
    415: "Mediatype niet ondersteund.",
    429: "Te veel verzoeken.",
    500: "Interne fout.",
    503: "Dienst niet beschikbaar.",
}


# DRF messages its Dutch catalogue lacks (the rest come out in Dutch already).
DUTCH = {
    "Not a valid string.": "Geef een tekst.",
    "Must be a valid boolean.": "Geef true of false.",
    "Must be a valid UUID.": "Geef een geldige UUID, bijvoorbeeld "
    "0b7e1c5a-3f0e-4d1c-9a57-5c1f3b2e8d41.",
    "Datetime value out of range.": "Deze datum en tijd liggen buiten het bereik.",
    "Integer value too large to convert to float": "Dit getal is te groot.",
    "This dictionary may not be empty.": "Dit mag niet leeg zijn.",
    "Invalid input.": "Ongeldige invoer.",
}


def _flatten(detail, prefix=""):
    """Turn DRF's nested error dict into [{"name", "code", "reason"}] with dotted field names."""
    params = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if not prefix else f"{prefix}.{key}"
            params.extend(_flatten(value, name))
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                params.extend(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
            else:
                params.extend(_flatten(value, prefix))
    else:
        params.append(
            {
                "name": prefix or "nonFieldErrors",
                "code": getattr(detail, "code", "invalid"),
                "reason": as_sentence(DUTCH.get(str(detail), str(detail))),
            }
        )
    return params


def problem(status_code: int, detail: str, instance: str = "", **extra) -> dict:
    body = {
        "type": f"https://httpstatuses.io/{status_code}",
        "title": TITLES.get(status_code, "Fout."),
        "status": status_code,
        "detail": detail,
        "instance": instance,
    }
    body.update(extra)
    return body


def throttled_detail(wait) -> str:
    """Dutch detail of a 429; the same number of seconds is in the Retry-After header."""
    if wait is None:
        return "Te veel verzoeken. Probeer het later opnieuw."
    seconds = max(1, math.ceil(wait))
    unit = "seconde" if seconds == 1 else "seconden"
    return f"Te veel verzoeken. Probeer het over {seconds} {unit} opnieuw."


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


NOT_FOUND = "Niet gevonden: er is niets met deze sleutel, of u mag het niet zien."
PROTECTED = "Dit gegeven kan niet worden verwijderd: andere gegevens verwijzen ernaar."
# The serializers check uniqueness themselves and name the field; this is the answer when two
# requests race past that check and the database's unique constraint refuses the second.
INTEGRITY = (
    "De wijziging botst met bestaande gegevens, bijvoorbeeld een naam of kenmerk dat al bestaat."
)
# The 401s: counted at the anonymous rate, as DRF throttles only after authentication passed.
NOT_SIGNED_IN = (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)
UNEXPECTED = "Er ging iets mis bij het verwerken van dit verzoek; de fout is vastgelegd."


def problem_exception_handler(exc, context):
    request = context.get("request")
    instance = request.get_full_path() if request else ""
    if isinstance(exc, Http404):
        # Django's text is English and names the model ("No Referral matches the given query.").
        exc = exceptions.NotFound(NOT_FOUND)
    elif isinstance(exc, ProtectedError):
        exc = Conflict(PROTECTED)
    elif isinstance(exc, IntegrityError):
        logger.warning("API %s: refused by a database constraint: %s", instance, exc)
        exc = Conflict(INTEGRITY)
    elif isinstance(exc, NOT_SIGNED_IN) and request is not None:
        exc = throttle_failed_authentication(request, context.get("view")) or exc
    response = exception_handler(exc, context)
    if response is None:
        return _unexpected(exc, request, instance)
    if isinstance(exc, exceptions.ValidationError):
        body = problem(
            status.HTTP_400_BAD_REQUEST,
            "Een of meer velden zijn ongeldig.",
            instance,
            invalidParams=_flatten(exc.detail),
        )
    elif isinstance(exc, exceptions.Throttled):
        body = problem(status.HTTP_429_TOO_MANY_REQUESTS, throttled_detail(exc.wait), instance)
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        body = problem(response.status_code, str(detail), instance)
    if isinstance(getattr(request, "accepted_renderer", None), TemplateHTMLRenderer):
        # An HTML-only view (the API docs pages) would render the problem as an HTML page.
        return JsonResponse(
            body,
            status=response.status_code,
            content_type=PROBLEM_CONTENT_TYPE,
            headers={k: v for k, v in response.headers.items() if k.lower() != "content-type"},
        )
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _unexpected(exc, request, instance):
    """Anything DRF does not know is a bug: answered as a problem+json 500 instead of Django's
    HTML page, with no internals in the answer, and reported as Django reports an uncaught
    exception (the got_request_exception signal; `django.request` with the traceback and the
    request, so error mails and monitoring see it and its sensitive-data filters apply)."""
    django_request = getattr(request, "_request", request)
    signals.got_request_exception.send(sender=None, request=django_request)
    response = Response(
        problem(status.HTTP_500_INTERNAL_SERVER_ERROR, UNEXPECTED, instance),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    log_response("Internal Server Error: %s", getattr(django_request, "path", instance),
                 response=response, request=django_request, exception=exc)  # fmt: skip
    return response


@csrf_exempt  # a POST to a wrong address is a 404, not a CSRF failure page
def api_not_found(request, exception=None, **kwargs):
    """Django-level 404 under /api/ (e.g. a trailing slash) answers in problem+json too."""
    return JsonResponse(
        problem(
            404,
            "Deze resource bestaat niet. Let op: API-adressen eindigen niet op '/'.",
            request.get_full_path(),
        ),
        status=404,
        content_type=PROBLEM_CONTENT_TYPE,
    )

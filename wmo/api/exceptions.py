"""Errors as `application/problem+json` (RFC 9457), with invalid fields listed by name."""

import math

from django.db.models import ProtectedError
from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.renderers import TemplateHTMLRenderer
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Ongeldige invoer.",
    401: "Niet ingelogd.",
    403: "Geen toegang.",
    404: "Niet gevonden.",
    405: "Methode niet toegestaan.",
    406: "Formaat niet beschikbaar.",
    409: "Conflict.",
    415: "Mediatype niet ondersteund.",
    429: "Te veel verzoeken.",
    500: "Interne fout.",
    503: "Dienst niet beschikbaar.",
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
                "reason": str(detail),
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


def problem_exception_handler(exc, context):
    if isinstance(exc, ProtectedError):
        exc = exceptions.APIException(
            "Dit gegeven kan niet worden verwijderd: andere gegevens verwijzen ernaar."
        )
        exc.status_code = status.HTTP_409_CONFLICT
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    instance = request.get_full_path() if request else ""
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

"""Error answers: pages in the house style (Dutch, English when the UI is English), and under
/api/ the same errors as application/problem+json. Set as handler400/403/404/500 in wmo/urls.py
and as CSRF_FAILURE_VIEW.

The 400 and 500 pages render without context processors: a bad request may not survive them
(a disallowed host), and a server error may be the database being down, which the navigation
and the signed-in user would need."""

import logging

from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from wmo.api.authentication import CSRF_DETAIL
from wmo.api.exceptions import PROBLEM_CONTENT_TYPE, api_not_found, problem

API_PREFIX = "/api/"
logger = logging.getLogger(__name__)

API_DETAILS = {
    400: "Het verzoek is ongeldig en is niet verwerkt.",
    403: "U heeft geen toegang tot deze bewerking.",
    500: "Er ging aan onze kant iets mis. Probeer het later opnieuw.",
}
# The last resort when even the template fails (say, a broken template loader).
BARE_500 = (
    '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Er ging iets mis</title>'
    "</head><body><h1>Er ging iets mis</h1><p>Er ging aan onze kant iets mis. Probeer het later "
    "opnieuw.</p></body></html>"
)


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _problem(request, status: int, detail: str) -> JsonResponse:
    return JsonResponse(
        problem(status, detail, request.get_full_path()),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def _bare_page(template_name: str, status: int) -> HttpResponse:
    """Rendered from the template alone: no request, no context processors, no database."""
    try:
        content = loader.get_template(template_name).render({})
    except Exception:  # the error page itself must never raise: fall back to plain HTML
        logger.exception("Foutpagina %s kon niet worden getoond", template_name)
        return HttpResponseServerError(BARE_500) if status == 500 else HttpResponse(status=status)
    return HttpResponse(content, status=status)


def bad_request(request, exception=None):
    if _is_api(request):
        return _problem(request, 400, API_DETAILS[400])
    return _bare_page("errors/400.html", 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    if _is_api(request):
        return _problem(request, 403, API_DETAILS[403])
    return render(request, "errors/403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    if _is_api(request):
        return api_not_found(request)
    return render(request, "errors/404.html", status=404)


def server_error(request):
    if _is_api(request):
        return _problem(request, 500, API_DETAILS[500])
    return _bare_page("errors/500.html", 500)


def csrf_failure(request, reason=""):
    if _is_api(request):
        return _problem(request, 403, CSRF_DETAIL)
    return render(request, "errors/403_csrf.html", status=403)

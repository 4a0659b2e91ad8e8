"""How long a signed-in session lasts: an idle timeout and an absolute limit (a working day).

Two stamps in the session, in epoch seconds: when the user signed in and when they were last
seen. The last-seen stamp is rewritten at most once per WMO_SESSION_ACTIVITY_RESOLUTION
seconds, so an active user costs one session write a minute, not one per request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext, ngettext

LOGIN_AT = "wmo_login_at"
SEEN_AT = "wmo_seen_at"
API_PREFIX = "/api/"


def stamp_login(sender, request, user, **kwargs):
    """user_logged_in receiver (AccountsConfig.ready): the session starts now."""
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session[LOGIN_AT] = now
        session[SEEN_AT] = now


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(count)d uur", "%(count)d uur", hours) % {"count": hours}
    minutes = max(1, round(seconds / 60))
    return ngettext("%(count)d minuut", "%(count)d minuten", minutes) % {"count": minutes}


def idle_message() -> str:
    return gettext("Uw sessie is verlopen: u was %(duration)s niet actief. Log opnieuw in.") % {
        "duration": _duration(settings.WMO_SESSION_IDLE_SECONDS)
    }


def max_age_message() -> str:
    return gettext(
        "Uw sessie is verlopen: u was langer dan %(duration)s ingelogd. Log opnieuw in."
    ) % {"duration": _duration(settings.WMO_SESSION_MAX_SECONDS)}


def expiry_reason(session, now: int) -> str | None:
    """The message for an expired session, or None (and the stamps brought up to date)."""
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        # A session from before these rules: its lifetime starts now.
        session[LOGIN_AT] = login_at if isinstance(login_at, int) else now
        session[SEEN_AT] = now
        return None
    if now - login_at >= settings.WMO_SESSION_MAX_SECONDS:
        return max_age_message()
    if now - seen_at >= settings.WMO_SESSION_IDLE_SECONDS:
        return idle_message()
    if now - seen_at >= settings.WMO_SESSION_ACTIVITY_RESOLUTION:
        session[SEEN_AT] = now
    return None


# How long before the end a page warns (WCAG 2.2.1: the user can extend with one action).
WARN_BEFORE_SECONDS = 120


def time_left(session, now: int) -> tuple[int, bool]:
    """(seconds until the session ends, whether activity extends it: the idle timeout comes
    before the absolute limit of a working day, which nothing extends)."""
    login_at, seen_at = session.get(LOGIN_AT, now), session.get(SEEN_AT, now)
    idle_left = settings.WMO_SESSION_IDLE_SECONDS - (now - seen_at)
    max_left = settings.WMO_SESSION_MAX_SECONDS - (now - login_at)
    return max(0, min(idle_left, max_left)), idle_left <= max_left


class SessionTimeoutMiddleware:
    """Ends an expired session before the view runs. Pages go to the login page with the reason
    as a message (htmx requests by HX-Redirect, so the whole page changes); the API simply
    answers as it does to anyone not signed in (401/403 problem+json)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:  # a signed-in session; nothing to read for anonymous ones
            reason = expiry_reason(session, int(time.time()))
            if reason is not None:
                response = self.expire(request, reason)
                if response is not None:
                    return response
        return self.get_response(request)

    def expire(self, request, reason):
        logout(request)
        if request.path_info.startswith(API_PREFIX):
            return None
        messages.warning(request, reason)
        login_url = resolve_url(settings.LOGIN_URL)
        if request.path_info == login_url:
            return None  # the login page itself shows the message
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login_url
            return response
        if request.method not in ("GET", "HEAD"):
            return HttpResponseRedirect(login_url)  # a form sent after expiry is not replayed
        return redirect_to_login(request.get_full_path(), login_url)

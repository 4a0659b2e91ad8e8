"""Session lifetime: an idle timeout (30 minutes) and an absolute limit (a working day, 9
hours) even with activity; an expired session lands on the login page with the reason."""

import time

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wmo.accounts.sessions import LOGIN_AT, SEEN_AT

PAGE = "/wijken/"
IDLE_NL = "Uw sessie is verlopen: u was 30 minuten niet actief. Log opnieuw in."
MAX_NL = "Uw sessie is verlopen: u was langer dan 9 uur ingelogd. Log opnieuw in."
IDLE_EN = "Your session has expired: you were inactive for 30 minutes. Please log in again."


def stamps(client, login_ago: int, seen_ago: int):
    now = int(time.time())
    session = client.session
    session[LOGIN_AT], session[SEEN_AT] = now - login_ago, now - seen_ago
    session.save()


def session_writes(captured) -> int:
    return sum(
        1
        for query in captured.captured_queries
        if query["sql"].startswith(("UPDATE", "INSERT")) and '"django_session"' in query["sql"]
    )


@pytest.fixture
def worker(client_for):
    return client_for("buurtteam_worker")


def test_defaults():
    assert settings.WMO_SESSION_IDLE_SECONDS == 30 * 60
    assert settings.WMO_SESSION_MAX_SECONDS == 9 * 3600
    assert settings.SESSION_COOKIE_AGE == 9 * 3600  # not Django's 14 days


def test_signing_in_stamps_the_session(worker):
    session = worker.session
    assert abs(session[LOGIN_AT] - time.time()) < 60
    assert session[SEEN_AT] == session[LOGIN_AT]


def test_idle_session_ends_on_the_login_page_with_the_reason(worker):
    stamps(worker, login_ago=3600, seen_ago=31 * 60)
    response = worker.get(PAGE + "?x=1")
    assert response.status_code == 302
    assert response["Location"] == "/account/inloggen/?next=/wijken/%3Fx%3D1"
    login = worker.get(response["Location"])
    assert login.status_code == 200
    assert IDLE_NL in login.content.decode()
    assert "_auth_user_id" not in worker.session
    assert worker.get(PAGE).status_code == 302  # signed out for good


def test_idle_message_in_english(worker):
    stamps(worker, login_ago=3600, seen_ago=31 * 60)
    worker.cookies["django_language"] = "en"
    html = worker.get(PAGE, follow=True).content.decode()
    assert IDLE_EN in html


def test_activity_within_the_idle_time_keeps_the_session(worker):
    stamps(worker, login_ago=3600, seen_ago=29 * 60)
    assert worker.get(PAGE).status_code == 200
    assert abs(worker.session[SEEN_AT] - time.time()) < 5  # the stamp moved on


def test_recent_activity_is_not_written_again(worker):
    stamps(worker, login_ago=600, seen_ago=30)
    before = worker.session[SEEN_AT]
    worker.get(PAGE)
    assert worker.session[SEEN_AT] == before  # within a minute: no session write
    # Within the minute no session write at all; after it one UPDATE of the session row.
    with CaptureQueriesContext(connection) as quiet:
        worker.get(PAGE)
    stamps(worker, login_ago=600, seen_ago=61)
    with CaptureQueriesContext(connection) as stale:
        worker.get(PAGE)
    assert session_writes(quiet) == 0
    assert session_writes(stale) == 1


def test_working_day_ends_the_session_however_active(worker):
    stamps(worker, login_ago=9 * 3600, seen_ago=10)
    response = worker.get(PAGE, follow=True)
    assert response.redirect_chain[0][0].startswith("/account/inloggen/")
    assert MAX_NL in response.content.decode()


def test_a_form_sent_after_expiry_goes_to_the_login_page_without_replay(worker):
    stamps(worker, login_ago=3600, seen_ago=31 * 60)
    response = worker.post("/verwijzingen/registreren/", {"bsn": "111222333"})
    assert response.status_code == 302 and response["Location"] == "/account/inloggen/"


def test_htmx_request_redirects_the_whole_page(worker):
    stamps(worker, login_ago=3600, seen_ago=31 * 60)
    response = worker.get(PAGE, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/account/inloggen/"


def test_api_answers_as_to_anyone_signed_out(worker):
    stamps(worker, login_ago=3600, seen_ago=31 * 60)
    response = worker.get("/api/v1/wijken")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")


def test_session_from_before_the_rules_starts_its_lifetime_now(worker):
    session = worker.session
    del session[LOGIN_AT], session[SEEN_AT]
    session.save()
    assert worker.get(PAGE).status_code == 200
    assert abs(worker.session[LOGIN_AT] - time.time()) < 5


def _warning(html: str) -> str:
    start = html.index('<dialog id="sessie-waarschuwing"')
    return html[start : html.index("</dialog>", start)]


def _seconds_left(dialog: str) -> int:
    import re

    return int(re.search(r'data-seconds-left="(\d+)"', dialog).group(1))


def test_every_page_warns_before_the_idle_timeout_and_can_extend(worker):
    """WCAG 2.2.1: a time limit is announced before it runs out, and one action extends it
    (static/js/session-timeout.js shows the dialog); a half-filled form was lost without it."""
    stamps(worker, login_ago=3600, seen_ago=5 * 60)
    dialog = _warning(worker.get(PAGE).content.decode())
    # The page was activity: the idle time starts again (30 minutes), the warning 2 before.
    assert 1795 <= _seconds_left(dialog) <= 1800 and 'data-warn-before="120"' in dialog
    assert "Sessie verlengen" in dialog and 'action="/account/sessie-verlengen/"' in dialog
    assert "?next=/wijken/" in dialog
    stamps(worker, login_ago=3600, seen_ago=29 * 60)
    assert worker.post("/account/sessie-verlengen/").status_code == 204
    assert abs(worker.session[SEEN_AT] - time.time()) < 5


def test_near_the_end_of_the_working_day_the_warning_cannot_extend(worker):
    stamps(worker, login_ago=9 * 3600 - 600, seen_ago=10)
    dialog = _warning(worker.get(PAGE).content.decode())
    assert 595 <= _seconds_left(dialog) <= 600
    assert "Sessie verlengen" not in dialog and "een werkdag ingelogd" in dialog


def test_signed_out_pages_have_no_warning(client):
    assert "sessie-waarschuwing" not in client.get("/account/inloggen/").content.decode()

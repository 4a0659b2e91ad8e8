"""Login throttling (django-axes): after DJANGO_LOGIN_FAILURE_LIMIT failures for one username
from one address that pair is locked out for the cool-off, with a clear message on the login
page; a successful login clears the count."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client, RequestFactory, override_settings

from tests.factories import make_user
from wmo.accounts.lockout import client_ip

LOGIN = "/account/inloggen/"
PASSWORD = "Geheim-wachtwoord-1"
LOCKED_NL = "Te veel mislukte inlogpogingen. U kunt over 15 minuten opnieuw inloggen."
LOCKED_EN = "Too many failed login attempts. You can log in again in 15 minutes."


@pytest.fixture
def member(db):
    return make_user("council_member", username="raadslid-a")


def attempt(client, username, password="fout-wachtwoord", ip="10.1.1.1", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def fail(client, username, times, ip="10.1.1.1"):
    return [attempt(client, username, ip=ip).status_code for _ in range(times)]


def test_fifth_failure_locks_out_with_a_dutch_message(client, member):
    assert fail(client, "raadslid-a", 4) == [200] * 4
    page = attempt(client, "raadslid-a")
    assert page.status_code == 429
    html = page.content.decode()
    assert 'id="login-geblokkeerd"' in html and LOCKED_NL in html
    assert '<html lang="nl"' in html
    # still the login page: the form is there, with the username kept
    assert 'name="password"' in html and 'value="raadslid-a"' in html


def test_locked_out_even_with_the_right_password(client, member):
    fail(client, "raadslid-a", 5)
    response = attempt(client, "raadslid-a", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # not signed in


def test_message_in_english_when_the_ui_is_english(client, member):
    fail(client, "raadslid-a", 4)
    html = attempt(client, "raadslid-a", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert LOCKED_EN in html and '<html lang="en"' in html


def test_lockout_is_per_username_and_address(client, member):
    make_user("council_member", username="raadslid-b")
    fail(client, "raadslid-a", 5)
    # the same user from another address, and another user from the same address, sign in
    assert attempt(Client(), "raadslid-a", PASSWORD, ip="10.2.2.2").status_code == 302
    assert attempt(Client(), "raadslid-b", PASSWORD).status_code == 302
    assert attempt(Client(), "raadslid-a", PASSWORD).status_code == 429


def test_lockout_ends_after_the_cool_off(client, member):
    fail(client, "raadslid-a", 5)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert attempt(client, "raadslid-a", PASSWORD).status_code == 429  # that try starts it anew
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    response = attempt(client, "raadslid-a", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"


def test_successful_login_resets_the_count(client, member):
    fail(client, "raadslid-a", 4)
    assert attempt(client, "raadslid-a", PASSWORD).status_code == 302
    client.post("/account/uitloggen/")
    assert fail(client, "raadslid-a", 4) == [200] * 4  # four more are allowed again
    assert AccessAttempt.objects.get().failures_since_start == 4


@override_settings(AXES_FAILURE_LIMIT=2, AXES_COOLOFF_TIME=timedelta(minutes=1))
def test_limit_and_cool_off_come_from_the_settings(client, member):
    assert fail(client, "raadslid-a", 2) == [200, 429]
    html = attempt(client, "raadslid-a").content.decode()
    assert "U kunt over 1 minuut opnieuw inloggen." in html


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.9"),  # no proxy: a client-sent header is ignored
        (1, "1.1.1.1, 192.0.2.7", "192.0.2.7"),  # one proxy: the address it added
        (2, "1.1.1.1, 192.0.2.7, 10.0.0.3", "192.0.2.7"),
        (1, "", "10.0.0.9"),
    ],
)
def test_client_address_behind_proxies(settings, proxies, forwarded, expected):
    settings.NUM_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected

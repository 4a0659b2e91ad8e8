"""API throttles: per signed-in account and per anonymous address, at the rates of
API_THROTTLE_RATES; beyond them 429 as problem+json with a Dutch detail and Retry-After.
The test settings switch both off (the rest of the suite sends thousands of API requests);
these tests switch low rates on."""

import re

import pytest
from django.test import Client, override_settings

LOW = override_settings(API_THROTTLE_RATES={"anon": "3/min", "user": "4/min"})
PUBLIC = "/api/v1/docs"  # anonymous callers only pass the permission check on public endpoints
DETAIL = re.compile(r"^Te veel verzoeken\. Probeer het over (\d+) seconden? opnieuw\.$")


def assert_throttled(response):
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 429 and body["title"] == "Te veel verzoeken."
    seconds = int(DETAIL.match(body["detail"]).group(1))
    assert 1 <= seconds <= 60
    assert response["Retry-After"] == str(seconds)
    assert response["API-Version"]


@LOW
@pytest.mark.django_db
def test_signed_in_user_is_throttled_per_account(client_for):
    worker = client_for("buurtteam_worker")
    assert [worker.get("/api/v1/wijken").status_code for _ in range(4)] == [200] * 4
    assert_throttled(worker.get("/api/v1/wijken"))
    assert_throttled(worker.get("/api/v1/voorzieningen"))  # the count is per account, not URL
    assert client_for("council_member").get("/api/v1/wijken").status_code == 200


@LOW
@pytest.mark.django_db
def test_anonymous_callers_are_throttled_per_address():
    first = Client(REMOTE_ADDR="192.0.2.1")
    assert [first.get(PUBLIC).status_code for _ in range(3)] == [200] * 3
    assert_throttled(first.get(PUBLIC))
    assert Client(REMOTE_ADDR="192.0.2.2").get(PUBLIC).status_code == 200


@LOW
@pytest.mark.django_db
def test_forwarded_for_is_not_trusted_without_proxies():
    statuses = [
        Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}").get(PUBLIC).status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
def test_test_settings_leave_the_api_unthrottled(settings, client_for):
    assert settings.API_THROTTLE_RATES == {"anon": None, "user": None}
    worker = client_for("buurtteam_worker")
    assert {worker.get("/api/v1/voorzieningen").status_code for _ in range(30)} == {200}


PROTECTED = "/api/v1/verwijzingen"


@LOW
@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [{"HTTP_AUTHORIZATION": "Token " + "b" * 40},  # a token that does not exist
     {"HTTP_AUTHORIZATION": "Token nee"},  # one that cannot be a token
     {}],  # none at all
    ids=["unknown-token", "malformed-token", "no-credentials"],
)  # fmt: skip
def test_failed_authentication_is_throttled_per_address(client_for, headers):
    # DRF checks authentication (and permissions) before throttles: every attempt was a 401,
    # so tokens could be guessed without limit. Failed attempts now count at the anonymous rate.
    caller = Client(REMOTE_ADDR="192.0.2.7", **headers)
    assert [caller.get(PROTECTED).status_code for _ in range(3)] == [401] * 3
    assert_throttled(caller.get(PROTECTED))
    assert_throttled(caller.get(PUBLIC))  # the address's one anonymous count
    assert Client(REMOTE_ADDR="192.0.2.8", **headers).get(PROTECTED).status_code == 401
    # A signed-in account at the same address keeps its own count.
    manager = client_for("contract_manager")
    assert manager.get(PROTECTED, REMOTE_ADDR="192.0.2.7").status_code == 200

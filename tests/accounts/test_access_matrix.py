"""Every URL of the foundation × every role → the expected status code."""

import pytest

from tests.access import ROLES, Access, call, expand

PAGE = {"anonymous": 302, "buurtteam_worker": 200, "contract_manager": 200, "council_member": 200}
PUBLIC = {"anonymous": 200, "buurtteam_worker": 200, "contract_manager": 200, "council_member": 200}
API_READ = {
    "anonymous": 401,
    "buurtteam_worker": 200,
    "contract_manager": 200,
    "council_member": 200,
}
STAFF_WRITE = {
    "anonymous": 401,
    "buurtteam_worker": 403,
    "contract_manager": None,
    "council_member": 403,
}
READ_ONLY = {
    "anonymous": 401,
    "buurtteam_worker": 403,
    "contract_manager": 405,
    "council_member": 403,
}
# The admin is for functional administrators (staff); the roles work in the app itself.
# A signed-in user opening the login page goes straight on to the home page.
SIGNED_IN_REDIRECT = {
    "anonymous": 200,
    "buurtteam_worker": 302,
    "contract_manager": 302,
    "council_member": 302,
}
ADMIN = {"anonymous": 302, "buurtteam_worker": 302, "contract_manager": 302, "council_member": 302}

MATRIX = [
    Access("GET", "/", PAGE),
    Access("GET", "/wijken/", PAGE),
    Access("GET", "/wijken/WK034403/", PAGE),
    Access("GET", "/account/inloggen/", SIGNED_IN_REDIRECT),
    Access("GET", "/healthz", PUBLIC),
    Access("GET", "/beheer/", ADMIN),
    Access("GET", "/api/v1/openapi.json", PUBLIC),
    Access("GET", "/api/v1/docs", PUBLIC),
    Access("GET", "/api/v1/wijken", API_READ),
    Access("GET", "/api/v1/wijken/WK034403", API_READ),
    Access("GET", "/api/v1/buurtteams", API_READ),
    Access("GET", "/api/v1/buurtteams/BT05", API_READ),
    Access("GET", "/api/v1/gemeenten", API_READ),
    Access("GET", "/api/v1/gemeenten/GM0310", API_READ),
    Access("PATCH", "/api/v1/gemeenten/GM0310", READ_ONLY, {"naam": "Bilt"}),
    Access("GET", "/api/v1/voorzieningen", API_READ),
    Access("GET", "/api/v1/voorzieningen/beschermd_thuis", API_READ),
    Access("PATCH", "/api/v1/wijken/WK034403", {**STAFF_WRITE, "contract_manager": 200}, {"naam": "Overvecht"}),
    Access("PUT", "/api/v1/buurtteams/BT05", {**STAFF_WRITE, "contract_manager": 200},
           {"code": "BT05", "naam": "Buurtteam Overvecht Noord", "wijkCode": "WK034403"}),
    Access("POST", "/api/v1/buurtteams", {**STAFF_WRITE, "contract_manager": 201},
           {"code": "BT19", "naam": "Buurtteam Proef", "wijkCode": "WK034409"}),
    Access("DELETE", "/api/v1/wijken/WK034406", {**STAFF_WRITE, "contract_manager": 409}),
    Access("POST", "/api/v1/voorzieningen", READ_ONLY, {"code": "x"}),
    # Anything else under /api/ (here a trailing slash) is a problem+json 404 for everyone.
    Access("GET", "/api/v1/wijken/", dict.fromkeys(ROLES, 404)),
    # Everyone may sign out and choose a language; both answer with a redirect.
    Access("POST", "/account/uitloggen/", dict.fromkeys(ROLES, 302)),
    # The session warning's "Sessie verlengen": any signed-in user, nothing to extend otherwise.
    Access("POST", "/account/sessie-verlengen/", {**dict.fromkeys(ROLES, 204), "anonymous": 302}),
    Access("GET", "/account/sessie-verlengen/", {**dict.fromkeys(ROLES, 405), "anonymous": 302}),
    Access("POST", "/taal/", dict.fromkeys(ROLES, 302)),
    Access("GET", "/taal/js/", PUBLIC),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role", "expected"), expand(MATRIX), ids=str)
def test_status_per_role(client_for, row, role, expected):
    client = client_for(role)
    response = call(client, row)
    assert response.status_code == expected, response.content[:300]
    if role == "anonymous" and expected == 302 and not row.url.startswith(("/beheer/", "/taal/")):
        assert response["Location"].startswith("/account/inloggen/")


@pytest.mark.django_db
def test_council_member_gets_403_on_every_write(council_client):
    writes = [
        row for row in MATRIX if row.method != "GET" and row.expected["council_member"] == 403
    ]
    assert writes, "the matrix must contain writes"
    for row in writes:
        assert call(council_client, row).status_code == 403, row


@pytest.mark.django_db
def test_user_without_role_is_refused(client_for):
    from django.test import Client

    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory())
    assert client.get("/wijken/").status_code == 403
    assert client.get("/api/v1/wijken").status_code == 403


def test_navigation_offers_the_api_to_the_roles_that_use_it(client_for, db):
    # Before: every role's menu had it; council members have no API task (roles.py).
    for role in ("contract_manager", "buurtteam_worker"):
        assert 'href="/api/v1/docs"' in client_for(role).get("/").content.decode()
    assert 'href="/api/v1/docs"' not in client_for("council_member").get("/").content.decode()
    assert client_for("council_member").get("/api/v1/docs").status_code == 200  # still public

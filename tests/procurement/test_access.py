"""Every procurement page and endpoint × every role → the expected status code.

Everyone with a role reads; only contract managers write. Edit pages count as writes, so
council members and buurtteam workers get 403 there on GET too."""

import datetime

import pytest

from procurement.feeds import feed_token, issue_feed
from procurement.models import (
    CalendarFeed,
    Candidate,
    DialogueSession,
    Milestone,
    Motion,
    Tender,
)
from tests.access import ROLES, Access, call
from tests.factories import make_user

PAGE = {"anonymous": 302, "buurtteam_worker": 200, "contract_manager": 200, "council_member": 200}
EDIT_PAGE = {
    "anonymous": 302,
    "buurtteam_worker": 403,
    "contract_manager": 200,
    "council_member": 403,
}
EDIT_POST = {
    "anonymous": 302,
    "buurtteam_worker": 403,
    "contract_manager": None,
    "council_member": 403,
}
API_READ = {
    "anonymous": 401,
    "buurtteam_worker": 200,
    "contract_manager": 200,
    "council_member": 200,
}
API_PATCH = {
    "anonymous": 401,
    "buurtteam_worker": 403,
    "contract_manager": 200,
    "council_member": 403,
}
API_CREATE = {
    "anonymous": 401,
    "buurtteam_worker": 403,
    "contract_manager": 201,
    "council_member": 403,
}
# Objects that do not exist: the permission check comes first, so only a contract manager
# learns that there is nothing (404); nobody else is told whether it exists.
EDIT_MISSING = {
    "anonymous": 302,
    "buurtteam_worker": 403,
    "contract_manager": 404,
    "council_member": 403,
}
API_NOT_ALLOWED = {
    "anonymous": 401,
    "buurtteam_worker": 403,
    "contract_manager": 405,
    "council_member": 403,
}
# The subscription link is its own credential: the same answer with or without a session.
FEED = dict.fromkeys(ROLES, 200)
FEED_UNKNOWN = dict.fromkeys(ROLES, 404)
# Every role manages its own link (POST only); the redirect goes back to the timeline.
OWN_FEED_POST = dict.fromkeys(ROLES, 302)
OWN_FEED_GET = {"anonymous": 302, "buurtteam_worker": 405, "contract_manager": 405,
                "council_member": 405}  # fmt: skip


@pytest.fixture
def ids(db):
    tender = Tender.objects.get(reference="30209886")
    candidate = Candidate.objects.create(tender=tender, name="Consortium Wijkkracht")
    session = DialogueSession.objects.create(
        tender=tender, date=datetime.date(2025, 12, 9), theme="Wijkgericht werken"
    )
    feed = issue_feed(make_user("council_member", username="agenda-eigenaar"))
    return {
        "milestone": Milestone.objects.get(tender=tender, code="selection").pk,
        "motion": Motion.objects.get(tender=tender).pk,
        "candidate": candidate.pk,
        "feed": feed_token(feed),
        "unknown_feed": feed_token(feed)[:-2] + "xx",
        "option": tender.options.get(kind="bt_pilots").pk,
        "session": session.pk,
    }


NEW_MOTION = {
    "aanbesteding": "30209886",
    "datum": "2026-02-12",
    "titel": "Nieuwe motie",
    "partij": "GroenLinks",
    "verzoeken": [{"nummer": 1, "verzoek": "Eén."}],
}
CRITERIA_POST = {
    "criteria-TOTAL_FORMS": "1", "criteria-INITIAL_FORMS": "0",
    "criteria-0-number": "1", "criteria-0-title": "Kwaliteit", "criteria-0-weight": "100",
}  # fmt: skip
MATRIX = [
    Access("GET", "/aanbesteding/", PAGE),
    Access("GET", "/aanbesteding/30209886/", PAGE),
    Access("GET", "/aanbesteding/moties/", PAGE),
    Access("GET", "/aanbesteding/moties/{motion}/", PAGE),
    Access("GET", "/aanbesteding/planning.ics", PAGE),
    Access("GET", "/aanbesteding/agenda/{feed}.ics", FEED),
    Access("GET", "/aanbesteding/agenda/{unknown_feed}.ics", FEED_UNKNOWN),
    Access("GET", "/aanbesteding/agenda/nieuwe-link/", OWN_FEED_GET),
    Access("GET", "/aanbesteding/agenda/intrekken/", OWN_FEED_GET),
    Access("POST", "/aanbesteding/agenda/nieuwe-link/", OWN_FEED_POST),
    Access("POST", "/aanbesteding/agenda/intrekken/", OWN_FEED_POST),
    Access("GET", "/aanbesteding/mijlpalen/{milestone}/wijzigen/", EDIT_PAGE),
    Access("GET", "/aanbesteding/30209886/gunning/", EDIT_PAGE),
    Access("GET", "/aanbesteding/30209886/kandidaten/nieuw/", EDIT_PAGE),
    Access("GET", "/aanbesteding/kandidaten/{candidate}/wijzigen/", EDIT_PAGE),
    Access("GET", "/aanbesteding/kandidaten/{candidate}/beoordeling/", EDIT_PAGE),
    Access("GET", "/aanbesteding/30209886/dialoogsessies/nieuw/", EDIT_PAGE),
    Access("GET", "/aanbesteding/moties/{motion}/wijzigen/", EDIT_PAGE),
    Access("GET", "/aanbesteding/opties/{option}/wijzigen/", EDIT_PAGE),
    Access("GET", "/aanbesteding/30209886/moties/nieuw/", EDIT_PAGE),
    Access("GET", "/aanbesteding/30209886/gunningscriteria/", EDIT_PAGE),
    Access("GET", "/aanbesteding/30209886/documenten/", EDIT_PAGE),
    Access("GET", "/aanbesteding/dialoogsessies/{session}/wijzigen/", EDIT_PAGE),
    Access("POST", "/aanbesteding/mijlpalen/{milestone}/wijzigen/", {**EDIT_POST, "contract_manager": 302},
           {"version": "1"}),
    Access("POST", "/aanbesteding/30209886/gunning/", {**EDIT_POST, "contract_manager": 200}),
    Access("POST", "/aanbesteding/30209886/kandidaten/nieuw/", {**EDIT_POST, "contract_manager": 200}),
    Access("POST", "/aanbesteding/kandidaten/{candidate}/wijzigen/", {**EDIT_POST, "contract_manager": 200}),
    Access("POST", "/aanbesteding/kandidaten/{candidate}/beoordeling/", {**EDIT_POST, "contract_manager": 302}),
    Access("POST", "/aanbesteding/30209886/dialoogsessies/nieuw/", {**EDIT_POST, "contract_manager": 200}),
    Access("POST", "/aanbesteding/moties/{motion}/wijzigen/", {**EDIT_POST, "contract_manager": 200}),
    Access("POST", "/aanbesteding/opties/{option}/wijzigen/", {**EDIT_POST, "contract_manager": 302},
           {"status": "open"}),
    Access("POST", "/aanbesteding/30209886/moties/nieuw/", {**EDIT_POST, "contract_manager": 200}),
    Access("POST", "/aanbesteding/30209886/gunningscriteria/",
           {**EDIT_POST, "contract_manager": 302}, CRITERIA_POST),
    Access("POST", "/aanbesteding/30209886/documenten/", {**EDIT_POST, "contract_manager": 200}),
    Access("POST", "/aanbesteding/dialoogsessies/{session}/wijzigen/",
           {**EDIT_POST, "contract_manager": 200}),
    Access("GET", "/aanbesteding/99999/kandidaten/nieuw/", EDIT_MISSING),
    Access("GET", "/aanbesteding/99999/dialoogsessies/nieuw/", EDIT_MISSING),
    Access("GET", "/aanbesteding/99999/moties/nieuw/", EDIT_MISSING),
    Access("GET", "/aanbesteding/99999/gunningscriteria/", EDIT_MISSING),
    Access("GET", "/aanbesteding/99999/documenten/", EDIT_MISSING),
    Access("GET", "/aanbesteding/99999/gunning/", EDIT_MISSING),
    Access("GET", "/aanbesteding/kandidaten/999999/beoordeling/", EDIT_MISSING),
    Access("POST", "/aanbesteding/kandidaten/999999/beoordeling/", EDIT_MISSING),
    Access("GET", "/aanbesteding/moties/999999/wijzigen/", EDIT_MISSING),
    Access("GET", "/aanbesteding/dialoogsessies/999999/wijzigen/", EDIT_MISSING),
    Access("GET", "/api/v1/aanbestedingen", API_READ),
    Access("GET", "/api/v1/aanbestedingen/30209886", API_READ),
    Access("GET", "/api/v1/mijlpalen", API_READ),
    Access("GET", "/api/v1/mijlpalen/{milestone}", API_READ),
    Access("GET", "/api/v1/moties", API_READ),
    Access("GET", "/api/v1/moties/{motion}", API_READ),
    Access("PATCH", "/api/v1/aanbestedingen/30209886", API_PATCH,
           {"opschortendeTermijnDagen": 21}),
    Access("PATCH", "/api/v1/mijlpalen/{milestone}", API_PATCH, {"werkelijkeDatum": "2025-11-18",
                                                                   "versie": 1}),
    Access("PATCH", "/api/v1/moties/{motion}", API_PATCH, {"status": "adopted", "versie": 1}),
    Access("POST", "/api/v1/moties", API_CREATE, NEW_MOTION),
    Access("DELETE", "/api/v1/moties/{motion}", API_NOT_ALLOWED),
    Access("DELETE", "/api/v1/mijlpalen/{milestone}", API_NOT_ALLOWED),
    Access("DELETE", "/api/v1/aanbestedingen/30209886", API_NOT_ALLOWED),
]  # fmt: skip


def matrix(ids):
    return [row.format(**ids) for row in MATRIX]


ROWS = 58


@pytest.mark.parametrize("index", range(ROWS))
@pytest.mark.parametrize(
    "role", ["anonymous", "buurtteam_worker", "contract_manager", "council_member"]
)
def test_status_per_role(client_for, ids, index, role):
    rows = matrix(ids)
    assert len(rows) == ROWS
    row = rows[index]
    expected = row.expected[role]
    client = client_for(role)
    if row.method == "POST" and not row.url.startswith("/api/"):
        response = client.post(row.url, data=row.data)  # an HTML form post
    else:
        response = call(client, row)
    assert response.status_code == expected, f"{row} as {role}: {response.content[:300]!r}"
    if role == "anonymous" and expected == 302:
        assert response["Location"].startswith("/account/inloggen/")
    elif "/agenda/" in row.url and expected == 302:
        assert response["Location"] == "/aanbesteding/#agenda"


def test_own_link_posts_touch_only_the_posters_link(client_for, ids):
    """The matrix's feed POSTs ran as other users: the fixture user's link still works."""
    for role in ("buurtteam_worker", "contract_manager", "council_member"):
        client = client_for(role)
        client.post("/aanbesteding/agenda/nieuwe-link/")
        client.post("/aanbesteding/agenda/intrekken/")
    assert client_for("anonymous").get(f"/aanbesteding/agenda/{ids['feed']}.ics").status_code == 200
    assert CalendarFeed.objects.count() == 1


def test_nothing_changed_by_refused_writes(client_for, ids):
    for role in ("council_member", "buurtteam_worker"):
        client = client_for(role)
        for row in matrix(ids):
            if row.method == "GET" or row.expected[role] != 403:
                continue
            response = (
                call(client, row) if row.url.startswith("/api/") else client.post(row.url, row.data)
            )
            assert response.status_code == 403, f"{row} as {role}"
    motion = Motion.objects.get(pk=ids["motion"])
    assert motion.status == "unknown"
    assert Motion.objects.count() == 1
    assert Milestone.objects.get(pk=ids["milestone"]).actual_start is None
    tender = Tender.objects.get(reference="30209886")
    assert tender.status == "preparation"
    assert tender.standstill_days == 20
    assert not tender.criteria.exists()


def test_navigation_shows_aanbesteding_for_every_role(client_for, db):
    for role in ("buurtteam_worker", "contract_manager", "council_member"):
        content = client_for(role).get("/").content.decode()
        assert 'href="/aanbesteding/"' in content and ">Aanbesteding<" in content

"""Every procurement page and endpoint × every role → the expected status code.

Everyone with a role reads; only contract managers write. Edit pages count as writes, so
council members and buurtteam workers get 403 there on GET too."""

import pytest

from procurement.models import Candidate, Milestone, Motion, Tender
from tests.access import Access, call

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
API_NOT_ALLOWED = {
    "anonymous": 401,
    "buurtteam_worker": 403,
    "contract_manager": 405,
    "council_member": 403,
}


@pytest.fixture
def ids(db):
    tender = Tender.objects.get(reference="30209886")
    candidate = Candidate.objects.create(tender=tender, name="Consortium Wijkkracht")
    return {
        "milestone": Milestone.objects.get(tender=tender, code="selection").pk,
        "motion": Motion.objects.get(tender=tender).pk,
        "candidate": candidate.pk,
    }


def matrix(ids):
    m, mo, c = ids["milestone"], ids["motion"], ids["candidate"]
    return [
        Access("GET", "/aanbesteding/", PAGE),
        Access("GET", "/aanbesteding/30209886/", PAGE),
        Access("GET", "/aanbesteding/moties/", PAGE),
        Access("GET", f"/aanbesteding/moties/{mo}/", PAGE),
        Access("GET", "/aanbesteding/planning.ics", PAGE),
        Access("GET", f"/aanbesteding/mijlpalen/{m}/wijzigen/", EDIT_PAGE),
        Access("GET", "/aanbesteding/30209886/gunning/", EDIT_PAGE),
        Access("GET", "/aanbesteding/30209886/kandidaten/nieuw/", EDIT_PAGE),
        Access("GET", f"/aanbesteding/kandidaten/{c}/wijzigen/", EDIT_PAGE),
        Access("GET", f"/aanbesteding/kandidaten/{c}/beoordeling/", EDIT_PAGE),
        Access("GET", "/aanbesteding/30209886/dialoogsessies/nieuw/", EDIT_PAGE),
        Access("GET", f"/aanbesteding/moties/{mo}/wijzigen/", EDIT_PAGE),
        Access("POST", f"/aanbesteding/mijlpalen/{m}/wijzigen/", {**EDIT_POST, "contract_manager": 302}),
        Access("POST", "/aanbesteding/30209886/gunning/", {**EDIT_POST, "contract_manager": 200}),
        Access("POST", "/aanbesteding/30209886/kandidaten/nieuw/", {**EDIT_POST, "contract_manager": 200}),
        Access("POST", f"/aanbesteding/kandidaten/{c}/wijzigen/", {**EDIT_POST, "contract_manager": 200}),
        Access("POST", f"/aanbesteding/kandidaten/{c}/beoordeling/", {**EDIT_POST, "contract_manager": 302}),
        Access("POST", "/aanbesteding/30209886/dialoogsessies/nieuw/", {**EDIT_POST, "contract_manager": 200}),
        Access("POST", f"/aanbesteding/moties/{mo}/wijzigen/", {**EDIT_POST, "contract_manager": 200}),
        Access("GET", "/api/v1/aanbestedingen", API_READ),
        Access("GET", "/api/v1/aanbestedingen/30209886", API_READ),
        Access("GET", "/api/v1/mijlpalen", API_READ),
        Access("GET", f"/api/v1/mijlpalen/{m}", API_READ),
        Access("GET", "/api/v1/moties", API_READ),
        Access("GET", f"/api/v1/moties/{mo}", API_READ),
        Access("PATCH", "/api/v1/aanbestedingen/30209886", API_PATCH, {"status": "dialogue"}),
        Access("PATCH", f"/api/v1/mijlpalen/{m}", API_PATCH, {"werkelijkeDatum": "2025-11-18"}),
        Access("PATCH", f"/api/v1/moties/{mo}", API_PATCH, {"status": "adopted"}),
        Access("POST", "/api/v1/moties", API_NOT_ALLOWED, {"titel": "x"}),
        Access("DELETE", f"/api/v1/mijlpalen/{m}", API_NOT_ALLOWED),
        Access("DELETE", "/api/v1/aanbestedingen/30209886", API_NOT_ALLOWED),
    ]  # fmt: skip


ROWS = 31


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


def test_nothing_changed_by_refused_writes(client_for, ids):
    for role in ("council_member", "buurtteam_worker"):
        client = client_for(role)
        for row in matrix(ids):
            if row.method == "GET":
                continue
            response = (
                call(client, row) if row.url.startswith("/api/") else client.post(row.url, row.data)
            )
            assert response.status_code == 403, f"{row} as {role}"
    motion = Motion.objects.get(pk=ids["motion"])
    assert motion.status == "unknown"
    assert Milestone.objects.get(pk=ids["milestone"]).actual_start is None
    assert Tender.objects.get(reference="30209886").status == "preparation"


def test_navigation_shows_aanbesteding_for_every_role(client_for, db):
    for role in ("buurtteam_worker", "contract_manager", "council_member"):
        content = client_for(role).get("/").content.decode()
        assert 'href="/aanbesteding/"' in content and ">Aanbesteding<" in content

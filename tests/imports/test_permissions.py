"""Every URL of wmo/imports × every role: import jobs are for contract managers only. (The upload
pages themselves are in their apps' matrices.)"""

import pytest

from tests.access import Access, call, expand
from wmo.imports.models import ImportJob

STAFF = {"anonymous": 302, "buurtteam_worker": 403, "contract_manager": 200, "council_member": 403}
JOB = 4242

MATRIX = [
    Access("GET", "/importen/", STAFF),
    Access("GET", f"/importen/{JOB}/", STAFF),
    Access("GET", f"/importen/{JOB}/status/", STAFF),
    Access("GET", f"/importen/{JOB}/problemen.csv", STAFF),
    Access("GET", "/importen/4243/", {**STAFF, "contract_manager": 404}),
    Access("GET", "/importen/4243/status/", {**STAFF, "contract_manager": 404}),
]


@pytest.fixture
def job(db):
    return ImportJob.objects.create(
        pk=JOB, kind="referrals", title="Verwijzingen importeren", importer="x.Importer",
        file_name="verwijzingen.csv", file_size=10, sha256="0" * 64, status="done",
        problem_count=1, problems=[{"line": 2, "column": "bsn", "value": "*****2334",
                                    "message": "Dit is geen geldig BSN."}],
        summary="Import afgebroken: 1 probleem gevonden in 1 rij.",
    )  # fmt: skip


@pytest.mark.parametrize(("row", "role", "expected"), expand(MATRIX), ids=str)
def test_status_per_role(job, client_for, row, role, expected):
    response = call(client_for(role), row)
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith("/account/inloggen/")
    if expected == 200:  # the page itself, not an empty shell
        shown = {"/importen/": b"verwijzingen.csv", f"/importen/{JOB}/status/": b'"finished": true'}
        assert shown.get(row.url, b"*****2334") in response.content


def test_the_menu_shows_imports_to_contract_managers_only(job, client_for):
    assert 'href="/importen/"' in client_for("contract_manager").get("/").content.decode()
    for role in ("buurtteam_worker", "council_member"):
        assert 'href="/importen/"' not in client_for(role).get("/").content.decode()

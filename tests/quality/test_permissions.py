"""Every new page and endpoint × every role: contract managers only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access import ROLES, Access, call, expand

from .conftest import SURVEY_CSV

PAGE = {"anonymous": 302, "buurtteam_worker": 403, "contract_manager": 200, "council_member": 403}
API = {"anonymous": 401, "buurtteam_worker": 403, "contract_manager": 200, "council_member": 403}
ERVARING = {"ervaringId": "S60000", "datum": "2025-06-01", "wijkCode": "WK034403",
            "voorziening": "dagbegeleiding", "aanbiederAgb": "63003158", "antwoordOplossing": 5}  # fmt: skip
KLACHT = {"klachtId": "K60000", "aanbiederAgb": "63003158", "voorziening": "dagbegeleiding",
          "wijkCode": "WK034403", "ontvangstdatum": "2025-06-01"}  # fmt: skip
PAGES = ["/kwaliteit/ervaringen/", "/kwaliteit/ervaringen/uploaden/", "/kwaliteit/klachten/",
         "/kwaliteit/klachten/uploaden/"]  # fmt: skip

MATRIX = [
    *[Access("GET", url, PAGE) for url in PAGES],
    Access("GET", "/api/v1/ervaringen", API),
    Access("GET", "/api/v1/ervaringen/S10000", API),
    Access("POST", "/api/v1/ervaringen", {**API, "contract_manager": 201}, ERVARING),
    Access("PUT", "/api/v1/ervaringen/S10000", API, {**ERVARING, "ervaringId": "S10000"}),
    Access("PATCH", "/api/v1/ervaringen/S10000", API, {"antwoordOplossing": 2}),
    Access("DELETE", "/api/v1/ervaringen/S10000", {**API, "contract_manager": 204}),
    Access("GET", "/api/v1/klachten", API),
    Access("GET", "/api/v1/klachten/K10000", API),
    Access("POST", "/api/v1/klachten", {**API, "contract_manager": 201}, KLACHT),
    Access(
        "PUT",
        "/api/v1/klachten/K10000",
        API,
        {**KLACHT, "klachtId": "K10000", "afhandeldatum": "2025-06-03"},
    ),
    Access("PATCH", "/api/v1/klachten/K10000", API, {"afhandeldatum": "2025-06-02"}),
    Access("DELETE", "/api/v1/klachten/K10000", {**API, "contract_manager": 204}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role", "expected"), expand(MATRIX), ids=str)
def test_status_per_role(client_for, survey_response, complaint, row, role, expected):
    response = call(client_for(role), row)
    assert response.status_code == expected, response.content[:300]
    if role == "anonymous" and expected == 302:
        assert response["Location"].startswith("/account/inloggen/")
    if row.url.startswith("/api/") and expected >= 400:
        assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url", ["/kwaliteit/ervaringen/uploaden/", "/kwaliteit/klachten/uploaden/"]
)
def test_upload_post_per_role(client_for, sample_providers, role, url):
    upload = SimpleUploadedFile("ervaringen.csv", SURVEY_CSV.encode(), content_type="text/csv")
    response = client_for(role).post(url, {"file": upload})
    # The contract manager's upload is handled: the survey file becomes a job (on to its page),
    # the same file sent as complaints is refused in the request for its header.
    expected = {"anonymous": 302, "buurtteam_worker": 403, "council_member": 403}.get(role)
    if expected:
        assert response.status_code == expected
        assert not response.get("Location", "").startswith("/importen/")
    elif "ervaringen" in url:
        assert response.status_code == 302 and response["Location"].startswith("/importen/")
    else:
        assert response.status_code == 200
        assert "De kopregel mist de kolommen" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "visible"), [("contract_manager", True),
                                               ("buurtteam_worker", False),
                                               ("council_member", False)])  # fmt: skip
def test_navigation_item_for_contract_managers_only(client_for, role, visible):
    html = client_for(role).get("/").content.decode()
    assert ('href="/kwaliteit/ervaringen/"' in html) is visible

"""The spend bookings' pages × every role: contract managers only (bookings name contractors)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access import ROLES, Access, call, expand

PAGE = {"anonymous": 302, "buurtteam_worker": 403, "contract_manager": 200, "council_member": 403}
MATRIX = [
    Access("GET", "/uitgaven/", PAGE),
    Access("GET", "/uitgaven/uploaden/", PAGE),
    Access("GET", "/uitgaven/uitgaven.csv", PAGE),
    Access("GET", "/uitgaven/uitgaven.xlsx", PAGE),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role", "expected"), expand(MATRIX), ids=str)
def test_status_per_role(client_for, row, role, expected):
    assert call(client_for(role), row).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_upload_per_role(client_for, role):
    text = (
        "booking_id,quarter,objective,service_type,contractor_agb,amount_eur\nB1,2026Q1,III,,,1\n"
    )
    upload = SimpleUploadedFile("uitgaven.csv", text.encode(), content_type="text/csv")
    response = client_for(role).post("/uitgaven/uploaden/", {"file": upload})
    expected = {"anonymous": 302, "contract_manager": 302}.get(role, 403)
    assert response.status_code == expected
    if role == "contract_manager":
        assert response["Location"].startswith("/importen/")

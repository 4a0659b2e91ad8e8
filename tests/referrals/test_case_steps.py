"""A case's follow-up (services.case_step): its first contact and its closing, on the case page
and in the API, and the team's list of cases. A tester found a case registered without a first
contact could never get one (the API answered 405 to a PATCH, the page had no action), so the
first-contact norm could not be kept up to date by the team itself."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from districts.models import Buurtteam, District
from tests.access import ROLES, Access, call
from wmo.accounts.models import AuditEntry
from wmo.referrals.models import BuurtteamCase
from wmo.referrals.services import case_step, register_case

from .conftest import VALID_BSN

D = datetime.date
LIST = "/verwijzingen/casussen/"
API = "/api/v1/casussen"

MATRIX = [
    Access("GET", LIST, {"anonymous": 302, "buurtteam_worker": 200, "contract_manager": 200,
                         "council_member": 403}),
    Access("GET", f"{LIST}?status=alle", {"anonymous": 302, "buurtteam_worker": 200,
                                          "contract_manager": 200, "council_member": 403}),
    # A body the page's form does not read: refused with the form's errors (400), not saved.
    Access("POST", LIST + "{case}/eerste-contact/", {"anonymous": 302, "buurtteam_worker": 400,
                                                     "contract_manager": 400,
                                                     "council_member": 403}),
    Access("POST", LIST + "{case}/afsluiten/", {"anonymous": 302, "buurtteam_worker": 400,
                                                "contract_manager": 400, "council_member": 403}),
    # A GET of a step (a refresh after a refused one) goes back to the case's page.
    Access("GET", LIST + "{case}/afsluiten/", {"anonymous": 302, "buurtteam_worker": 302,
                                               "contract_manager": 302, "council_member": 403}),
    Access("POST", API + "/{case}/eerste-contacten", {"anonymous": 401, "buurtteam_worker": 400,
                                                      "contract_manager": 400,
                                                      "council_member": 403}),
    Access("POST", API + "/{case}/afsluitingen", {"anonymous": 401, "buurtteam_worker": 400,
                                                  "contract_manager": 400, "council_member": 403}),
]  # fmt: skip


REGISTERED = D(2026, 11, 2)


def _case(team="BT05", registered=REGISTERED, **kwargs):
    district = District.objects.get(code="WK034403")
    return register_case(user=None, bsn=VALID_BSN, district=district,
                         buurtteam=Buurtteam.objects.get(code=team), registration_date=registered,
                         support_form="individual", **kwargs)  # fmt: skip


@pytest.fixture
def case(db):
    return _case()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_case_steps_matrix(client_for, case, row, role):
    response = call(client_for(role), row.format(case=case.external_id))
    assert response.status_code == row.expected[role]
    case.refresh_from_db()
    assert (case.first_contact_date, case.closed_date) == (None, None)


def test_the_page_records_the_first_contact_then_the_closing(client_for, case):
    client = client_for("buurtteam_worker")
    page = client.get(f"{LIST}{case.external_id}/").content.decode()
    assert "Eerste contact vastleggen" in page and "Casus afsluiten" in page
    early = client.post(f"{LIST}{case.external_id}/eerste-contact/", {"date": "30-10-2026"})
    assert early.status_code == 400
    assert "De datum van eerste contact ligt vóór de aanmelddatum." in early.content.decode()
    done = client.post(f"{LIST}{case.external_id}/eerste-contact/", {"date": "04-11-2026"})
    assert done.status_code == 302 and done["Location"] == f"{LIST}{case.external_id}/"
    case.refresh_from_db()
    assert case.first_contact_date == D(2026, 11, 4)
    page = client.get(f"{LIST}{case.external_id}/").content.decode()
    # 2 to 4 November 2026: two working days, within the norm of 5; the step is done.
    assert "Eerste contact vastleggen: opgeslagen." in page  # the message after the redirect
    assert 'aria-label="Eerste contact vastleggen"' not in page and "binnen de norm" in page
    again = client.post(f"{LIST}{case.external_id}/eerste-contact/", {"date": "05-11-2026"})
    assert again.status_code == 400
    assert "Het eerste contact van deze casus is al vastgelegd." in again.content.decode()
    assert client.post(f"{LIST}{case.external_id}/afsluiten/",
                       {"date": "20-11-2026"}).status_code == 302  # fmt: skip
    case.refresh_from_db()
    assert case.closed_date == D(2026, 11, 20)
    assert client.post(f"{LIST}{case.external_id}/bestaat-niet/", {}).status_code == 404
    changes = AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE, record_ids=[case.external_id]
    )
    assert changes.count() == 2


def test_the_api_records_the_steps_with_the_date_rules(client_for, case):
    client = client_for("buurtteam_worker")
    url = f"{API}/{case.external_id}"
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    refused = client.post(f"{url}/eerste-contacten", {"datum": future},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 400
    assert [p["name"] for p in refused.json()["invalidParams"]] == ["datum"]
    made = client.post(f"{url}/eerste-contacten", {"datum": "2026-11-03"},
                       content_type="application/json")  # fmt: skip
    assert made.status_code == 201, made.content
    assert made.json()["datumEersteContact"] == "2026-11-03"
    closed = client.post(f"{url}/afsluitingen", {"datum": "2026-11-30"},
                         content_type="application/json")  # fmt: skip
    assert closed.json()["afsluitdatum"] == "2026-11-30"
    twice = client.post(f"{url}/afsluitingen", {"datum": "2026-12-01"},
                        content_type="application/json")  # fmt: skip
    assert twice.json()["invalidParams"] == [
        {"name": "datum", "code": "invalid", "reason": "Deze casus is al afgesloten."}
    ]


def test_another_teams_case_is_not_found(client_for):
    theirs = _case(team="BT01")
    client = client_for("buurtteam_worker")  # BT05
    assert client.post(f"{LIST}{theirs.external_id}/afsluiten/",
                       {"date": "20-11-2026"}).status_code == 404  # fmt: skip
    assert client.post(f"{API}/{theirs.external_id}/afsluitingen", {"datum": "2026-11-20"},
                       content_type="application/json").status_code == 404  # fmt: skip
    assert theirs.external_id not in client.get(LIST).content.decode()
    theirs.refresh_from_db()
    assert theirs.closed_date is None


def test_the_list_shows_the_teams_open_cases_longest_without_contact_first(client_for):
    late = _case(registered=D(2026, 10, 1))
    contacted = _case(registered=D(2026, 9, 1), first_contact_date=D(2026, 9, 2))
    closed = _case(registered=D(2026, 8, 3), first_contact_date=D(2026, 8, 4),
                   closed_date=D(2026, 8, 31))  # fmt: skip
    _case(team="BT01")
    client = client_for("buurtteam_worker")
    html = client.get(LIST).content.decode()
    shown = [n for n in (late.external_id, contacted.external_id, closed.external_id) if n in html]
    assert shown == [late.external_id, contacted.external_id]
    assert html.index(late.external_id) < html.index(contacted.external_id)
    assert "boven de norm" in html  # 1 October until today: far beyond 5 working days
    assert closed.external_id in client.get(f"{LIST}?status=alle").content.decode()
    assert BuurtteamCase.objects.count() == 4
    listed = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, path=LIST).order_by("pk")
    assert set(listed.first().record_ids) == {late.external_id, contacted.external_id}


def test_the_service_keeps_the_rules_for_importers_and_jobs_alike(case):
    with pytest.raises(ValidationError) as refused:
        case_step(case, "close", user=None, date=D(2026, 10, 1))
    assert refused.value.message_dict == {
        "closed_date": ["De afsluitdatum ligt vóór de aanmelddatum."]
    }
    assert case_step(case, "close", user=None, date=D(2026, 11, 2)).closed_date == D(2026, 11, 2)


def test_a_case_closes_on_or_after_its_first_contact(case):
    case_step(case, "first_contact", user=None, date=D(2026, 11, 5))
    with pytest.raises(ValidationError) as refused:
        case_step(case, "close", user=None, date=D(2026, 11, 4))
    assert refused.value.message_dict == {
        "closed_date": ["De afsluitdatum ligt vóór de datum van eerste contact."]
    }
    case.refresh_from_db()
    assert case.closed_date is None
    assert case_step(case, "close", user=None, date=D(2026, 11, 5)).closed_date == D(2026, 11, 5)

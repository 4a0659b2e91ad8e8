import datetime

import pytest

from wmo.accounts.models import AuditEvent
from wmo.referrals.models import BuurtteamCase, Referral

D = datetime.date
API = "/api/v1/verwijzingen"
NEW = {"bsn": "111222333", "wijkCode": "WK034403", "voorziening": "dagbegeleiding",
       "aanbiederAgb": "13063077", "verwijsdatum": "2026-03-02", "groepsgericht": True}  # fmt: skip


def post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def test_create_and_transitions(client_for, providers):
    client = client_for("buurtteam_worker", team_code="BT05")
    response = post(client, API, NEW)
    assert response.status_code == 201, response.content
    body = response.json()
    assert "bsn" not in body and "111222333" not in response.content.decode()
    assert body["status"] == "registered" and body["buurtteamCode"] == "BT05"
    assert body["opdrachtnemerAgb"] == "13063077" and body["groepsgericht"] is True
    rid = body["verwijzingId"]
    for sub, data, state in [
        ("toewijzingen", {"datum": "2026-03-03"}, "assigned"),
        ("starts", {"datum": "2026-03-04"}, "started"),
        ("beeindigingen", {"datum": "2026-03-05", "redenBeeindiging": "19"}, "ended"),
    ]:
        response = post(client, f"{API}/{rid}/{sub}", data)
        assert response.status_code == 201, response.content
        assert response.json()["status"] == state
    assert Referral.objects.get(external_id=rid).events.count() == 4


@pytest.mark.parametrize(
    "change, attribute",
    [({"verwijsdatum": "2099-01-01"}, "verwijsdatum"), ({"bsn": "111222334"}, "bsn"),
     ({"bsn": "12345"}, "bsn"), ({"wijkCode": "WK999999"}, "wijkCode"),
     ({"aanbiederAgb": "99999999"}, "aanbiederAgb")],
)  # fmt: skip
def test_create_errors(client_for, providers, change, attribute):
    response = post(client_for("buurtteam_worker"), API, {**NEW, **change})
    assert response.status_code == 400
    assert attribute in response.content.decode()
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    "sub, data",
    [("starts", {"datum": "2026-03-01"}), ("starts", {"datum": "2099-03-01"}),
     ("beeindigingen", {"datum": "2026-03-05", "redenBeeindiging": "19"}),
     ("annuleringen", {"datum": "2026-02-01"}), ("toewijzingen", {})],
)  # fmt: skip
def test_transition_date_rules(client_for, make_referral, sub, data):
    referral = make_referral()
    response = post(client_for("contract_manager"), f"{API}/{referral.external_id}/{sub}", data)
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.state == "registered"


def test_filters(client_for, make_referral):
    make_referral(start_date=D(2026, 3, 4))
    make_referral()
    client = client_for("contract_manager")
    rows = client.get(f"{API}?status=started").json()["resultaten"]
    assert [r["status"] for r in rows] == ["started"]
    rows = client.get(f"{API}?status=registered&voorziening=dagbegeleiding&wijkCode=WK034403")
    assert len(rows.json()["resultaten"]) == 1
    assert client.get(f"{API}?verwijsdatumVanaf=2026-03-03").json()["resultaten"] == []


@pytest.mark.parametrize(
    "role, expected", [("anonymous", 401), ("council_member", 403), ("buurtteam_worker", 200),
                       ("contract_manager", 200)],
)  # fmt: skip
def test_list_permissions(client_for, db, role, expected):
    assert client_for(role).get(API).status_code == expected
    assert client_for(role).get("/api/v1/casussen").status_code == expected


@pytest.mark.parametrize(
    "role, expected", [("anonymous", 401), ("council_member", 403), ("buurtteam_worker", 201),
                       ("contract_manager", 201)],
)  # fmt: skip
def test_create_permissions(client_for, providers, role, expected):
    assert post(client_for(role), API, NEW).status_code == expected


def test_other_team_gets_404(client_for, make_referral):
    referral = make_referral(team_code="BT05")
    other = client_for("buurtteam_worker", team_code="BT01")
    assert other.get(f"{API}/{referral.external_id}").status_code == 404
    assert post(other, f"{API}/{referral.external_id}/starts",
                {"datum": "2026-03-04"}).status_code == 404  # fmt: skip
    own = client_for("buurtteam_worker", team_code="BT05")
    assert own.get(f"{API}/{referral.external_id}").status_code == 200


def test_detail_writes_audit_row(client_for, make_referral):
    referral = make_referral()
    client_for("contract_manager").get(f"{API}/{referral.external_id}")
    assert AuditEvent.objects.filter(object_id=str(referral.pk), action="view").count() == 1


def test_no_trailing_slash(client_for, db):
    assert client_for("contract_manager").get(f"{API}/").status_code == 404


def test_cases_api(client_for, db):
    client = client_for("buurtteam_worker", team_code="BT05")
    data = {"bsn": "111222333", "wijkCode": "WK034403", "buurtteamCode": "BT05",
            "aanmelddatum": "2026-03-02", "ondersteuningsvorm": "group"}  # fmt: skip
    response = post(client, "/api/v1/casussen", data)
    assert response.status_code == 201, response.content
    case_id = response.json()["casusId"]
    assert post(client, "/api/v1/casussen", {**data, "buurtteamCode": "BT01"}).status_code == 403
    bad = post(client, "/api/v1/casussen", {**data, "datumEersteContact": "2026-03-01"})
    assert bad.status_code == 400 and "datumEersteContact" in bad.content.decode()
    assert client.get(f"/api/v1/casussen/{case_id}").status_code == 200
    other = client_for("buurtteam_worker", team_code="BT01")
    assert other.get(f"/api/v1/casussen/{case_id}").status_code == 404
    assert BuurtteamCase.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="referrals.buurtteamcase").count() == 1

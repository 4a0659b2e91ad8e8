import datetime

import pytest
from django.test import Client

from wmo.accounts.models import AuditEntry
from wmo.referrals import contracts as contract_rule
from wmo.referrals.models import BuurtteamCase, Referral, ReferralEvent
from wmo.referrals.models import Client as ReferralClient

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


CASE = {"bsn": "111222333", "wijkCode": "WK034403", "buurtteamCode": "BT05",
        "aanmelddatum": "2026-03-02", "ondersteuningsvorm": "group"}  # fmt: skip


@pytest.mark.parametrize(
    "role, expected", [("anonymous", 401), ("council_member", 403), ("buurtteam_worker", 201),
                       ("contract_manager", 403)],
)  # fmt: skip
def test_create_permissions(client_for, providers, role, expected):
    """Registering is the buurtteam's, as on the pages: a contract manager registers nothing
    (not a team-less referral, not a case for any team)."""
    assert post(client_for(role), API, NEW).status_code == expected
    assert post(client_for(role), "/api/v1/casussen", CASE).status_code == expected
    assert Referral.objects.count() == BuurtteamCase.objects.count() == (expected == 201)


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
    line = AuditEntry.objects.get(object_pk=str(referral.pk), action=AuditEntry.Action.ACCESS)
    assert (line.record_ids, line.path) == ([referral.external_id], f"{API}/{referral.external_id}")


def test_no_trailing_slash(client_for, db):
    assert client_for("contract_manager").get(f"{API}/").status_code == 404


def test_cases_api(client_for, db):
    client = client_for("buurtteam_worker", team_code="BT05")
    data = dict(CASE)
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
    lines = AuditEntry.objects.filter(content_type__model="buurtteamcase").order_by("id")
    assert [(line.action, line.record_ids) for line in lines] == [
        (AuditEntry.Action.CREATE, [case_id]), (AuditEntry.Action.ACCESS, [case_id])]  # fmt: skip


def problems(response) -> list[tuple[str, str]]:
    return [(p["name"], p["reason"]) for p in response.json()["invalidParams"]]


# --- contracts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, expected",
    [({"aanbiederAgb": "98094829"},
      [("aanbiederAgb", contract_rule.PROVIDER_NOT_CONTRACTED, "98094829")]),
     ({"wijkCode": "WK034405"}, [("aanbiederAgb", contract_rule.NO_CONTRACT_IN_WIJK, "13063077")]),
     ({"aanbiederAgb": "83058805", "opdrachtnemerAgb": "98094829"},
      [("opdrachtnemerAgb", contract_rule.CONTRACTOR_NOT_HOLDER, "98094829")])],
)  # fmt: skip
def test_api_refuses_uncontracted_parties(client_for, contracts, providers, change, expected):
    response = post(client_for("buurtteam_worker", team_code="BT05"), API, {**NEW, **change})
    assert response.status_code == 400
    assert problems(response) == [
        (name, contract_rule.named(message, providers[agb], D(2026, 3, 2)))
        for name, message, agb in expected
    ]
    assert Referral.objects.count() == 0 and ReferralClient.objects.count() == 0


def test_api_subcontractor_gets_its_main_contractor(client_for, contracts):
    response = post(client_for("buurtteam_worker", team_code="BT05"), API,
                    {**NEW, "aanbiederAgb": "83058805"})  # fmt: skip
    assert response.status_code == 201, response.content
    assert (response.json()["aanbiederAgb"], response.json()["opdrachtnemerAgb"]) == (
        "83058805", "13063077")  # fmt: skip


# --- date rules through the API -----------------------------------------------------------------


def test_create_without_referral_date(client_for, providers):
    response = post(client_for("buurtteam_worker"), API,
                    {k: v for k, v in NEW.items() if k != "verwijsdatum"})  # fmt: skip
    assert response.status_code == 400
    assert [name for name, _ in problems(response)] == ["verwijsdatum"]
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    "setup, sub, data, message",
    [({"start_date": D(2026, 3, 4)}, "beeindigingen", {"datum": "2026-03-03", "redenBeeindiging": "19"},
      "De einddatum ligt vóór de startdatum."),
     ({"start_date": D(2026, 3, 4)}, "annuleringen", {"datum": "2026-03-05"},
      "Alleen een verwijzing die nog niet is gestart kan worden geannuleerd."),
     ({}, "annuleringen", {"datum": "2026-03-01"}, "De annuleringsdatum ligt vóór de verwijsdatum."),
     ({}, "starts", {"datum": "2099-03-01"}, "De startdatum ligt in de toekomst.")],
)  # fmt: skip
def test_transition_date_rules_name_the_field(client_for, make_referral, setup, sub, data,
                                              message):  # fmt: skip
    referral = make_referral(**setup)
    before = Referral.objects.filter(pk=referral.pk).values().get()
    response = post(client_for("contract_manager"), f"{API}/{referral.external_id}/{sub}", data)
    assert response.status_code == 400
    assert problems(response) == [("datum", message)]
    assert Referral.objects.filter(pk=referral.pk).values().get() == before
    assert ReferralEvent.objects.filter(referral=referral).count() == 1


@pytest.mark.parametrize(
    "change, expected",
    [({"afsluitdatum": "2026-03-01"}, [("afsluitdatum", "De afsluitdatum ligt vóór de aanmelddatum.")]),
     ({"afsluitdatum": "2099-01-01"}, [("afsluitdatum", "De afsluitdatum ligt in de toekomst.")]),
     ({"aanmelddatum": "2099-01-01"}, [("aanmelddatum", "De aanmelddatum ligt in de toekomst.")])],
)  # fmt: skip
def test_case_date_rules_name_the_field(client_for, db, change, expected):
    response = post(client_for("buurtteam_worker", team_code="BT05"), "/api/v1/casussen",
                    {**CASE, **change})  # fmt: skip
    assert response.status_code == 400
    assert problems(response) == expected
    assert BuurtteamCase.objects.count() == 0 and ReferralClient.objects.count() == 0


# --- idempotency and birth year -----------------------------------------------------------------

KEY = "0b6f2d5e-2f4a-4c1e-9a57-3c1f0e6d8b21"


def test_api_idempotency_key_and_birth_year(client_for, providers):
    client = client_for("buurtteam_worker", team_code="BT05")
    data = {**NEW, "idempotentieSleutel": KEY, "geboortejaar": 1956}
    first = post(client, API, data)
    assert first.status_code == 201, first.content
    assert "geboortejaar" not in first.json() and "idempotentieSleutel" not in first.json()
    again = post(client, API, data)
    assert again.status_code == 201
    assert again.json()["verwijzingId"] == first.json()["verwijzingId"]
    other = post(client, API, {**data, "bsn": "123456782"})
    assert other.status_code == 400
    assert [name for name, _ in problems(other)] == ["idempotentieSleutel"]
    assert Referral.objects.count() == 1
    assert list(ReferralClient.objects.values_list("birth_year", flat=True)) == [1956]
    bad_year = post(client, API, {**NEW, "geboortejaar": 1800})
    assert bad_year.status_code == 400 and [n for n, _ in problems(bad_year)] == ["geboortejaar"]


def test_case_api_idempotency_key_and_birth_year(client_for, db):
    client = client_for("buurtteam_worker", team_code="BT05")
    data = {**CASE, "idempotentieSleutel": KEY, "geboortejaar": 1990}
    first = post(client, "/api/v1/casussen", data)
    assert first.status_code == 201, first.content
    assert post(client, "/api/v1/casussen", data).json()["casusId"] == first.json()["casusId"]
    other = post(client, "/api/v1/casussen", {**data, "ondersteuningsvorm": "blended"})
    assert [name for name, _ in problems(other)] == ["idempotentieSleutel"]
    assert BuurtteamCase.objects.count() == 1
    assert ReferralClient.objects.get().birth_year == 1990


# --- filters -------------------------------------------------------------------------------------


def test_end_and_cancel_date_filters(client_for, make_referral):
    ended = make_referral(start_date=D(2026, 3, 4), end_date=D(2026, 3, 20), end_reason="19")
    early = make_referral(start_date=D(2026, 3, 4), end_date=D(2026, 3, 6), end_reason="19")
    cancelled = make_referral(cancelled_date=D(2026, 3, 10))
    make_referral()
    client = client_for("contract_manager")

    def ids(query):
        return sorted(r["verwijzingId"] for r in client.get(f"{API}?{query}").json()["resultaten"])

    assert ids("einddatumVanaf=2026-03-06") == sorted([ended.external_id, early.external_id])
    assert ids("einddatumVanaf=2026-03-07") == [ended.external_id]
    assert ids("einddatumTot=2026-03-07") == [early.external_id]
    assert ids("annuleringsdatumVanaf=2026-03-10") == [cancelled.external_id]
    assert ids("annuleringsdatumTot=2026-03-10") == []
    assert ids("startdatumVanaf=2026-03-04&startdatumTot=2026-03-05") == sorted(
        [ended.external_id, early.external_id])  # fmt: skip


def test_case_filters(client_for, make_referral):
    from districts.models import Buurtteam, District

    client_ = make_referral().client

    def case(external_id, team, wijk, registered, closed, form):
        return BuurtteamCase.objects.create(
            external_id=external_id, client=client_, buurtteam=Buurtteam.objects.get(code=team),
            district=District.objects.get(code=wijk), registration_date=registered,
            closed_date=closed, support_form=form,
        )  # fmt: skip

    case("C1", "BT05", "WK034403", D(2026, 3, 2), D(2026, 4, 1), "group")
    case("C2", "BT05", "WK034403", D(2026, 5, 2), None, "individual")
    case("C3", "BT01", "WK034401", D(2026, 3, 9), D(2026, 3, 20), "blended")
    client = client_for("contract_manager")

    def ids(query):
        rows = client.get(f"/api/v1/casussen?{query}").json()["resultaten"]
        return sorted(r["casusId"] for r in rows)

    assert ids("wijkCode=WK034401") == ["C3"]
    assert ids("buurtteamCode=BT05") == ["C1", "C2"]
    assert ids("ondersteuningsvorm=individual") == ["C2"]
    assert ids("aanmelddatumVanaf=2026-03-09") == ["C2", "C3"]
    assert ids("aanmelddatumTot=2026-03-09") == ["C1"]
    assert ids("afsluitdatumVanaf=2026-03-21") == ["C1"]
    assert ids("afsluitdatumTot=2026-03-21") == ["C3"]
    worker = client_for("buurtteam_worker", team_code="BT01")
    rows = worker.get("/api/v1/casussen?buurtteamCode=BT05").json()["resultaten"]
    assert rows == []


# --- privacy --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url, data", [(API, NEW), ("/api/v1/casussen", CASE)])
def test_bsn_stays_out_of_api_error_reports(monkeypatch, user_for, providers, url, data):
    from django.views.debug import ExceptionReporter

    from wmo.referrals import services

    def broken(*args, **kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(services, "record_event", broken)
    monkeypatch.setattr(BuurtteamCase, "save", broken)
    client = Client(raise_request_exception=False)
    client.force_login(user_for("buurtteam_worker", team_code="BT05"))
    response = post(client, url, data)
    assert response.status_code == 500
    reporter = ExceptionReporter(response.wsgi_request, *response.exc_info)
    text, html = reporter.get_traceback_text(), reporter.get_traceback_html()
    assert "schijf vol" in text and "perform_create" in text
    assert "111222333" not in text and "111222333" not in html


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_bsn_not_echoed_to_a_browser(client_for, providers):
    """No browsable API: a browser gets the JSON problem, without the BSN; a client taking
    HTML only gets 406 (problem+json), and nothing is registered either way."""
    client = client_for("buurtteam_worker", team_code="BT05")
    before = Referral.objects.count()
    response = client.post(API, data={**NEW, "verwijsdatum": "2099-01-01"},
                           content_type="application/json", HTTP_ACCEPT=BROWSER_ACCEPT)  # fmt: skip
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "111222333" not in response.content.decode()
    assert "De verwijsdatum ligt in de toekomst." in response.content.decode()
    response = client.post(API, data={**NEW, "verwijsdatum": "2099-01-01"},
                           content_type="application/json", HTTP_ACCEPT="text/html")  # fmt: skip
    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"
    assert "111222333" not in response.content.decode()
    assert Referral.objects.count() == before

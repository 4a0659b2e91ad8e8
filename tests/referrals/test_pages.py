import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from districts.models import District
from tests.access import ROLES
from wmo.accounts.models import AuditEvent
from wmo.referrals.models import BuurtteamCase, Referral, ServiceType

from .conftest import CASES_CSV, REFERRALS_CSV, VALID_BSN

D = datetime.date


def form_data(providers, **overrides):
    data = {
        "bsn": VALID_BSN, "district": District.objects.get(code="WK034403").pk,
        "referral_date": "02-03-2026",
        "service_type": ServiceType.objects.get(code="dagbegeleiding").pk,
        "provider": providers["13063077"].pk, "contractor": "", "group_based": "on",
        "idempotency_key": "6f1c1c3e-8c1a-4d59-9d1e-0f4b6b0a1a11",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_register_form_defaults(client_for, providers):
    response = client_for("buurtteam_worker", team_code="BT05").get("/verwijzingen/registreren/")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["district"] == District.objects.get(code="WK034403").pk  # BT05's wijk
    assert form.initial["referral_date"] == timezone.localdate()
    assert not form.fields["service_type"].queryset.filter(code="ambulante_begeleiding").exists()


def test_register_referral_and_double_submit(client_for, providers):
    client = client_for("buurtteam_worker", team_code="BT05")
    first = client.post("/verwijzingen/registreren/", form_data(providers))
    assert first.status_code == 302
    second = client.post("/verwijzingen/registreren/", form_data(providers))
    assert second.status_code == 302 and second.url == first.url
    referral = Referral.objects.get()
    assert referral.team.code == "BT05" and referral.group_based
    assert referral.contractor == referral.provider
    assert referral.events.count() == 1


@pytest.mark.parametrize(
    "overrides, field",
    [({"bsn": "111222334"}, "bsn"), ({"bsn": "1234"}, "bsn"),
     ({"referral_date": "01-01-2099"}, "referral_date"), ({"referral_date": "31-02-2026"}, "referral_date"),
     ({"referral_date": ""}, "referral_date"), ({"provider": ""}, "provider")],
)  # fmt: skip
def test_register_errors_in_dutch_nothing_saved(client_for, providers, overrides, field):
    client = client_for("buurtteam_worker")
    response = client.post("/verwijzingen/registreren/", form_data(providers, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Er is niets opgeslagen" in response.content.decode()
    assert Referral.objects.count() == 0


def test_service_type_must_be_valid_on_referral_date(client_for, providers):
    data = form_data(
        providers, service_type=ServiceType.objects.get(code="ambulante_begeleiding").pk
    )
    response = client_for("buurtteam_worker").post("/verwijzingen/registreren/", data)
    assert "service_type" in response.context["form"].errors
    assert "geldt niet op de verwijsdatum" in response.content.decode()


def test_register_case(client_for, db):
    client = client_for("buurtteam_worker", team_code="BT05")
    data = {"bsn": VALID_BSN, "district": District.objects.get(code="WK034403").pk,
            "buurtteam": client.get("/verwijzingen/casussen/registreren/").context["form"]
            .fields["buurtteam"].queryset.get().pk,
            "registration_date": "02-03-2026", "first_contact_date": "01-03-2026",
            "support_form": "group", "idempotency_key": "6f1c1c3e-8c1a-4d59-9d1e-0f4b6b0a1a12"}  # fmt: skip
    response = client.post("/verwijzingen/casussen/registreren/", data)
    assert "first_contact_date" in response.context["form"].errors
    assert BuurtteamCase.objects.count() == 0
    data["first_contact_date"] = "04-03-2026"
    assert client.post("/verwijzingen/casussen/registreren/", data).status_code == 302
    assert client.post("/verwijzingen/casussen/registreren/", data).status_code == 302
    case = BuurtteamCase.objects.get()
    assert client.get(f"/verwijzingen/casussen/{case.external_id}/").status_code == 200
    assert AuditEvent.objects.filter(object_type="referrals.buurtteamcase").count() == 1


def test_waiting_list_scoping_and_exports(client_for, make_referral):
    today = timezone.localdate()
    mine = make_referral(team_code="BT05", referral_date=today - datetime.timedelta(days=30))
    make_referral(team_code="BT05", start_date=today)  # started: not waiting
    make_referral(team_code="BT05", cancelled_date=today)  # cancelled: not waiting
    other = make_referral(team_code="BT01")
    worker = client_for("buurtteam_worker", team_code="BT05")
    response = worker.get("/verwijzingen/")
    ids = [row["referral"].external_id for row in response.context["rows"]]
    assert ids == [mine.external_id]
    body = response.content.decode()
    assert "boven de norm" in body and "30" in body and VALID_BSN not in body
    manager = client_for("contract_manager")
    ids = {r["referral"].external_id for r in manager.get("/verwijzingen/").context["rows"]}
    assert ids == {mine.external_id, other.external_id}
    summary = manager.get("/verwijzingen/?groepeer=team").context["summary"]
    assert {(g["name"], g["waiting"], g["over"]) for g in summary} == {
        ("BT05", 1, 1),
        ("BT01", 1, 1),
    }
    filtered = manager.get("/verwijzingen/?team=" + str(other.team_id))
    assert [r["referral"].external_id for r in filtered.context["rows"]] == [other.external_id]
    csv_body = b"".join(manager.get("/verwijzingen/?formaat=csv").streaming_content).decode()
    assert csv_body.count("\n") == 3 and mine.client.short_key in csv_body
    assert VALID_BSN not in csv_body
    xlsx = manager.get("/verwijzingen/?formaat=xlsx&sorteer=wachtdagen")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows[0][0] == "verwijzing" and len(rows) == 3


def test_detail_actions_and_audit(client_for, make_referral):
    referral = make_referral(team_code="BT05")
    worker = client_for("buurtteam_worker", team_code="BT05")
    url = f"/verwijzingen/{referral.external_id}/"
    response = worker.get(url)
    assert response.status_code == 200 and "Toewijzen" in response.content.decode()
    assert AuditEvent.objects.filter(object_id=str(referral.pk), action="view").count() == 1
    bad = worker.post(url + "starten/", {"date": "01-03-2026"})
    assert bad.status_code == 400 and "vóór de verwijsdatum" in bad.content.decode()
    assert worker.post(url + "starten/", {"date": "04-03-2026"}).status_code == 302
    assert worker.post(url + "beeindigen/", {"date": "05-03-2026"}).status_code == 400
    ok = worker.post(url + "beeindigen/", {"date": "05-03-2026", "end_reason": "19"})
    assert ok.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "ended" and referral.events.count() == 3
    assert "Geschiedenis" in worker.get(url).content.decode()


def test_upload_pages(client_for, providers):
    client = client_for("contract_manager")
    upload = SimpleUploadedFile("verwijzingen.csv", REFERRALS_CSV.encode())
    response = client.post("/verwijzingen/importeren/", {"file": upload})
    assert response.status_code == 200 and "Import geslaagd" in response.content.decode()
    assert Referral.objects.count() == 6
    bad = SimpleUploadedFile("c.csv", CASES_CSV.replace("BT15", "BT99").encode())
    response = client.post("/verwijzingen/casussen/importeren/", {"file": bad})
    assert response.status_code == 400
    assert "Onbekende buurtteamcode" in response.content.decode()
    assert BuurtteamCase.objects.count() == 0


# --- permission matrix ----------------------------------------------------------------------

PAGES = {
    # url template -> expected status per role (anonymous → login redirect)
    "/verwijzingen/": {"buurtteam_worker": 200, "contract_manager": 200},
    "/verwijzingen/registreren/": {"buurtteam_worker": 200, "contract_manager": 403},
    "/verwijzingen/casussen/registreren/": {"buurtteam_worker": 200, "contract_manager": 403},
    "/verwijzingen/importeren/": {"buurtteam_worker": 403, "contract_manager": 200},
    "/verwijzingen/casussen/importeren/": {"buurtteam_worker": 403, "contract_manager": 200},
    "/verwijzingen/{referral}/": {"buurtteam_worker": 200, "contract_manager": 200},
    "/verwijzingen/casussen/{case}/": {"buurtteam_worker": 200, "contract_manager": 200},
    "/verwijzingen/?formaat=csv": {"buurtteam_worker": 200, "contract_manager": 200},
}
API = {
    "/api/v1/verwijzingen": {"buurtteam_worker": 200, "contract_manager": 200},
    "/api/v1/verwijzingen/{referral}": {"buurtteam_worker": 200, "contract_manager": 200},
    "/api/v1/casussen": {"buurtteam_worker": 200, "contract_manager": 200},
    "/api/v1/casussen/{case}": {"buurtteam_worker": 200, "contract_manager": 200},
}


@pytest.fixture
def records(make_referral):
    referral = make_referral(team_code="BT05")
    case = BuurtteamCase.objects.create(
        external_id="C1", client=referral.client, district=referral.district,
        buurtteam=referral.team, registration_date=D(2026, 3, 2), support_form="group",
    )  # fmt: skip
    return {"referral": referral.external_id, "case": case.external_id}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", list(PAGES))
def test_page_matrix(client_for, records, url, role):
    response = client_for(role, team_code="BT05").get(url.format(**records))
    if role == "anonymous":
        assert response.status_code == 302 and "/account/" in response.url
    elif role == "council_member":
        assert response.status_code == 403
    else:
        assert response.status_code == PAGES[url][role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", list(API))
def test_api_matrix(client_for, records, url, role):
    response = client_for(role, team_code="BT05").get(url.format(**records))
    expected = {"anonymous": 401, "council_member": 403}.get(role) or API[url][role]
    assert response.status_code == expected


@pytest.mark.parametrize("url", ["/verwijzingen/{referral}/", "/verwijzingen/casussen/{case}/",
                                 "/api/v1/verwijzingen/{referral}", "/api/v1/casussen/{case}"])  # fmt: skip
def test_other_team_gets_404(client_for, records, url):
    assert (
        client_for("buurtteam_worker", team_code="BT01").get(url.format(**records)).status_code
        == 404
    )


@pytest.mark.parametrize("role, expected", [("anonymous", 302), ("council_member", 403),
                                            ("buurtteam_worker", 302), ("contract_manager", 302)])  # fmt: skip
def test_transition_matrix(client_for, records, role, expected):
    url = f"/verwijzingen/{records['referral']}/toewijzen/"
    response = client_for(role, team_code="BT05").post(url, {"date": "03-03-2026"})
    assert response.status_code == expected
    if role == "anonymous":
        assert "/account/" in response.url
    other = client_for("buurtteam_worker", team_code="BT01").post(url, {"date": "03-03-2026"})
    assert other.status_code == 404


@pytest.mark.parametrize("role, expected", [("anonymous", 401), ("council_member", 403),
                                            ("buurtteam_worker", 201), ("contract_manager", 201)])  # fmt: skip
def test_api_transition_matrix(client_for, records, role, expected):
    url = f"/api/v1/verwijzingen/{records['referral']}/toewijzingen"
    response = client_for(role, team_code="BT05").post(url, {"datum": "2026-03-03"},
                                                      content_type="application/json")  # fmt: skip
    assert response.status_code == expected


def test_navigation(client_for, db):
    worker = client_for("buurtteam_worker").get("/verwijzingen/").content.decode()
    assert "Verwijzen" in worker and "Wachtlijst" in worker and "Casus registreren" in worker
    council = client_for("council_member").get("/").content.decode()
    assert "Wachtlijst" not in council


def test_providers_narrowed_by_contract(client_for, providers):
    from providers.models import Contract, Subcontract

    service = ServiceType.objects.get(code="dagbegeleiding")
    district = District.objects.get(code="WK034403")
    contract = Contract.objects.create(
        reference="DB-2025", name="Dagbegeleiding", contractor=providers["13063077"],
        instrument="public_contract", financing="lump_sum",
        start_date=D(2025, 1, 1), end_date=D(2027, 12, 31),
    )  # fmt: skip
    contract.service_types.add(service)
    contract.districts.add(district)
    Subcontract.objects.create(contract=contract, subcontractor=providers["83058805"],
                               start_date=D(2025, 1, 1), end_date=D(2027, 12, 31))  # fmt: skip
    from wmo.referrals.selectors import contracted_providers

    delivering, contracting = contracted_providers(service, district, D(2026, 3, 2))
    assert {p.agb_code for p in delivering} == {"13063077", "83058805"}
    assert [p.agb_code for p in contracting] == ["13063077"]
    client = client_for("buurtteam_worker", team_code="BT05")
    response = client.post("/verwijzingen/registreren/",
                           form_data(providers, provider=providers["98094829"].pk))  # fmt: skip
    assert "provider" in response.context["form"].errors
    assert "geen contract" in response.content.decode()
    ok = client.post("/verwijzingen/registreren/",
                     form_data(providers, provider=providers["83058805"].pk))  # fmt: skip
    assert ok.status_code == 302
    referral = Referral.objects.get()
    assert referral.provider.agb_code == "83058805" and referral.contractor.agb_code == "83058805"


def test_list_query_counts(client_for, make_referral, django_assert_max_num_queries):
    for _ in range(8):
        make_referral()
    client = client_for("contract_manager")
    with django_assert_max_num_queries(12):
        assert client.get("/verwijzingen/?groepeer=wijk").status_code == 200
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/verwijzingen").json()["resultaten"]) == 8


def test_choices_follow_referral_date(client_for, providers):
    client = client_for("buurtteam_worker", team_code="BT05")
    url = "/verwijzingen/registreren/"

    def labels(referral_date):
        response = client.get(url, {"keuzes": "1", "referral_date": referral_date})
        assert response.status_code == 200
        return [option["label"] for option in response.json()["service_type"]]

    # Ambulante begeleiding replaces three voorzieningen from 2027 (REFERENCE_DATA.md).
    before, after = labels("31-12-2026"), labels("01-01-2027")
    assert before[0] == "Kies een voorziening"
    assert "Ambulante begeleiding" not in before and "Ambulante begeleiding" in after
    assert "Individuele begeleiding" in before and "Individuele begeleiding" not in after
    provider_labels = {option["label"] for option in client.get(url, {"keuzes": "1"}).json()["provider"]}
    assert "Aanbieder 13063077" in provider_labels


@pytest.mark.parametrize("role", ["contract_manager", "council_member"])
def test_choices_need_register_capability(client_for, db, role):
    response = client_for(role).get("/verwijzingen/registreren/?keuzes=1")
    assert response.status_code == 403

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from districts.models import District
from tests.access import ROLES, Access, call
from wmo.accounts.models import AuditEntry
from wmo.catalogue.models import ServiceType
from wmo.referrals import contracts as contract_rule
from wmo.referrals.models import BuurtteamCase, Referral
from wmo.referrals.models import Client as ReferralClient

from .conftest import CASES_CSV, REFERRALS_CSV, VALID_BSN, action_forms, field_error, table_rows

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
    # One creation (the second post replays the first) and one view.
    lines = AuditEntry.objects.filter(content_type__model="buurtteamcase").order_by("id")
    assert [line.action for line in lines] == [AuditEntry.Action.CREATE, AuditEntry.Action.ACCESS]


def test_waiting_list_scoping_sorting_and_exports(client_for, make_referral):
    today = timezone.localdate()
    ago = lambda days: today - datetime.timedelta(days=days)  # noqa: E731
    longest = make_referral(team_code="BT05", referral_date=ago(30))
    middle = make_referral(team_code="BT05", referral_date=ago(12))
    newest = make_referral(team_code="BT05", referral_date=ago(3))
    make_referral(team_code="BT05", referral_date=ago(40), start_date=today)  # started
    make_referral(team_code="BT05", referral_date=ago(40), cancelled_date=today)  # cancelled
    other = make_referral(team_code="BT01", referral_date=ago(20))
    worker = client_for("buurtteam_worker", team_code="BT05")
    response = worker.get("/verwijzingen/")
    body = response.content.decode()
    # id, team, days and verdict against the 14-day norm (near: above 3/4 of it), norm
    assert [[row[0], row[2], row[8], row[9]] for row in table_rows(body, "wachtlijst")] == [
        [longest.external_id, "BT05", "30 (boven de norm)", "14 dagen"],
        [middle.external_id, "BT05", "12 (bijna aan de norm)", "14 dagen"],
        [newest.external_id, "BT05", "3 (binnen de norm)", "14 dagen"],
    ]
    assert 'ref-wait--over">30' in body and VALID_BSN not in body
    assert table_rows(body, "wachtlijst")[0][1] == longest.client.short_key
    shortest_first = worker.get("/verwijzingen/?sorteer=wachtdagen").content.decode()
    assert [row[0] for row in table_rows(shortest_first, "wachtlijst")] == [
        newest.external_id, middle.external_id, longest.external_id]  # fmt: skip
    assert other.external_id not in body
    manager = client_for("contract_manager")
    rows = table_rows(manager.get("/verwijzingen/").content.decode(), "wachtlijst")
    assert [(row[0], row[2]) for row in rows] == [
        (longest.external_id, "BT05"), (other.external_id, "BT01"),
        (middle.external_id, "BT05"), (newest.external_id, "BT05")]  # fmt: skip
    summary = manager.get("/verwijzingen/?groepeer=team").context["summary"]
    assert [(g["name"], g["waiting"], g["over"], g["longest"]) for g in summary] == [
        ("BT05", 3, 1, 30), ("BT01", 1, 1, 20)]  # fmt: skip
    filtered = manager.get("/verwijzingen/?team=" + str(other.team_id))
    assert [r["referral"].external_id for r in filtered.context["rows"]] == [other.external_id]
    csv_body = b"".join(manager.get("/verwijzingen/?formaat=csv").streaming_content).decode()
    lines = csv_body.lstrip("\ufeff").splitlines()
    assert lines[0].split(";")[:3] == ["verwijzing", "client", "buurtteam"]
    assert [line.split(";")[0] for line in lines[1:]] == [
        longest.external_id, other.external_id, middle.external_id, newest.external_id]  # fmt: skip
    assert lines[1].split(";")[1:3] == [longest.client.short_key, "BT05"]
    assert lines[1].split(";")[-3:] == ["30", "14", "boven de norm"]
    assert VALID_BSN not in csv_body
    xlsx = manager.get("/verwijzingen/?formaat=xlsx&sorteer=wachtdagen")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows[0][0] == "verwijzing"
    assert [(row[0], row[8]) for row in rows[1:]] == [
        (newest.external_id, 3), (middle.external_id, 12), (other.external_id, 20),
        (longest.external_id, 30)]  # fmt: skip


def test_detail_actions_history_and_audit(user_for, make_referral):
    user = user_for("buurtteam_worker", team_code="BT05")
    worker = Client()
    worker.force_login(user)
    referral = make_referral(team_code="BT05", user=user)
    url = f"/verwijzingen/{referral.external_id}/"
    response = worker.get(url)
    assert response.status_code == 200
    assert action_forms(response) == ["Toewijzen", "Start ondersteuning vastleggen", "Annuleren"]
    audit = AuditEntry.objects.get(object_pk=str(referral.pk), action=AuditEntry.Action.ACCESS)
    assert (audit.actor, audit.content_type.model) == (user, "referral")
    bad = worker.post(url + "starten/", {"date": "01-03-2026"})
    assert bad.status_code == 400
    assert "Datum: De startdatum ligt vóór de verwijsdatum." in field_error(bad, "id_start_date")
    assert worker.post(url + "starten/", {"date": "04-03-2026"}).status_code == 302
    no_reason = worker.post(url + "beeindigen/", {"date": "05-03-2026"})
    assert no_reason.status_code == 400
    assert "Kies een reden van beëindiging." in field_error(no_reason, "id_end_end_reason")
    ok = worker.post(url + "beeindigen/", {"date": "05-03-2026", "end_reason": "19"})
    assert ok.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "ended" and referral.events.count() == 3
    history = [row[1:] for row in table_rows(worker.get(url).content.decode(), "geschiedenis")]
    assert history == [
        [user.username, "formulier", "—", "Aangemeld",
         "wijk: WK034403; voorziening: dagbegeleiding; aanbieder: 13063077; opdrachtnemer: "
         "13063077; buurtteam: BT05; verwijsdatum: 02-03-2026; groepsgericht: nee"],
        [user.username, "formulier", "Aangemeld", "Gestart", "startdatum: 04-03-2026"],
        [user.username, "formulier", "Gestart", "Beëindigd",
         "einddatum: 05-03-2026; reden beëindiging: 19"],
    ]  # fmt: skip
    # Every page that showed the record counts: the two views and the two refused actions.
    views = AuditEntry.objects.filter(object_pk=str(referral.pk), action=AuditEntry.Action.ACCESS)
    assert views.count() == 4


def test_upload_pages(client_for, providers, django_capture_on_commit_callbacks):
    """Each upload becomes a job (run in-process once committed); its page has the report."""
    client = client_for("contract_manager")
    upload = SimpleUploadedFile("verwijzingen.csv", REFERRALS_CSV.encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/verwijzingen/importeren/", {"file": upload})
    assert response.status_code == 302
    assert "Import geslaagd" in client.get(response["Location"]).content.decode()
    assert Referral.objects.count() == 6
    bad = SimpleUploadedFile("c.csv", CASES_CSV.replace("BT15", "BT99").encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/verwijzingen/casussen/importeren/", {"file": bad})
    assert "Onbekende buurtteamcode" in client.get(response["Location"]).content.decode()
    assert BuurtteamCase.objects.count() == 0


# --- permission matrix ----------------------------------------------------------------------


def page(worker, manager):
    return {"anonymous": 302, "buurtteam_worker": worker, "contract_manager": manager,
            "council_member": 403}  # fmt: skip


def api(worker, manager):
    return {"anonymous": 401, "buurtteam_worker": worker, "contract_manager": manager,
            "council_member": 403}  # fmt: skip


# {referral} and {case}: records made by the `records` fixture, registered by team BT05. Page
# forms are posted as forms, API rows as JSON.
MATRIX = [
    Access("GET", "/verwijzingen/", page(200, 200)),
    Access("GET", "/verwijzingen/?formaat=csv", page(200, 200)),
    Access("GET", "/verwijzingen/registreren/", page(200, 403)),
    Access("GET", "/verwijzingen/casussen/registreren/", page(200, 403)),
    Access("GET", "/verwijzingen/importeren/", page(403, 200)),
    Access("GET", "/verwijzingen/casussen/importeren/", page(403, 200)),
    Access("GET", "/verwijzingen/{referral}/", page(200, 200)),
    Access("GET", "/verwijzingen/casussen/{case}/", page(200, 200)),
    Access("POST", "/verwijzingen/{referral}/toewijzen/", page(302, 302), {"date": "03-03-2026"}),
    Access("POST", "/verwijzingen/{referral}/annuleren/", page(302, 302), {"date": "03-03-2026"}),
    # A GET of an action (a refresh after a refused one) goes back to the referral's page.
    Access("GET", "/verwijzingen/{referral}/toewijzen/", page(302, 302)),
    Access("GET", "/api/v1/verwijzingen", api(200, 200)),
    Access("GET", "/api/v1/verwijzingen/{referral}", api(200, 200)),
    Access("GET", "/api/v1/casussen", api(200, 200)),
    Access("GET", "/api/v1/casussen/{case}", api(200, 200)),
    Access("POST", "/api/v1/verwijzingen/{referral}/toewijzingen", api(201, 201),
           {"datum": "2026-03-03"}),
    Access("POST", "/api/v1/verwijzingen/{referral}/starts", api(201, 201), {"datum": "2026-03-04"}),
    Access("POST", "/api/v1/verwijzingen/{referral}/annuleringen", api(201, 201),
           {"datum": "2026-03-03"}),
    # Past the door, the domain refuses to end a referral that never started.
    Access("POST", "/api/v1/verwijzingen/{referral}/beeindigingen", api(400, 400),
           {"datum": "2026-03-05", "redenBeeindiging": "19"}),
]  # fmt: skip


@pytest.fixture
def records(make_referral):
    referral = make_referral(team_code="BT05")
    case = BuurtteamCase.objects.create(
        external_id="C1", client=referral.client, district=referral.district,
        buurtteam=referral.team, registration_date=D(2026, 3, 2), support_form="group",
    )  # fmt: skip
    return {"referral": referral.external_id, "case": case.external_id}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_matrix(client_for, records, row, role):
    row = row.format(**records)
    client = client_for(role, team_code="BT05")
    if row.method == "POST" and not row.url.startswith("/api/"):
        response = client.post(row.url, row.data)  # an HTML form
    else:
        response = call(client, row)
    assert response.status_code == row.expected[role], response.content[:300]
    if role == "anonymous" and not row.url.startswith("/api/"):
        assert "/account/inloggen/" in response["Location"]


@pytest.mark.parametrize("url", ["/verwijzingen/{referral}/", "/verwijzingen/casussen/{case}/",
                                 "/api/v1/verwijzingen/{referral}", "/api/v1/casussen/{case}"])  # fmt: skip
def test_other_team_gets_404(client_for, records, url):
    assert (
        client_for("buurtteam_worker", team_code="BT01").get(url.format(**records)).status_code
        == 404
    )


@pytest.mark.parametrize("row", [row for row in MATRIX if row.method == "POST"], ids=str)
def test_other_team_cannot_change_the_record(client_for, records, row):
    row = row.format(**records)
    other = client_for("buurtteam_worker", team_code="BT01")
    api = row.url.startswith("/api/")
    response = call(other, row) if api else other.post(row.url, row.data)
    assert response.status_code == 404
    referral = Referral.objects.get(external_id=records["referral"])
    dates = ["assignment_date", "start_date", "end_date", "cancelled_date"]
    assert [getattr(referral, name) for name in dates] == [None] * 4


def test_navigation(client_for, db):
    worker = client_for("buurtteam_worker").get("/verwijzingen/").content.decode()
    assert "Verwijzen" in worker and "Wachtlijst" in worker and "Casus registreren" in worker
    council = client_for("council_member").get("/").content.decode()
    assert "Wachtlijst" not in council


def test_providers_narrowed_by_contract(client_for, contracts, providers):
    client = client_for("buurtteam_worker", team_code="BT05")
    page = client.get("/verwijzingen/registreren/", {"keuzes": "1", "referral_date": "02-03-2026",
                      "service_type": ServiceType.objects.get(code="dagbegeleiding").pk,
                      "district": District.objects.get(code="WK034403").pk})  # fmt: skip
    assert [o["label"] for o in page.json()["provider"]] == [
        "Kies een aanbieder", "Aanbieder 13063077", "Aanbieder 83058805"]  # fmt: skip
    response = client.post("/verwijzingen/registreren/",
                           form_data(providers, provider=providers["98094829"].pk))  # fmt: skip
    assert response.status_code == 200
    assert (f"Aanbieder: {contract_rule.PROVIDER_NOT_CONTRACTED}"
            in field_error(response, "id_provider"))  # fmt: skip
    offered = [label for _, label in response.context["form"].fields["provider"].choices]
    assert offered == ["Kies een aanbieder", "Aanbieder 13063077", "Aanbieder 83058805"]
    assert Referral.objects.count() == 0
    ok = client.post("/verwijzingen/registreren/",
                     form_data(providers, provider=providers["83058805"].pk))  # fmt: skip
    assert ok.status_code == 302
    referral = Referral.objects.get()
    # A subcontractor delivers; the contract holder is its main contractor (INDICATORS.md).
    assert referral.provider.agb_code == "83058805" and referral.contractor.agb_code == "13063077"


@pytest.mark.parametrize(
    "overrides, field, message",
    [({"district": "WK034405"}, "provider", contract_rule.NO_CONTRACT_IN_WIJK),
     ({"provider": "28073946"}, "provider", contract_rule.PROVIDER_NOT_CONTRACTED),
     ({"provider": "83058805", "contractor": "83058805"}, "contractor",
      contract_rule.CONTRACTOR_NOT_HOLDER),
     ({"provider": "13063077", "contractor": "98094829"}, "contractor",
      contract_rule.CONTRACTOR_NOT_HOLDER)],
)  # fmt: skip
def test_contract_rule_on_the_form(client_for, contracts, providers, overrides, field, message):
    """WK034405 lies outside every dagbegeleiding contract; 28073946's subcontract covers only
    WK034401; a subcontractor or an outsider holds no contract."""
    values = {k: District.objects.get(code=v).pk if k == "district" else providers[v].pk
              for k, v in overrides.items()}  # fmt: skip
    response = client_for("buurtteam_worker", team_code="BT05").post(
        "/verwijzingen/registreren/", form_data(providers, **values)
    )
    assert response.status_code == 200
    label = response.context["form"].fields[field].label
    assert f"{label}: {message}" in field_error(response, f"id_{field}")
    assert "Er is niets opgeslagen" in response.content.decode()
    assert Referral.objects.count() == 0 and ReferralClient.objects.count() == 0


def test_contract_errors_shown_with_other_errors(client_for, contracts, providers):
    response = client_for("buurtteam_worker", team_code="BT05").post(
        "/verwijzingen/registreren/",
        form_data(providers, bsn="111222334", provider=providers["98094829"].pk),
    )
    assert set(response.context["form"].errors) == {"bsn", "provider"}


def test_list_query_counts(client_for, make_referral, django_assert_max_num_queries):
    for _ in range(8):
        make_referral()
    client = client_for("contract_manager")
    # Whatever the number of rows: the reference tables shown (wijk, gemeente, voorziening,
    # team) are a query each, not a join (ReferralQuerySet.with_details says why).
    with django_assert_max_num_queries(17):  # 12 + the norms valid today + 4 reference tables
        assert client.get("/verwijzingen/?groepeer=wijk").status_code == 200
    with django_assert_max_num_queries(9):  # 5 + 4 reference tables
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
    provider_labels = {
        option["label"] for option in client.get(url, {"keuzes": "1"}).json()["provider"]
    }
    assert "Aanbieder 13063077" in provider_labels


@pytest.mark.parametrize("role", ["contract_manager", "council_member"])
def test_choices_need_register_capability(client_for, db, role):
    response = client_for(role).get("/verwijzingen/registreren/?keuzes=1")
    assert response.status_code == 403


# --- date rules through the pages ---------------------------------------------------------------

TRANSITION_RULES = [
    # (set up, action, posted, Dutch message next to the action's date field)
    ({}, "starten", {"date": "01-01-2099"}, "De startdatum ligt in de toekomst."),
    ({}, "toewijzen", {"date": "01-01-2099"}, "De toewijzingsdatum ligt in de toekomst."),
    ({}, "annuleren", {"date": "01-03-2026"}, "De annuleringsdatum ligt vóór de verwijsdatum."),
    ({}, "annuleren", {"date": "01-01-2099"}, "De annuleringsdatum ligt in de toekomst."),
    ({"start_date": D(2026, 3, 4)}, "beeindigen", {"date": "03-03-2026", "end_reason": "19"},
     "De einddatum ligt vóór de startdatum."),
    ({"start_date": D(2026, 3, 4)}, "beeindigen", {"date": "01-01-2099", "end_reason": "19"},
     "De einddatum ligt in de toekomst."),
    ({"start_date": D(2026, 3, 4)}, "annuleren", {"date": "05-03-2026"},
     "Alleen een verwijzing die nog niet is gestart kan worden geannuleerd."),
]  # fmt: skip
FIELD_OF = {"starten": "start", "toewijzen": "assign", "annuleren": "cancel", "beeindigen": "end"}
DATES = ["assignment_date", "start_date", "end_date", "end_reason", "cancelled_date"]


@pytest.mark.parametrize("setup, action, posted, message", TRANSITION_RULES)
def test_transition_date_rules_on_the_page(client_for, make_referral, setup, action, posted,
                                           message):  # fmt: skip
    referral = make_referral(team_code="BT05", **setup)
    before = Referral.objects.filter(pk=referral.pk).values(*DATES).get()
    worker = client_for("buurtteam_worker", team_code="BT05")
    response = worker.post(f"/verwijzingen/{referral.external_id}/{action}/", posted)
    assert response.status_code == 400
    assert field_error(response, f"id_{FIELD_OF[action]}_date") == f"Datum: {message}"
    assert Referral.objects.filter(pk=referral.pk).values(*DATES).get() == before
    assert referral.events.count() == 1


CASE_RULES = [
    ({"registration_date": "01-01-2099", "first_contact_date": ""}, "registration_date",
     "Aanmelddatum: De aanmelddatum ligt in de toekomst."),
    ({"first_contact_date": "01-01-2099"}, "first_contact_date",
     "Datum eerste contact: De datum van eerste contact ligt in de toekomst."),
    ({"closed_date": "01-01-2099"}, "closed_date", "Afsluitdatum: De afsluitdatum ligt in de toekomst."),
    ({"closed_date": "01-03-2026"}, "closed_date",
     "Afsluitdatum: De afsluitdatum ligt vóór de aanmelddatum."),
    ({"first_contact_date": "01-03-2026"}, "first_contact_date",
     "Datum eerste contact: De datum van eerste contact ligt vóór de aanmelddatum."),
]  # fmt: skip


@pytest.mark.parametrize("overrides, field, message", CASE_RULES)
def test_case_date_rules_on_the_page(client_for, db, overrides, field, message):
    client = client_for("buurtteam_worker", team_code="BT05")
    data = {**case_data(), **overrides}
    response = client.post("/verwijzingen/casussen/registreren/", data)
    assert response.status_code == 200
    assert field_error(response, f"id_{field}") == message
    assert "Er is niets opgeslagen" in response.content.decode()
    assert BuurtteamCase.objects.count() == 0 and ReferralClient.objects.count() == 0


def case_data(**overrides):
    from districts.models import Buurtteam

    return {"bsn": VALID_BSN, "district": District.objects.get(code="WK034403").pk,
            "buurtteam": Buurtteam.objects.get(code="BT05").pk, "registration_date": "02-03-2026",
            "first_contact_date": "04-03-2026", "support_form": "group",
            "idempotency_key": "6f1c1c3e-8c1a-4d59-9d1e-0f4b6b0a1a12", **overrides}  # fmt: skip


# --- idempotency, caching, cost ------------------------------------------------------------------


def test_resubmitted_form_with_other_data_is_not_the_old_referral(client_for, providers):
    client = client_for("buurtteam_worker", team_code="BT05")
    first = client.post("/verwijzingen/registreren/", form_data(providers))
    assert first.status_code == 302
    changed = client.post("/verwijzingen/registreren/", form_data(providers, bsn="123456782"))
    assert changed.status_code == 200
    assert "Dit formulier was al verstuurd, met andere gegevens." in changed.content.decode()
    assert Referral.objects.count() == 1
    renewed = changed.context["form"]["idempotency_key"].value()
    assert renewed != form_data(providers)["idempotency_key"]
    again = client.post("/verwijzingen/registreren/",
                        form_data(providers, bsn="123456782", idempotency_key=renewed))  # fmt: skip
    assert again.status_code == 302 and again.url != first.url
    assert Referral.objects.count() == 2 and ReferralClient.objects.count() == 2


def test_case_resubmitted_with_other_data(client_for, db):
    client = client_for("buurtteam_worker", team_code="BT05")
    assert client.post("/verwijzingen/casussen/registreren/", case_data()).status_code == 302
    changed = client.post("/verwijzingen/casussen/registreren/", case_data(support_form="blended"))
    assert changed.status_code == 200 and "met andere gegevens" in changed.content.decode()
    assert BuurtteamCase.objects.count() == 1


@pytest.mark.parametrize(
    "url", ["/verwijzingen/registreren/", "/verwijzingen/casussen/registreren/"]
)
def test_registration_forms_are_not_stored(client_for, db, url):
    client = client_for("buurtteam_worker", team_code="BT05")
    assert "no-store" in client.get(url)["Cache-Control"]
    invalid = client.post(url, {"bsn": "111222334"})
    assert invalid.status_code == 200 and "no-store" in invalid["Cache-Control"]


@pytest.mark.parametrize("provider, most", [("13063077", 14), ("83058805", 15)])
def test_registration_post_is_a_few_indexed_queries(client_for, contracts, providers, provider,
                                                    most):  # fmt: skip
    """Session, user, roles, team; wijk, voorziening, aanbieder; the contracts (and for a
    subcontractor its subcontract); then client, referral, event and audit line in one
    savepoint. Nothing reads the referrals table: the unique idempotency key decides on the
    insert itself."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("buurtteam_worker", team_code="BT05")
    data = form_data(providers, provider=providers[provider].pk)
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/verwijzingen/registreren/", data)
    assert response.status_code == 302
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) <= most, "\n".join(statements)
    on_referrals = [sql for sql in statements if '"referrals_referral"' in sql]
    assert len(on_referrals) == 1 and on_referrals[0].startswith("INSERT"), on_referrals
    assert Referral.objects.get().contractor.agb_code == "13063077"


def test_choice_lists_only_on_the_referral_form(client_for, db):
    client = client_for("buurtteam_worker", team_code="BT05")
    referral_form = client.get("/verwijzingen/registreren/").content.decode()
    assert 'data-choices-url="/verwijzingen/registreren/?keuzes=1"' in referral_form
    assert "js/referral-form.js" in referral_form
    case_form = client.get("/verwijzingen/casussen/registreren/").content.decode()
    assert "data-choices-url" not in case_form and "referral-form.js" not in case_form
    assert 'id="keuzes-bijgewerkt"' not in case_form


# --- privacy --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/verwijzingen/registreren/", "/verwijzingen/casussen/registreren/"]
)
def test_bsn_stays_out_of_error_reports(monkeypatch, user_for, providers, url):
    from django.views.debug import ExceptionReporter

    from wmo.referrals import services

    def broken(*args, **kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(services, "record_event", broken)
    monkeypatch.setattr(services.BuurtteamCase, "save", broken)
    client = Client(raise_request_exception=False)
    client.force_login(user_for("buurtteam_worker", team_code="BT05"))
    data = form_data(providers) if "casussen" not in url else case_data()
    response = client.post(url, data)
    assert response.status_code == 500
    reporter = ExceptionReporter(response.wsgi_request, *response.exc_info)
    text, html = reporter.get_traceback_text(), reporter.get_traceback_html()
    assert "schijf vol" in text and "register_" in text  # the report is there ...
    assert VALID_BSN not in text and VALID_BSN not in html  # ... without the BSN
    assert "bsn = '********************'" in text


def test_admin_change_view_writes_audit_row(make_referral, db):
    from django.contrib.auth import get_user_model

    referral = make_referral()
    case = BuurtteamCase.objects.create(
        external_id="C-ADMIN", client=referral.client, district=referral.district,
        buurtteam=referral.team, registration_date=D(2026, 3, 2), support_form="group",
    )  # fmt: skip
    admin = get_user_model().objects.create_superuser("beheer", password="x-Geheim-1")
    client = Client()
    client.force_login(admin)
    for obj, url in [(referral, f"/beheer/referrals/referral/{referral.pk}/change/"),
                     (case, f"/beheer/referrals/buurtteamcase/{case.pk}/change/")]:  # fmt: skip
        assert client.get(url).status_code == 200
        rows = AuditEntry.objects.filter(object_pk=str(obj.pk), action=AuditEntry.Action.ACCESS,
                                         content_type__model=obj._meta.model_name)  # fmt: skip
        assert [(row.actor, row.record_ids) for row in rows] == [(admin, [obj.external_id])]
    assert client.get("/beheer/referrals/referral/").status_code == 200
    # The list shows a page of referrals: one line naming them.
    shown = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).latest("id")
    assert (shown.actor, shown.record_ids, shown.path) == (
        admin, [referral.external_id], "/beheer/referrals/referral/")  # fmt: skip


def selected_option(response, name: str) -> list[str]:
    """The option(s) the re-rendered form has selected in the <select name=`name`>."""
    import re

    select = re.search(rf'<select name="{name}".*?</select>', response.content.decode(), re.S)[0]
    return re.findall(r'<option value="(\d+)"[^>]*selected', select)


@pytest.mark.parametrize("day", ["01-01-2099", "31-12-2014", "31-02-2026"])
def test_a_date_error_keeps_the_chosen_provider(client_for, providers, contracts, day):
    # Before: the lists were narrowed to the contracts on the refused date (none in 2099), so
    # the form came back without the provider the worker had chosen.
    client = client_for("buurtteam_worker", team_code="BT05")
    chosen = providers["83058805"]  # a subcontractor: delivers for 13063077
    response = client.post("/verwijzingen/registreren/", form_data(
        providers, referral_date=day, provider=chosen.pk, contractor=providers["13063077"].pk,
    ))  # fmt: skip
    assert response.status_code == 200 and "referral_date" in response.context["form"].errors
    assert selected_option(response, "provider") == [str(chosen.pk)]
    assert selected_option(response, "contractor") == [str(providers["13063077"].pk)]
    assert selected_option(response, "service_type") == [
        str(ServiceType.objects.get(code="dagbegeleiding").pk)
    ]


def test_a_referral_before_the_wmo_2015_is_refused(client_for, providers):
    # The same limit as every imported date (INTERCHANGE.md): not before 01-01-2015.
    client = client_for("buurtteam_worker", team_code="BT05")
    response = client.post("/verwijzingen/registreren/", form_data(providers,
                                                                   referral_date="31-12-2014"))  # fmt: skip
    assert field_error(response, "id_referral_date") == (
        "Verwijsdatum: De verwijsdatum ligt vóór 01-01-2015, toen de Wmo 2015 inging."
    )
    assert Referral.objects.count() == 0
    assert client.post("/verwijzingen/registreren/", form_data(
        providers, referral_date="01-01-2015")).status_code == 302  # fmt: skip


def test_an_account_without_a_buurtteam_registers_no_referral(client_for, providers):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("beheerder", password="x-Geheim-1")
    client = Client()
    client.force_login(admin)
    response = client.post("/verwijzingen/registreren/", form_data(providers))
    assert response.status_code == 200
    assert ("Alleen een medewerker van een buurtteam kan een verwijzing registreren: uw account "
            "hoort bij geen buurtteam.") in response.content.decode()  # fmt: skip
    api = client.post("/api/v1/verwijzingen", content_type="application/json", data={
        "bsn": VALID_BSN, "wijkCode": "WK034403", "voorziening": "dagbegeleiding",
        "aanbiederAgb": "13063077", "verwijsdatum": "2026-03-02",
    })  # fmt: skip
    assert api.status_code == 400, api.content
    assert "uw account hoort bij geen buurtteam" in str(api.json())
    assert Referral.objects.count() == 0


def test_waiting_list_in_english_gives_the_verdict_in_english(client_for, make_referral, settings):
    # Before: the verdict came from wmo.referrals.waiting in Dutch on the English page.
    today = timezone.localdate()
    longest = make_referral(team_code="BT05", referral_date=today - datetime.timedelta(days=30))
    worker = client_for("buurtteam_worker", team_code="BT05")
    worker.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = worker.get("/verwijzingen/").content.decode()
    rows = table_rows(body, "wachtlijst")
    assert [(row[0], row[8]) for row in rows] == [(longest.external_id, "30 (above the norm)")]
    assert "boven de norm" not in body


def test_a_contract_that_starts_later_is_named_with_how_to_prepare(client_for, contracts,
                                                                   providers):  # fmt: skip
    """The 2027 contractor during the implementation period (TRANSITION.md): refused on the
    referral date as before, now with the day its contract starts and the import as the way to
    prepare a successor before then."""
    from providers.models import Contract

    later = Contract.objects.create(
        reference="DB-2027", name="Dagbegeleiding 2027", contractor=providers["98094829"],
        instrument="public_contract", financing="lump_sum",
        start_date=datetime.date(2026, 4, 1), end_date=datetime.date(2027, 12, 31),
    )  # fmt: skip
    later.service_types.add(ServiceType.objects.get(code="dagbegeleiding"))
    later.districts.add(District.objects.get(code="WK034403"))
    response = client_for("buurtteam_worker", team_code="BT05").post(
        "/verwijzingen/registreren/", form_data(providers, provider=providers["98094829"].pk)
    )
    assert response.status_code == 200
    error = field_error(response, "id_provider")
    assert contract_rule.PROVIDER_NOT_CONTRACTED in error
    assert "Het contract gaat in op 01-04-2026: registreer de verwijzing vanaf die dag" in error
    assert "kolom previous_referral_id" in error
    assert Referral.objects.count() == 0
    # Another outsider without any contract gets the refusal alone.
    other = client_for("buurtteam_worker", team_code="BT05").post(
        "/verwijzingen/registreren/", form_data(providers, provider=providers["28073946"].pk,
                                                district=District.objects.get(code="WK034403").pk,
                                                service_type=ServiceType.objects.get(
                                                    code="dagbegeleiding").pk)
    )  # fmt: skip
    assert "Het contract gaat in" not in field_error(other, "id_provider")

"""The audit trail of person-level data (issue 14, Privacy): every view, registration, transition,
import and export writes one line with the right user, action, records and address."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from wmo.accounts.models import AuditEntry
from wmo.referrals.models import BuurtteamCase, Referral

from .conftest import CASES_CSV, REFERRALS_CSV
from .test_api import NEW, post
from .test_case_steps import _case
from .test_pages import form_data

A = AuditEntry.Action
FORWARDED = {"HTTP_X_FORWARDED_FOR": "203.0.113.66, 198.51.100.7", "REMOTE_ADDR": "10.0.0.2"}


def lines(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


def only(**filters) -> AuditEntry:
    found = lines(**filters)
    assert len(found) == 1, [(e.get_action_display(), e.object_repr) for e in found]
    return found[0]


@pytest.fixture
def worker(user_for):
    user = user_for("buurtteam_worker", username="werker5", team_code="BT05")
    client = Client()
    client.force_login(user)
    return user, client


# --- registration and transitions -------------------------------------------------------------


@override_settings(NUM_PROXIES=1)
def test_registration_page_writes_a_creation_with_the_proxied_address(worker, providers):
    user, client = worker
    response = client.post("/verwijzingen/registreren/", form_data(providers), **FORWARDED)
    assert response.status_code == 302
    referral = Referral.objects.get()
    line = only(action=A.CREATE)
    assert (line.actor, line.actor_username, line.content_type.model, line.record_ids) == (
        user, "werker5", "referral", [referral.external_id])  # fmt: skip
    # The proxy's own entry (right-most) is the client; the left one is what the client sent.
    assert (line.remote_addr, line.path) == ("198.51.100.7", "/verwijzingen/registreren/")
    assert line.additional_data == {"bron": "form"}


def test_forwarded_for_is_ignored_without_a_trusted_proxy(worker, providers):
    _, client = worker
    client.post("/verwijzingen/registreren/", form_data(providers), **FORWARDED)
    assert only(action=A.CREATE).remote_addr == "10.0.0.2"


def test_api_registration_with_a_token_names_the_token_user(user_for, providers):
    user = user_for("buurtteam_worker", username="koppeling5", team_code="BT05")
    client = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    response = post(client, "/api/v1/verwijzingen", NEW)
    assert response.status_code == 201, response.content
    line = only(action=A.CREATE)
    assert (line.actor_username, line.record_ids, line.path, line.additional_data) == (
        "koppeling5", [response.json()["verwijzingId"]], "/api/v1/verwijzingen", {"bron": "api"})  # fmt: skip
    assert line.remote_addr == "127.0.0.1"


def test_a_refused_registration_writes_no_line(worker, providers):
    _, client = worker
    response = client.post("/verwijzingen/registreren/", form_data(providers, bsn="111222334"))
    assert response.status_code == 200
    assert AuditEntry.objects.count() == 0


def test_case_registration_page_writes_a_creation(worker):
    _, client = worker
    form = client.get("/verwijzingen/casussen/registreren/").context["form"]
    data = {"bsn": "111222333", "district": form.fields["district"].queryset.get(code="WK034403").pk,
            "buurtteam": form.fields["buurtteam"].queryset.get().pk,
            "registration_date": "02-03-2026", "support_form": "group",
            "idempotency_key": "6f1c1c3e-8c1a-4d59-9d1e-0f4b6b0a1a12"}  # fmt: skip
    assert client.post("/verwijzingen/casussen/registreren/", data).status_code == 302
    case = BuurtteamCase.objects.get()
    line = only(action=A.CREATE)
    assert (line.actor_username, line.content_type.model, line.record_ids) == (
        "werker5", "buurtteamcase", [case.external_id])  # fmt: skip


def test_transitions_on_page_and_api_write_changes(worker, make_referral):
    user, client = worker
    referral = make_referral(team_code="BT05")
    assert client.post(f"/verwijzingen/{referral.external_id}/starten/",
                       {"date": "04-03-2026"}).status_code == 302  # fmt: skip
    response = post(client, f"/api/v1/verwijzingen/{referral.external_id}/beeindigingen",
                    {"datum": "2026-03-05", "redenBeeindiging": "19"})  # fmt: skip
    assert response.status_code == 201
    started, ended = lines(action=A.UPDATE)
    assert (started.actor, started.record_ids, started.changes, started.additional_data) == (
        user, [referral.external_id], {"start_date": [None, "2026-03-04"]},
        {"overgang": "start", "bron": "form"})  # fmt: skip
    assert ended.changes == {"end_date": [None, "2026-03-05"], "end_reason": ["", "19"]}
    assert ended.path == f"/api/v1/verwijzingen/{referral.external_id}/beeindigingen"
    assert ended.additional_data == {"overgang": "end", "bron": "api"}


def test_a_refused_transition_writes_no_change(worker, make_referral):
    _, client = worker
    referral = make_referral(team_code="BT05")
    response = client.post(f"/verwijzingen/{referral.external_id}/starten/", {"date": "01-03-2026"})
    assert response.status_code == 400
    assert lines(action=A.UPDATE) == []


# --- views ----------------------------------------------------------------------------------


def test_list_pages_and_answers_name_the_records_shown(client_for, make_referral):
    referrals = [make_referral() for _ in range(3)]
    ids = {r.external_id for r in referrals}
    client = client_for("contract_manager", username="accounthouder")
    assert client.get("/verwijzingen/").status_code == 200
    assert client.get("/api/v1/verwijzingen?paginaGrootte=2").status_code == 200
    page, answer = lines(action=A.ACCESS)
    assert (page.actor_username, page.path, set(page.record_ids), page.record_count) == (
        "accounthouder", "/verwijzingen/", ids, 3)  # fmt: skip
    assert page.object_repr == "3 verwijzingen"
    assert len(answer.record_ids) == 2 and set(answer.record_ids) < ids


def test_lines_are_dutch_whatever_language_the_viewer_chose(worker, make_referral):
    """A tester found "2 referrals" next to "23 verwijzingen": the label was translated into the
    viewer's language while the request was handled."""
    _, client = worker
    referrals = [make_referral(team_code="BT05") for _ in range(2)]
    _case(), _case()
    client.cookies["django_language"] = "en"
    html = client.get("/verwijzingen/").content.decode()
    assert '<html lang="en"' in html
    assert client.get(f"/verwijzingen/{referrals[0].external_id}/").status_code == 200
    assert client.get("/verwijzingen/casussen/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    page, detail, cases = lines(action=A.ACCESS)
    assert page.object_repr == "2 verwijzingen"
    assert detail.object_repr == f"Verwijzing {referrals[0].external_id}"
    assert cases.object_repr == "2 buurtteamcasussen"


def test_an_empty_list_writes_no_line(client_for, db):
    assert client_for("contract_manager").get("/api/v1/verwijzingen").status_code == 200
    assert AuditEntry.objects.count() == 0


# --- imports ----------------------------------------------------------------------------------


def upload(client, url, name, text, **data):
    """An upload through its job (run in-process once the request commits, as without a
    broker); the job's own page answers."""
    file = SimpleUploadedFile(name, text.encode())
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"file": file, **data})
    assert response.status_code == 302, response.content[:300]
    return client.get(response["Location"])


def test_upload_of_n_referrals_is_one_line_naming_them(client_for, providers):
    client = client_for("contract_manager", username="importeur")
    upload(client, "/verwijzingen/importeren/", "verwijzingen.csv", REFERRALS_CSV)
    line = only(action=A.IMPORT)
    expected = ["R00000", "R00001", "R00002", "R00003", "R00004", "R00007"]
    assert (line.actor_username, line.content_type.model, line.record_ids, line.record_count) == (
        "importeur", "referral", expected, 6)  # fmt: skip
    assert line.additional_data == {"bestand": "verwijzingen.csv", "aangemaakt": 6,
                                    "gewijzigd": 0, "ongewijzigd": 0}  # fmt: skip
    # The job imports after the request: the uploader's address travels with the job.
    assert line.remote_addr == "127.0.0.1"
    # A second file changing one referral: created first, then changed, counted apart.
    changed = REFERRALS_CSV.replace("R00002,717429246,WK034402,dagbegeleiding,98094829,98094829,"
                                    "2026-09-30,,,,2026-10-01",
                                    "R00002,717429246,WK034402,dagbegeleiding,98094829,98094829,"
                                    "2026-09-30,,,,2026-10-02") + "R00099,111222333,WK034403,"  # fmt: skip
    changed += "dagbegeleiding,13063077,,2026-03-02,,,,,nee\n"
    upload(client, "/verwijzingen/importeren/", "tweede.csv", changed)
    second = lines(action=A.IMPORT)[1]
    assert second.record_ids == ["R00099", "R00002"]
    assert second.additional_data == {"bestand": "tweede.csv", "aangemaakt": 1, "gewijzigd": 1,
                                      "ongewijzigd": 5}  # fmt: skip


def test_failed_or_dry_run_imports_write_no_line(client_for, providers):
    client = client_for("contract_manager")
    page = upload(
        client, "/verwijzingen/casussen/importeren/", "c.csv", CASES_CSV.replace("BT15", "BT99")
    )
    assert "Onbekende buurtteamcode" in page.content.decode()
    upload(client, "/verwijzingen/importeren/", "v.csv", REFERRALS_CSV, dry_run="on")
    assert lines(action=A.IMPORT) == []


def test_case_import_by_command_names_the_system_account(tmp_path, db):
    path = tmp_path / "casussen.csv"
    path.write_text(CASES_CSV)
    call_command("import_cases", str(path), stdout=io.StringIO())
    line = only(action=A.IMPORT)
    assert line.record_ids == ["C00000", "C00001", "C00005", "C00007"]
    assert line.actor is None and line.actor_username.startswith("systeem")
    assert (line.remote_addr, line.path) == (None, "")


# --- exports ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_waiting_list_export_names_every_exported_record(client_for, make_referral, kind):
    for _ in range(3):
        make_referral()
    make_referral(team_code="BT01")
    client = client_for("contract_manager", username="exporteur")
    response = client.get(f"/verwijzingen/?wijk=WK034403&formaat={kind}")
    assert response.status_code == 200
    if kind == "csv":
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        exported = [row[0] for row in csv.reader(io.StringIO(content), delimiter=";")][1:]
    else:
        book = load_workbook(io.BytesIO(response.content))
        exported = [row[0] for row in book.active.values][1:]
    line = only(action=A.EXPORT)
    assert len(exported) == 4 and line.record_ids == exported  # in the file's order
    assert (line.actor_username, line.record_count, line.additional_data) == (
        "exporteur", 4, {"formaat": kind})  # fmt: skip
    assert line.path == f"/verwijzingen/?wijk=WK034403&formaat={kind}"


def test_a_workers_export_names_only_their_teams_records(client_for, make_referral):
    own = make_referral(team_code="BT05")
    make_referral(team_code="BT01")
    response = client_for("buurtteam_worker", team_code="BT05").get("/verwijzingen/?formaat=csv")
    b"".join(response.streaming_content)
    assert only(action=A.EXPORT).record_ids == [own.external_id]


# --- admin and accounts -----------------------------------------------------------------------


def test_admin_deletion_is_a_line_and_the_user_name_outlives_the_account(make_referral, db):
    admin = get_user_model().objects.create_superuser("beheerder", password="x-Geheim-1")
    client = Client()
    client.force_login(admin)
    referral = make_referral()
    response = client.post(f"/beheer/referrals/referral/{referral.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Referral.objects.exists()
    line = only(action=A.DELETE)
    assert (line.actor_username, line.record_ids) == ("beheerder", [referral.external_id])
    # Removing the account neither fails on the append-only trail nor rewrites its lines.
    client.logout()
    admin_id = admin.pk
    admin.delete()
    line = AuditEntry.objects.get(pk=line.pk)
    assert (line.actor_id, line.actor_username) == (admin_id, "beheerder")

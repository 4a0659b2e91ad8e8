"""Successors (`previous_referral_id`) and pilot referrals (TRANSITION.md): form, API, import."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError

from districts.models import Buurtteam, District
from tests.access import ROLES, Access, call
from wmo.accounts.models import AuditEntry
from wmo.catalogue.models import ServiceType
from wmo.referrals import rules
from wmo.referrals.imports import ReferralImporter
from wmo.referrals.models import Referral
from wmo.referrals.services import register_referral

from .conftest import HEADER, VALID_BSN
from .test_pages import form_data

D = datetime.date
OTHER_BSN = "123456782"
API = "/api/v1/verwijzingen"


def register(providers, bsn=VALID_BSN, **kwargs):
    kwargs.setdefault("referral_date", D(2026, 3, 2))
    kwargs.setdefault("service_type", ServiceType.objects.get(code="dagbegeleiding"))
    return register_referral(
        user=None, bsn=bsn, district=District.objects.get(code="WK034403"),
        provider=providers["13063077"], team=Buurtteam.objects.get(code="BT05"), **kwargs,
    )  # fmt: skip


def test_successor_same_client_one_successor(providers):
    first = register(providers)
    second = register(providers, previous_id=first.external_id)
    assert second.previous == first and first.successor == second
    with pytest.raises(ValidationError) as refused:
        register(providers, previous_id=first.external_id)
    assert refused.value.message_dict["previous"] == [
        f"De vorige verwijzing {first.external_id} heeft al een opvolger: {second.external_id}."
    ]
    with pytest.raises(ValidationError) as other:
        register(providers, bsn=OTHER_BSN, previous_id=second.external_id)
    assert "hoort bij een andere cliënt" in other.value.message_dict["previous"][0]
    with pytest.raises(ValidationError) as unknown:
        register(providers, previous_id="V-NOPE")
    assert unknown.value.message_dict["previous"] == ["De vorige verwijzing V-NOPE is onbekend."]
    assert Referral.objects.count() == 2


def test_model_clean_checks_succession(providers):
    first = register(providers)
    stranger = register(providers, bsn=OTHER_BSN)
    stranger.previous = first
    with pytest.raises(ValidationError) as refused:
        stranger.full_clean()
    assert "previous" in refused.value.message_dict


def test_pilot_rule():
    bt = ServiceType(code="beschermd_thuis")
    other = ServiceType(code="dagbegeleiding")
    assert rules.pilot_errors(True, bt, D(2027, 1, 1)) == {}
    assert rules.pilot_errors(True, bt, D(2028, 12, 31)) == {}
    assert rules.pilot_errors(False, other, D(2026, 1, 1)) == {}
    for service, day in [(bt, D(2026, 12, 31)), (bt, D(2029, 1, 1)), (other, D(2027, 6, 1))]:
        assert rules.pilot_errors(True, service, day) == {"pilot": rules.PILOT_NOT_ALLOWED}


def test_pilot_registration(providers, monkeypatch):
    with pytest.raises(ValidationError) as refused:
        register(providers, pilot=True)
    assert refused.value.message_dict["pilot"] == [rules.PILOT_NOT_ALLOWED]
    monkeypatch.setattr(rules, "today", lambda: D(2027, 3, 1))
    service = ServiceType.objects.get(code="beschermd_thuis")
    referral = register(providers, pilot=True, service_type=service, referral_date=D(2027, 2, 1))
    assert referral.pilot is True


def test_form_previous_and_pilot(client_for, providers):
    first = register(providers)
    client = client_for("buurtteam_worker", team_code="BT05")
    refused = client.post("/verwijzingen/registreren/", form_data(providers, pilot="on"))
    assert rules.PILOT_NOT_ALLOWED in refused.content.decode()
    data = form_data(providers, previous_id=first.external_id,
                     idempotency_key=str(uuid.uuid4()))  # fmt: skip
    response = client.post("/verwijzingen/registreren/", data)
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.successor.pk != first.pk
    again = client.post("/verwijzingen/registreren/",
                        form_data(providers, previous_id=first.external_id,
                                  idempotency_key=str(uuid.uuid4())))  # fmt: skip
    assert "heeft al een opvolger" in again.content.decode()


def test_api_previous_and_pilot(client_for, providers):
    first = register(providers)
    client = client_for("buurtteam_worker", team_code="BT05")
    new = {"bsn": VALID_BSN, "wijkCode": "WK034403", "voorziening": "dagbegeleiding",
           "aanbiederAgb": "13063077", "verwijsdatum": "2026-03-02"}  # fmt: skip
    response = client.post(API, {**new, "vorigeVerwijzingId": first.external_id},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["vorigeVerwijzingId"] == first.external_id
    assert response.json()["pilot"] is False
    again = client.post(API, {**new, "vorigeVerwijzingId": first.external_id},
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 400
    names = [p["name"] for p in again.json()["invalidParams"]]
    assert names == ["vorigeVerwijzingId"]
    pilot = client.post(API, {**new, "pilot": True}, content_type="application/json")
    assert [p["name"] for p in pilot.json()["invalidParams"]] == ["pilot"]


SUCCESSION_HEADER = HEADER + ",previous_referral_id,pilot"


def csv(*rows):
    return (SUCCESSION_HEADER + "\n" + "\n".join(rows) + "\n").encode()


OLD = "S1,111222333,WK034403,dagbegeleiding,13063077,,2026-01-05,2026-01-10,,,,nee,,"
NEW_ROW = "S2,111222333,WK034403,dagbegeleiding,13063077,,2026-06-01,,,,,nee,S1,nee"


def test_import_links_in_file_and_stored(providers):
    result = ReferralImporter().run(csv(OLD, NEW_ROW))
    assert result.ok, result.report
    assert Referral.objects.get(external_id="S2").previous.external_id == "S1"
    again = ReferralImporter().run(csv(OLD, NEW_ROW))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    stored = ReferralImporter().run(
        csv("S3,111222333,WK034403,dagbegeleiding,13063077,,2026-06-01,,,,,nee,S2,")
    )
    assert stored.ok, stored.report
    assert Referral.objects.get(external_id="S3").previous.external_id == "S2"
    # A file without the column keeps the links.
    plain = (HEADER + "\n" + ",".join(NEW_ROW.split(",")[:12]) + "\n").encode()
    assert ReferralImporter().run(plain).ok
    assert Referral.objects.get(external_id="S2").previous.external_id == "S1"


@pytest.mark.parametrize(
    "rows, message",
    [([NEW_ROW, OLD], "De vorige verwijzing S1 is onbekend."),
     ([OLD, NEW_ROW.replace("111222333", "123456782")], "hoort bij een andere cliënt"),
     ([OLD, NEW_ROW, NEW_ROW.replace("S2", "S3", 1)], "heeft al een opvolger: S2"),
     ([NEW_ROW.replace(",S1,", ",S2,")], "niet haar eigen vorige verwijzing"),
     ([OLD.replace(",nee,,", ",nee,,ja")], "Beschermd Thuis")],
)  # fmt: skip
def test_import_refuses_bad_successions(providers, rows, message):
    result = ReferralImporter().run(csv(*rows))
    assert not result.ok
    assert any(message in p.message for p in result.problems), result.report
    assert not Referral.objects.exists()


def test_a_file_that_only_links_a_predecessor_counts_the_row_as_changed(providers):
    unlinked = NEW_ROW.replace(",S1,", ",,")
    assert ReferralImporter().run(csv(OLD, unlinked)).ok
    checked = ReferralImporter().run(csv(OLD, NEW_ROW), dry_run=True)
    assert (checked.created, checked.updated, checked.unchanged) == (0, 1, 1)
    result = ReferralImporter().run(csv(OLD, NEW_ROW))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Referral.objects.get(external_id="S2").previous.external_id == "S1"
    again = ReferralImporter().run(csv(OLD, NEW_ROW))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_import_refuses_second_successor_of_stored(providers):
    assert ReferralImporter().run(csv(OLD, NEW_ROW)).ok
    result = ReferralImporter().run(csv(NEW_ROW.replace("S2", "S9", 1)))
    assert [p.column for p in result.problems] == ["previous_referral_id"]
    assert "heeft al een opvolger: S2" in result.problems[0].message


# --- contracts in force: import warnings ---------------------------------------------------------


def test_import_warns_about_referrals_without_contract(contracts, providers):
    """The contract (13063077, dagbegeleiding) runs 2025–2027: a 2024 row is saved, with a
    warning naming the contractor and the date; a 2026 row is not warned about."""
    rows = ["H1,111222333,WK034403,dagbegeleiding,13063077,,2024-05-06,,,,,nee,,",
            "H2,111222333,WK034403,dagbegeleiding,13063077,,2026-05-06,,,,,nee,,"]  # fmt: skip
    result = ReferralImporter().run(csv(*rows))
    assert result.ok and result.created == 2
    assert [(w.line, w.column) for w in result.warnings] == [(2, "contractor_agb")]
    assert result.warnings[0].message == (
        "Opdrachtnemer Aanbieder 13063077 (AGB 13063077) heeft op 06-05-2024 geen contract voor "
        "Dagbegeleiding."
    )
    assert "Waarschuwingen (1; deze rijen zijn wel opgeslagen):" in result.report
    checked = ReferralImporter().run(csv(*[row.replace("H", "J", 1) for row in rows]), dry_run=True)
    assert "Waarschuwingen (1; deze rijen worden bij een import wel opgeslagen):" in checked.report


WITHOUT = "/verwijzingen/zonder-contract/"
MATRIX = [
    Access("GET", WITHOUT, {"anonymous": 302, "buurtteam_worker": 403, "contract_manager": 200,
                            "council_member": 403}),
    Access("GET", f"{WITHOUT}?formaat=csv", {"anonymous": 302, "buurtteam_worker": 403,
                                             "contract_manager": 200, "council_member": 403}),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_without_contract_matrix(client_for, db, row, role):
    assert call(client_for(role), row).status_code == row.expected[role]


def test_without_contract_list_and_download(client_for, contracts, providers):
    rows = ["H1,111222333,WK034403,dagbegeleiding,13063077,,2024-05-06,,,,,nee,,",
            "H2,111222333,WK034403,dagbegeleiding,13063077,,2026-05-06,,,,,nee,,"]  # fmt: skip
    assert ReferralImporter().run(csv(*rows)).ok
    client = client_for("contract_manager")
    html = client.get(WITHOUT).content.decode()
    assert ">H1<" in html and ">H2<" not in html
    lines = client.get(f"{WITHOUT}?formaat=csv").content.decode().splitlines()
    assert [line.split(";")[0] for line in lines] == ["\ufeffverwijzing", "H1"]
    actions = list(AuditEntry.objects.filter(content_type__model="referral")
                   .values_list("action", flat=True).order_by("id"))  # fmt: skip
    assert actions[-2:] == [AuditEntry.Action.ACCESS, AuditEntry.Action.EXPORT]


def test_upload_job_report_lists_the_warnings(contracts, providers, contract_manager_client,
                                              django_capture_on_commit_callbacks):  # fmt: skip
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wmo.imports.models import ImportJob

    upload = SimpleUploadedFile("verwijzingen.csv", csv(
        "H1,111222333,WK034403,dagbegeleiding,13063077,,2024-05-06,,,,,nee,,"))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = contract_manager_client.post("/verwijzingen/importeren/", {"file": upload})
    job = ImportJob.objects.get(pk=response["Location"].split("/")[2])
    assert job.accepted and job.warning_count == 1 and job.new_rows == 1
    assert job.warnings[0]["column"] == "contractor_agb"
    html = contract_manager_client.get(response["Location"]).content.decode()
    assert 'id="importwaarschuwingen"' in html and "06-05-2024 geen contract" in html
    assert "deze rijen zijn wel opgeslagen" in html


def test_a_check_only_upload_does_not_say_its_warned_rows_were_saved(
    contracts, providers, contract_manager_client, django_capture_on_commit_callbacks
):
    """A tester read "Controle geslaagd (niets opgeslagen)" and, below it, "Waarschuwingen (1):
    deze rijen zijn wel opgeslagen"."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wmo.imports.models import ImportJob

    upload = SimpleUploadedFile("verwijzingen.csv", csv(
        "H1,111222333,WK034403,dagbegeleiding,13063077,,2024-05-06,,,,,nee,,"))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = contract_manager_client.post(
            "/verwijzingen/importeren/", {"file": upload, "dry_run": "on"}
        )
    job = ImportJob.objects.get(pk=response["Location"].split("/")[2])
    assert job.dry_run and job.accepted and job.warning_count == 1
    html = contract_manager_client.get(response["Location"]).content.decode()
    assert "Controle geslaagd (niets opgeslagen)" in html
    assert "Waarschuwingen (1): deze rijen worden bij een import wel opgeslagen" in html
    assert "zijn wel opgeslagen" not in html
    assert Referral.objects.count() == 0


# --- a successor follows its predecessor, and no chain runs in a circle --------------------------


def test_rule_orders_successor_after_predecessor():
    assert rules.previous_referral_errors("P", 1, 1, "S", dates=(D(2026, 1, 10), D(2026, 1, 20)),
                                          previous_dates=(D(2026, 1, 10), D(2026, 1, 20))) == {}  # fmt: skip
    early = rules.previous_referral_errors("P", 1, 1, "S", dates=(D(2025, 6, 1), D(2025, 6, 5)),
                                           previous_dates=(D(2026, 1, 10), D(2026, 1, 20)))  # fmt: skip
    assert early == {"previous": "De verwijsdatum 01-06-2025 ligt vóór de verwijsdatum 10-01-2026 "
                                 "van de vorige verwijzing P: een opvolger volgt op haar vorige "
                                 "verwijzing."}  # fmt: skip
    started = rules.previous_referral_errors("P", 1, 1, "S", dates=(D(2026, 2, 1), D(2026, 2, 2)),
                                             previous_dates=(D(2026, 1, 10), D(2026, 3, 1)))  # fmt: skip
    assert "De startdatum 02-02-2026 ligt vóór de startdatum 01-03-2026" in started["previous"]
    # Without both start dates only the referral dates count.
    assert rules.previous_referral_errors("P", 1, 1, "S", dates=(D(2026, 2, 1), None),
                                          previous_dates=(D(2026, 1, 10), D(2026, 3, 1))) == {}  # fmt: skip
    circle = rules.previous_referral_errors("P", 1, 1, "S", chain=["Q", "S"])
    assert "P volgt zelf (direct of via een keten) op S" in circle["previous"]


def test_register_refuses_a_successor_referred_before_its_predecessor(providers):
    first = register(providers, referral_date=D(2026, 3, 2))
    with pytest.raises(ValidationError) as refused:
        register(providers, previous_id=first.external_id, referral_date=D(2026, 3, 1))
    assert refused.value.message_dict["previous"] == [
        f"De verwijsdatum 01-03-2026 ligt vóór de verwijsdatum 02-03-2026 van de vorige verwijzing "
        f"{first.external_id}: een opvolger volgt op haar vorige verwijzing."
    ]
    assert (
        register(providers, previous_id=first.external_id, referral_date=D(2026, 3, 2)).previous
        == first
    )


def test_api_refuses_a_successor_referred_before_its_predecessor(client_for, providers):
    first = register(providers, referral_date=D(2026, 3, 2))
    client = client_for("buurtteam_worker", team_code="BT05")
    new = {"bsn": VALID_BSN, "wijkCode": "WK034403", "voorziening": "dagbegeleiding",
           "aanbiederAgb": "13063077", "verwijsdatum": "2026-02-27",
           "vorigeVerwijzingId": first.external_id}  # fmt: skip
    response = client.post(API, new, content_type="application/json")
    assert response.status_code == 400, response.content
    [problem] = response.json()["invalidParams"]
    assert problem["name"] == "vorigeVerwijzingId"
    assert "27-02-2026 ligt vóór de verwijsdatum 02-03-2026" in problem["reason"]


def test_starting_refuses_a_successor_started_before_its_predecessor(providers):
    from wmo.referrals.services import start

    first = register(providers)
    second = register(providers, previous_id=first.external_id)
    start(first, user=None, date=D(2026, 3, 10))
    with pytest.raises(ValidationError) as refused:
        start(second, user=None, date=D(2026, 3, 9))
    assert "De startdatum 09-03-2026 ligt vóór de startdatum 10-03-2026" in str(refused.value)
    assert start(second, user=None, date=D(2026, 3, 10)).start_date == D(2026, 3, 10)


def test_starting_refuses_a_predecessor_started_after_its_successor(providers):
    from wmo.referrals.services import start

    first = register(providers)
    second = register(providers, previous_id=first.external_id)
    start(second, user=None, date=D(2026, 3, 9))
    with pytest.raises(ValidationError) as refused:
        start(first, user=None, date=D(2026, 3, 10))
    assert f"opvolger {second.external_id}" in str(refused.value)
    assert Referral.objects.get(pk=first.pk).start_date is None


QA_R1 = "QA-R1,111222333,WK034403,dagbegeleiding,13063077,,2026-01-10,2026-01-20,,,,nee,,"
QA_R2 = "QA-R2,111222333,WK034403,dagbegeleiding,13063077,,2025-06-01,2025-06-05,2025-06-30,19,,nee,QA-R1,"
QA_R2_MESSAGE = ("De verwijsdatum 01-06-2025 ligt vóór de verwijsdatum 10-01-2026 van de vorige "
                 "verwijzing QA-R1: een opvolger volgt op haar vorige verwijzing.")  # fmt: skip


def test_import_refuses_a_successor_before_its_predecessor_in_the_file(providers):
    result = ReferralImporter().run(csv(QA_R1, QA_R2))
    assert not result.ok
    assert [(p.line, p.column, p.value, p.message) for p in result.problems] == [
        (3, "previous_referral_id", "QA-R1", QA_R2_MESSAGE)
    ]
    assert not Referral.objects.exists()


def test_import_refuses_a_successor_before_its_stored_predecessor(providers):
    assert ReferralImporter().run(csv(QA_R1)).ok
    result = ReferralImporter().run(csv(QA_R2))
    assert [(p.line, p.column, p.value, p.message) for p in result.problems] == [
        (2, "previous_referral_id", "QA-R1", QA_R2_MESSAGE)
    ]
    assert list(Referral.objects.values_list("external_id", flat=True)) == ["QA-R1"]


def test_import_refuses_a_successor_started_before_its_predecessor(providers):
    early = "QA-R3,111222333,WK034403,dagbegeleiding,13063077,,2026-01-10,2026-01-15,,,,nee,QA-R1,"
    result = ReferralImporter().run(csv(QA_R1, early))
    assert [p.message for p in result.problems] == [
        "De startdatum 15-01-2026 ligt vóór de startdatum 20-01-2026 van de vorige verwijzing "
        "QA-R1: een opvolger volgt op haar vorige verwijzing."
    ]
    assert ReferralImporter().run(csv(QA_R1, early.replace("2026-01-15", "2026-01-20"))).ok


def test_a_file_without_the_column_cannot_move_a_stored_successor_before_its_predecessor(providers):
    later = "QA-R4,111222333,WK034403,dagbegeleiding,13063077,,2026-02-01,,,,,nee,QA-R1,"
    assert ReferralImporter().run(csv(QA_R1, later)).ok
    plain = (HEADER + "\n" + ",".join(later.replace("2026-02-01", "2026-01-05").split(",")[:12])
             + "\n").encode()  # fmt: skip
    result = ReferralImporter().run(plain)
    assert [(p.line, p.column) for p in result.problems] == [(2, "referral_date")]
    assert "vorige verwijzing QA-R1" in result.problems[0].message
    assert Referral.objects.get(external_id="QA-R4").referral_date == D(2026, 2, 1)


def test_a_file_cannot_move_a_predecessor_after_its_stored_successor(providers):
    later = "QA-R4,111222333,WK034403,dagbegeleiding,13063077,,2026-02-01,,,,,nee,QA-R1,"
    assert ReferralImporter().run(csv(QA_R1, later)).ok
    moved = QA_R1.replace("2026-01-10,2026-01-20", "2026-02-10,2026-02-20")
    result = ReferralImporter().run(csv(moved))
    assert [(p.line, p.column, p.value) for p in result.problems] == [
        (2, "referral_date", "2026-02-10")
    ]
    assert result.problems[0].message == (
        "De verwijsdatum 10-02-2026 ligt na de verwijsdatum 01-02-2026 van de opvolger QA-R4: "
        "een verwijzing gaat vooraf aan haar opvolger."
    )
    # Moved together in one file, the two stay in order.
    assert ReferralImporter().run(csv(moved, later.replace("2026-02-01", "2026-02-10"))).ok


R11 = "QA-R11,111222333,WK034403,dagbegeleiding,13063077,,2026-01-10,,,,,nee,,"
R12 = "QA-R12,111222333,WK034403,dagbegeleiding,13063077,,2026-01-10,,,,,nee,QA-R11,"
R13 = "QA-R13,111222333,WK034403,dagbegeleiding,13063077,,2026-01-10,,,,,nee,QA-R12,"


def test_import_refuses_a_cycle_with_a_stored_successor(providers):
    assert ReferralImporter().run(csv(R11)).ok
    assert ReferralImporter().run(csv(R12)).ok
    result = ReferralImporter().run(csv(R11.replace(",nee,,", ",nee,QA-R12,")))
    assert [(p.line, p.column, p.value) for p in result.problems] == [
        (2, "previous_referral_id", "QA-R12")
    ]
    assert result.problems[0].message == (
        "De vorige verwijzing QA-R12 volgt zelf (direct of via een keten) op QA-R11: een "
        "verwijzing kan niet de vorige verwijzing van haar eigen vorige verwijzing zijn."
    )
    assert Referral.objects.get(external_id="QA-R11").previous is None


def test_import_refuses_a_cycle_through_a_chain(providers):
    assert ReferralImporter().run(csv(R11, R12, R13)).ok
    result = ReferralImporter().run(csv(R11.replace(",nee,,", ",nee,QA-R13,")))
    assert "QA-R13 volgt zelf (direct of via een keten) op QA-R11" in result.problems[0].message
    # Within one file: each row names a stored referral that, by the file, follows it.
    swapped = ReferralImporter().run(csv(R11.replace(",nee,,", ",nee,QA-R12,"), R12))
    assert not swapped.ok
    assert Referral.objects.get(external_id="QA-R11").previous is None


def test_succession_checks_read_the_stored_referrals_in_bulk(providers):
    """The queries of an import do not grow with the rows naming a stored predecessor."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def row(n, previous=""):
        return (f"Q{n},111222333,WK034403,dagbegeleiding,13063077,,2026-01-10,,,,,nee,"
                f"{previous},")  # fmt: skip

    assert ReferralImporter().run(csv(*(row(n) for n in range(40)))).ok
    counts = []
    for size in (2, 20):
        with CaptureQueriesContext(connection) as captured:
            result = ReferralImporter().run(
                csv(*(row(100 + n, f"Q{n}") for n in range(size))), dry_run=True
            )
        assert result.ok, result.report
        counts.append(len(captured))
    assert counts[0] == counts[1]

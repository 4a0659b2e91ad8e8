"""Record numbers (wmo/identifiers.py), BSNs and codes in other scripts' digits, and the
predecessor field as a probe into other teams' referrals: what a tester found on 6 December 2026."""

import datetime

import pytest
from django.urls import URLPattern, get_resolver

from districts.models import Buurtteam, District
from providers.models import Provider
from wmo.catalogue.models import ServiceType
from wmo.identifiers import MAX_LENGTH, PAGE_NAMES, record_number_problem
from wmo.quality.imports import ComplaintImporter
from wmo.referrals.imports import ReferralImporter
from wmo.referrals.models import BuurtteamCase, Referral
from wmo.referrals.pseudonyms import bsn_error
from wmo.referrals.services import register_referral

from .conftest import HEADER, VALID_BSN

API = "/api/v1/verwijzingen"
NEW = {"bsn": VALID_BSN, "wijkCode": "WK034403", "voorziening": "dagbegeleiding",
       "aanbiederAgb": "13063077", "verwijsdatum": "2026-03-02"}  # fmt: skip
OTHER_BSN = "123456782"
CHARACTERS = "Een nummer bestaat uit letters (a-z), cijfers (0-9), '-' en '_'"


@pytest.mark.parametrize(
    "number, message",
    [("UTR/2026/001", f"{CHARACTERS}; '/' kan niet."),
     ("a.b", f"{CHARACTERS}; '.' kan niet."),
     ("..", f"{CHARACTERS}; '.' kan niet."),
     ("<b>x</b>", f"{CHARACTERS}; '<' kan niet."),
     ("V 1", f"{CHARACTERS}; een spatie of onzichtbaar teken kan niet."),
     ("Vé1", f"{CHARACTERS}; 'é' kan niet."),
     ("-V1", "Een nummer begint met een letter of een cijfer."),
     ("registreren", "'registreren' is de naam van een pagina van de app; kies een ander nummer."),
     ("Zonder-Contract", "'Zonder-Contract' is de naam van een pagina van de app; kies een "
                         "ander nummer."),
     ("V-2026_001", None), ("x" * MAX_LENGTH, None)],
)  # fmt: skip
def test_the_rule(number, message):
    assert record_number_problem(number) == message


def test_page_names_hold_every_fixed_name_beside_a_record_number():
    """A new page under /verwijzingen/ (or /verwijzingen/casussen/) must join PAGE_NAMES, or a
    record numbered like it would be hidden behind it."""
    referrals = next(
        p for p in get_resolver().url_patterns if str(getattr(p, "pattern", "")) == "verwijzingen/"
    )
    fixed = {
        segment
        for pattern in referrals.url_patterns
        if isinstance(pattern, URLPattern)
        for segment in str(pattern.pattern).strip("/").split("/")[:2]
        if segment and "<" not in segment
    }
    assert fixed == {"registreren", "importeren", "zonder-contract", "casussen", "in-zorg"}
    assert fixed <= PAGE_NAMES


@pytest.mark.parametrize("number", ["a/b", "<b>x</b>", "registreren", ".."])
def test_the_api_refuses_a_number_that_cannot_be_addressed(client_for, providers, number):
    """It was stored, and then every page of the waiting list answered 500 (NoReverseMatch)."""
    response = client_for("buurtteam_worker", team_code="BT05").post(
        API, {**NEW, "verwijzingId": number}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    (problem,) = response.json()["invalidParams"]
    assert problem["name"] == "verwijzingId"
    assert problem["reason"] == record_number_problem(number)
    assert Referral.objects.count() == 0


def test_a_number_of_64_characters_is_accepted_and_reachable(client_for, providers):
    """INTERCHANGE.md: ids at most 64 characters (the fields held 40)."""
    client = client_for("buurtteam_worker", team_code="BT05")
    number = "V" + "1" * (MAX_LENGTH - 1)
    assert client.post(API, {**NEW, "verwijzingId": number},
                       content_type="application/json").status_code == 201  # fmt: skip
    assert client.get(f"{API}/{number}").json()["verwijzingId"] == number
    assert client.get(f"/verwijzingen/{number}/").status_code == 200
    assert number in client.get("/verwijzingen/").content.decode()
    longer = client.post(API, {**NEW, "verwijzingId": number + "2"},
                         content_type="application/json")  # fmt: skip
    assert longer.status_code == 400
    assert longer.json()["invalidParams"][0]["name"] == "verwijzingId"


def test_the_importers_refuse_such_numbers_and_take_64_characters(providers):
    rows = [f"UTR/2026/001,{VALID_BSN},WK034403,dagbegeleiding,13063077,,2026-03-02,,,,,nee",
            f"{'R' * 64},{VALID_BSN},WK034403,dagbegeleiding,13063077,,2026-03-02,,,,,nee"]  # fmt: skip
    result = ReferralImporter().run(f"{HEADER}\n{rows[0]}\n{rows[1]}\n".encode())
    assert not result.ok
    assert [(p.line, p.column, p.message) for p in result.problems] == [
        (2, "referral_id", f"{CHARACTERS}; '/' kan niet.")
    ]
    assert Referral.objects.count() == 0
    assert ReferralImporter().run(f"{HEADER}\n{rows[1]}\n".encode()).ok
    complaints = ComplaintImporter().run(
        b"complaint_id,provider_agb,service_type,district,received_date,resolved_date\n"
        b"K/1,13063077,dagbegeleiding,WK034403,2026-03-02,\n"
    )
    assert [(p.column, p.message) for p in complaints.problems] == [
        ("complaint_id", f"{CHARACTERS}; '/' kan niet.")
    ]


@pytest.mark.parametrize("bsn", ["11122233\u00b3", "\u0661\u0661\u0661\u0662\u0662\u0662\u0663\u0663\u0663",
                                 "\uff11\uff11\uff11\uff12\uff12\uff12\uff13\uff13\uff13"])  # fmt: skip
def test_a_bsn_in_other_digits_is_refused_not_a_500_nor_a_second_client(client_for, providers,
                                                                         bsn):  # fmt: skip
    """A superscript 3 made int() fail (a 500 whose debug page showed the BSN); Arabic-Indic and
    full-width digits passed the eleven-test and made the same person another client."""
    assert bsn_error(bsn) == "Een BSN bestaat uit precies 9 cijfers (0-9)."
    client = client_for("buurtteam_worker", team_code="BT05")
    response = client.post(API, {**NEW, "bsn": bsn}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [
        {"name": "bsn", "code": "invalid", "reason": "Een BSN bestaat uit precies 9 cijfers (0-9)."}
    ]
    case = {"bsn": bsn, "wijkCode": "WK034403", "buurtteamCode": "BT05",
            "aanmelddatum": "2026-03-02", "ondersteuningsvorm": "individual"}  # fmt: skip
    cases = client.post("/api/v1/casussen", case, content_type="application/json")
    assert [p["name"] for p in cases.json()["invalidParams"]] == ["bsn"]
    assert Referral.objects.count() == BuurtteamCase.objects.count() == 0


def test_an_agb_code_in_full_width_digits_is_refused(client_for):
    response = client_for("contract_manager").post(
        "/api/v1/aanbieders",
        {
            "agbCode": "\uff19\uff17" + "\uff10" * 5 + "\uff14",
            "naam": "Breedschrift",
            "soort": "care_provider",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["agbCode"]
    assert not Provider.objects.filter(name="Breedschrift").exists()


def _registered(providers, team_code, bsn, **kwargs):
    return register_referral(
        user=None, bsn=bsn, district=District.objects.get(code="WK034403"),
        service_type=ServiceType.objects.get(code="dagbegeleiding"),
        provider=providers["13063077"], team=Buurtteam.objects.get(code=team_code),
        referral_date=datetime.date(2026, 3, 2), **kwargs,
    )  # fmt: skip


def test_the_predecessor_field_does_not_probe_other_teams(client_for, providers):
    """Another team's referral is unknown to a worker, whichever client is given, and another
    team's successor is not named: before, the answers told whether a number existed, whose
    client it was, and another team's successor's number."""
    theirs = _registered(providers, "BT01", OTHER_BSN)
    client = client_for("buurtteam_worker", team_code="BT05")
    for bsn in (OTHER_BSN, VALID_BSN):
        response = client.post(API, {**NEW, "bsn": bsn, "vorigeVerwijzingId": theirs.external_id},
                                content_type="application/json")  # fmt: skip
        assert response.status_code == 400
        assert response.json()["invalidParams"] == [{
            "name": "vorigeVerwijzingId", "code": "invalid",
            "reason": f"De vorige verwijzing {theirs.external_id} is onbekend.",
        }]  # fmt: skip
    assert Referral.objects.count() == 1
    # A successor registered elsewhere (an import sees every team) is not named to BT01.
    successor = _registered(providers, "BT05", OTHER_BSN, previous_id=theirs.external_id)
    bt01 = client_for("buurtteam_worker", team_code="BT01", username="bt01")
    response = bt01.post(API, {**NEW, "bsn": OTHER_BSN, "vorigeVerwijzingId": theirs.external_id},
                         content_type="application/json")  # fmt: skip
    reason = response.json()["invalidParams"][0]["reason"]
    assert reason == (f"De vorige verwijzing {theirs.external_id} heeft al een opvolger: een "
                      "verwijzing van een ander buurtteam.")  # fmt: skip
    assert successor.external_id not in response.content.decode()

"""Two date rules a tester found missing: a birth year after the referral's (or case's) year,
and a start of support before the assignment. Each is one rule (rules.py), so the form, the API
and the service refuse alike."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from wmo.referrals import rules
from wmo.referrals.models import Client

from .conftest import field_error
from .test_api import CASE, NEW, post, problems
from .test_pages import form_data
from .test_succession import register

D = datetime.date
FUTURE_BIRTH = "Het geboortejaar 2030 ligt na het jaar van de verwijsdatum (2026)."


def test_birth_year_rule():
    assert rules.birth_year_errors(None, D(2026, 3, 2)) == {}
    assert rules.birth_year_errors(1900, D(2026, 3, 2)) == {}
    assert rules.birth_year_errors(2026, D(2026, 3, 2)) == {}
    assert rules.birth_year_errors(2030, D(2026, 3, 2)) == {"birth_year": FUTURE_BIRTH}
    assert rules.birth_year_errors(1899, D(2026, 3, 2)) == {
        "birth_year": "Het geboortejaar 1899 ligt vóór 1900."
    }
    case = rules.birth_year_errors(2027, D(2026, 3, 2), "registration_date")
    assert case == {
        "birth_year": "Het geboortejaar 2027 ligt na het jaar van de aanmelddatum (2026)."
    }


def test_service_refuses_a_future_birth_year(providers):
    with pytest.raises(ValidationError) as refused:
        register(providers, birth_year=2030)
    assert refused.value.message_dict == {"birth_year": [FUTURE_BIRTH]}
    assert not Client.objects.exists()


def test_form_refuses_a_future_birth_year(client_for, providers):
    # Before: the form took any year up to 2100.
    client = client_for("buurtteam_worker", team_code="BT05")
    response = client.post("/verwijzingen/registreren/", form_data(providers, birth_year="2030"))
    assert FUTURE_BIRTH in field_error(response, "id_birth_year")
    case = client.post("/verwijzingen/casussen/registreren/", {
        "bsn": "111222333", "district": response.context["form"].initial["district"],
        "buurtteam": response.context["form"].initial.get("buurtteam") or "",
        "registration_date": "02-03-2026", "support_form": "group", "birth_year": "2027",
        "idempotency_key": "6f1c1c3e-8c1a-4d59-9d1e-0f4b6b0a1a12",
    })  # fmt: skip
    assert "ligt na het jaar van de aanmelddatum" in field_error(case, "id_birth_year")


def test_api_refuses_a_future_birth_year(client_for, providers):
    client = client_for("buurtteam_worker", team_code="BT05")
    referral = post(client, "/api/v1/verwijzingen", {**NEW, "geboortejaar": 2030})
    assert referral.status_code == 400 and problems(referral) == [("geboortejaar", FUTURE_BIRTH)]
    case = post(client, "/api/v1/casussen", {**CASE, "geboortejaar": 2027})
    assert case.status_code == 400 and [n for n, _ in problems(case)] == ["geboortejaar"]


def test_start_not_before_assignment():
    errors = rules.referral_date_errors(D(2026, 11, 2), D(2026, 11, 5), D(2026, 11, 4), None, "",
                                        None, on=D(2026, 12, 1))  # fmt: skip
    assert errors == {"start_date": "De startdatum ligt vóór de toewijzingsdatum."}
    assert rules.referral_date_errors(D(2026, 11, 2), D(2026, 11, 5), D(2026, 11, 5), None, "",
                                      None, on=D(2026, 12, 1)) == {}  # fmt: skip


def test_page_refuses_a_start_before_the_assignment(client_for, make_referral):
    referral = make_referral(team_code="BT05", referral_date=D(2026, 11, 2))
    client = client_for("buurtteam_worker", team_code="BT05")
    page = f"/verwijzingen/{referral.external_id}/"
    assert client.post(page + "toewijzen/", {"date": "05-11-2026"}).status_code == 302
    refused = client.post(page + "starten/", {"date": "04-11-2026"})
    assert refused.status_code == 400
    assert "De startdatum ligt vóór de toewijzingsdatum." in field_error(refused, "id_start_date")
    referral.refresh_from_db()
    assert referral.start_date is None


def test_import_cannot_start_before_the_stored_assignment(providers):
    from wmo.referrals.imports import ReferralImporter
    from wmo.referrals.models import Referral

    from .conftest import REFERRALS_CSV

    ReferralImporter().run(REFERRALS_CSV.encode())
    Referral.objects.filter(external_id="R00007").update(assignment_date=D(2025, 5, 10))
    early = REFERRALS_CSV.replace(
        "28073946,,2025-05-03,,,,,nee", "28073946,,2025-05-03,2025-05-08,,,,nee"
    )
    result = ReferralImporter().run(early.encode())
    assert [(p.line, p.column, p.value) for p in result.problems] == [
        (7, "start_date", "2025-05-08")
    ]
    assert result.problems[0].message.startswith("De startdatum ligt vóór de toewijzingsdatum.")
    assert Referral.objects.get(external_id="R00007").start_date is None
    on_the_day = early.replace("2025-05-08", "2025-05-10")
    assert ReferralImporter().run(on_the_day.encode()).ok

"""/api/v1/aanbestedingen, /mijlpalen and /moties: Dutch attributes, derived status, the same
rules as the pages (validation from the models), problem+json errors."""

import datetime

import pytest
from django.utils import timezone

from procurement.models import Candidate, EvaluationScore, Milestone, Motion, Tender

from .criteria import record_criteria

pytestmark = pytest.mark.django_db


def test_tender_resource(council_client):
    tender = Tender.objects.get(reference="30209886")
    criteria = record_criteria(tender)
    for name, score in (("Bravo", 7), ("Alfa", 7), ("Charlie", 9)):
        candidate = Candidate.objects.create(tender=tender, name=name)
        for criterion in criteria:
            EvaluationScore.objects.create(candidate=candidate, criterion=criterion, score=score)
    response = council_client.get("/api/v1/aanbestedingen/30209886")
    assert response.status_code == 200
    body = response.json()
    assert body["kenmerk"] == "30209886"
    assert body["procedure"] == "dialogue"
    assert body["regime"] == "sas_above_threshold"
    assert body["instrument"] == "public_contract"
    assert body["contractstart"] == "2027-01-01"
    assert body["opschortendeTermijnDagen"] == 20
    assert body["opschortendeTermijn"] is None
    assert [sorted(u) for u in body["uitgangspunten"]] == [["nummer", "uitgangspunt"]] * 8
    assert body["uitgangspunten"][6]["uitgangspunt"] == 'Een "tenzij" is altijd mogelijk'
    assert [c["weging"] for c in body["gunningscriteria"]] == [12.5] * 8
    assert [
        (k["naam"], k["rang"], k["totaalscore"], k["gedeeldeRang"]) for k in body["kandidaten"]
    ] == [
        ("Charlie", 1, 9.0, False),
        ("Alfa", 2, 7.0, True),
        ("Bravo", 2, 7.0, True),
    ]
    assert [o["soort"] for o in body["contractopties"]] == [
        "bt_pilots", "u16_decision_2029", "hbh_review_2031",
    ]  # fmt: skip


def test_patch_award_computes_standstill(contract_manager_client, dialogue_held):
    response = contract_manager_client.patch(
        "/api/v1/aanbestedingen/30209886",
        {"voorlopigeGunning": "2026-03-05"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["opschortendeTermijn"] == {
        "gunningsbeslissing": "2026-03-05",
        "dagen": 20,
        "eersteDag": "2026-03-06",
        "laatsteDag": "2026-03-25",
        "laatsteDagZonderVerlenging": "2026-03-25",
        "vroegsteOndertekening": "2026-03-26",
        "verlenging": "",
    }
    assert body["status"] == "award"  # derived from the recorded award decision
    step = Milestone.objects.get(tender__reference="30209886", code="provisional_award")
    assert step.actual_start == datetime.date(2026, 3, 5)
    assert contract_manager_client.get(f"/api/v1/mijlpalen/{step.pk}").json()["status"] == "done"


def test_patch_award_on_koningsdag_extends_the_standstill(contract_manager_client, dialogue_held):
    response = contract_manager_client.patch(
        "/api/v1/aanbestedingen/30209886",
        {"voorlopigeGunning": "2026-04-07", "definitieveGunning": "2026-04-28"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [
        {
            "name": "definitieveGunning",
            "code": "invalid",
            "reason": "De definitieve gunning kan pas na de opschortende termijn: op of na 29-04-2026.",
        }
    ]
    response = contract_manager_client.patch(
        "/api/v1/aanbestedingen/30209886",
        {"voorlopigeGunning": "2026-04-07"},
        content_type="application/json",
    )
    standstill = response.json()["opschortendeTermijn"]
    assert (standstill["laatsteDagZonderVerlenging"], standstill["laatsteDag"]) == (
        "2026-04-27", "2026-04-28",
    )  # fmt: skip
    assert "Overgeslagen: 27 april: Koningsdag." in standstill["verlenging"]


def test_patch_standstill_days_follows_the_model_rule(contract_manager_client):
    for days, reason in (
        (366, "De opschortende termijn is hoogstens 365 kalenderdagen."),
        (0, "De opschortende termijn is minstens 1 kalenderdag."),
    ):
        response = contract_manager_client.patch(
            "/api/v1/aanbestedingen/30209886",
            {"opschortendeTermijnDagen": days},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["invalidParams"] == [
            {"name": "opschortendeTermijnDagen", "code": "invalid", "reason": reason}
        ]
    assert Tender.objects.get(reference="30209886").standstill_days == 20


def test_patch_a_future_award_date_is_refused(contract_manager_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = contract_manager_client.patch(
        "/api/v1/aanbestedingen/30209886",
        {"voorlopigeGunning": tomorrow.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400
    [error] = response.json()["invalidParams"]
    assert error["name"] == "voorlopigeGunning"
    assert error["reason"].startswith("Deze datum ligt in de toekomst")
    assert Tender.objects.get(reference="30209886").provisional_award_date is None


def test_status_is_read_only_and_derived(contract_manager_client):
    response = contract_manager_client.patch(
        "/api/v1/aanbestedingen/30209886", {"status": "contract"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "preparation"
    response = contract_manager_client.patch(
        "/api/v1/aanbestedingen/30209886",
        {"ingetrokkenOp": "2026-11-30"},
        content_type="application/json",
    )
    assert response.json()["status"] == "cancelled"


def test_patch_award_obeys_the_standstill_rule(contract_manager_client, dialogue_held):
    response = contract_manager_client.patch(
        "/api/v1/aanbestedingen/30209886",
        {"voorlopigeGunning": "2026-03-05", "definitieveGunning": "2026-03-20"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalidParams"] == [
        {
            "name": "definitieveGunning",
            "code": "invalid",
            "reason": "De definitieve gunning kan pas na de opschortende termijn: op of na 26-03-2026.",
        }
    ]
    assert Tender.objects.get(reference="30209886").provisional_award_date is None
    assert (
        not Milestone.objects.filter(tender__reference="30209886", actual_start__isnull=False)
        .exclude(code="dialogue")
        .exists()
    )


def test_milestones_with_derived_status(council_client):
    response = council_client.get("/api/v1/mijlpalen?soort=step")
    assert response.status_code == 200
    rows = response.json()["resultaten"]
    assert [r["code"] for r in rows] == [
        "draft_publication", "definitive_publication", "selection", "dialogue",
        "provisional_award", "definitive_award", "implementation", "contract_start",
        "bt_pilots", "u16_decision_2029", "hbh_review_2031",
    ]  # fmt: skip
    first = rows[0]
    assert first["geplandLabel"] == "half mei 2025"
    assert first["geplandVanaf"] == "2025-05-11"
    assert first["werkelijkeDatum"] is None
    assert first["status"] in {"late", "running", "upcoming"}
    assert (
        council_client.get("/api/v1/mijlpalen?soort=council_info").json()["resultaten"][0]["kanaal"]
        == "verzamelbrief"
    )


def test_patch_milestone_actual_date(contract_manager_client):
    step = Milestone.objects.get(code="selection")
    response = contract_manager_client.patch(
        f"/api/v1/mijlpalen/{step.pk}",
        {"werkelijkeDatum": "2025-11-18", "versie": 1},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    assert response.json()["dagenTeLaat"] == 0
    step.refresh_from_db()
    assert step.actual_start == datetime.date(2025, 11, 18)


def test_patch_milestone_in_the_future_is_refused(contract_manager_client):
    step = Milestone.objects.get(code="contract_start")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = contract_manager_client.patch(
        f"/api/v1/mijlpalen/{step.pk}",
        {"werkelijkeDatum": tomorrow.isoformat(), "versie": 1},
        content_type="application/json",
    )
    assert response.status_code == 400
    [error] = response.json()["invalidParams"]
    assert error["name"] == "werkelijkeDatum"
    assert error["reason"] == (
        f"Deze datum ligt in de toekomst (vandaag is het {timezone.localdate():%d-%m-%Y}). Leg "
        "een werkelijke datum pas vast als het heeft plaatsgevonden."
    )
    step.refresh_from_db()
    assert step.actual_start is None


def test_patch_award_step_is_the_tenders_award_date(contract_manager_client, dialogue_held):
    """One source: the award decision recorded on its step is the tender's award date, and the
    step obeys the standstill rule like the award page does."""
    steps = {m.code: m for m in Milestone.objects.filter(tender__reference="30209886")}
    url = "/api/v1/mijlpalen/{}"
    response = contract_manager_client.patch(
        url.format(steps["provisional_award"].pk),
        {"werkelijkeDatum": "2026-03-05", "versie": 1},
        content_type="application/json",
    )
    assert response.status_code == 200
    tender = contract_manager_client.get("/api/v1/aanbestedingen/30209886").json()
    assert tender["voorlopigeGunning"] == "2026-03-05"
    assert tender["opschortendeTermijn"]["vroegsteOndertekening"] == "2026-03-26"
    response = contract_manager_client.patch(
        url.format(steps["definitive_award"].pk),
        {"werkelijkeDatum": "2026-03-20", "versie": 1},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [
        {"name": "werkelijkeDatum", "code": "invalid",
         "reason": "De definitieve gunning kan pas na de opschortende termijn: op of na 26-03-2026."}
    ]  # fmt: skip
    response = contract_manager_client.patch(
        url.format(steps["provisional_award"].pk),
        {"werkelijkeDatum": "2026-03-05", "werkelijkTotEnMet": "2026-03-06", "versie": 2},
        content_type="application/json",
    )
    assert response.json()["invalidParams"][0] == {
        "name": "werkelijkTotEnMet", "code": "invalid",
        "reason": "Een besluit valt op één dag: laat 'werkelijk tot en met' leeg.",
    }  # fmt: skip


def test_patch_milestone_end_without_start_is_refused(contract_manager_client):
    step = Milestone.objects.get(code="dialogue")
    response = contract_manager_client.patch(
        f"/api/v1/mijlpalen/{step.pk}",
        {"werkelijkTotEnMet": "2026-01-20", "versie": 1},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0] == {
        "name": "werkelijkeDatum", "code": "invalid", "reason": "Vul de werkelijke (eerste) datum in.",
    }  # fmt: skip


def test_motions(council_client, contract_manager_client):
    body = council_client.get("/api/v1/moties").json()["resultaten"]
    assert len(body) == 1
    motion = body[0]
    assert motion["datum"] == "2025-07-17"
    assert motion["partij"] == "EenUtrecht"
    assert motion["status"] == "unknown"
    assert [v["nummer"] for v in motion["verzoeken"]] == [1, 2, 3]
    assert sorted(motion["mijlpalen"]) == ["definitive_publication", "selection"]
    response = contract_manager_client.patch(
        f"/api/v1/moties/{motion['id']}",
        {"status": "held", "versie": motion["versie"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert Motion.objects.get().status == "held"
    assert (
        council_client.get("/api/v1/moties?status=held").json()["resultaten"][0]["id"]
        == motion["id"]
    )
    assert council_client.get("/api/v1/moties?status=adopted").json()["resultaten"] == []


def test_trailing_slash_is_404(council_client):
    assert council_client.get("/api/v1/moties/").status_code == 404

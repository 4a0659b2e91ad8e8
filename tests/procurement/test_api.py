"""/api/v1/aanbestedingen, /mijlpalen and /moties: Dutch attributes, derived status, the same
rules as the pages (validation from the models), problem+json errors."""

import datetime

import pytest

from procurement.models import Candidate, EvaluationScore, Milestone, Motion, Tender

pytestmark = pytest.mark.django_db


def test_tender_resource(council_client):
    tender = Tender.objects.get(reference="30209886")
    for name, score in (("Bravo", 7), ("Alfa", 7), ("Charlie", 9)):
        candidate = Candidate.objects.create(tender=tender, name=name)
        for principle in tender.principles.all():
            EvaluationScore.objects.create(candidate=candidate, principle=principle, score=score)
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
    assert [u["weging"] for u in body["uitgangspunten"]] == [12.5] * 8
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


def test_patch_award_computes_standstill(contract_manager_client):
    response = contract_manager_client.patch(
        "/api/v1/aanbestedingen/30209886",
        {"voorlopigeGunning": "2026-03-05", "status": "award"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["opschortendeTermijn"] == {
        "gunningsbeslissing": "2026-03-05",
        "dagen": 20,
        "eersteDag": "2026-03-06",
        "laatsteDag": "2026-03-25",
        "vroegsteOndertekening": "2026-03-26",
    }


def test_patch_award_obeys_the_standstill_rule(contract_manager_client):
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


def test_milestones_with_derived_status(council_client):
    response = council_client.get("/api/v1/mijlpalen?soort=step")
    assert response.status_code == 200
    rows = response.json()["resultaten"]
    assert [r["code"] for r in rows] == [
        "draft_publication", "definitive_publication", "selection", "dialogue",
        "provisional_award", "definitive_award", "implementation", "contract_start",
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
        {"werkelijkeDatum": "2025-11-18"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    assert response.json()["dagenTeLaat"] == 0
    step.refresh_from_db()
    assert step.actual_start == datetime.date(2025, 11, 18)


def test_patch_milestone_end_without_start_is_refused(contract_manager_client):
    step = Milestone.objects.get(code="dialogue")
    response = contract_manager_client.patch(
        f"/api/v1/mijlpalen/{step.pk}",
        {"werkelijkTotEnMet": "2026-01-20"},
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
        f"/api/v1/moties/{motion['id']}", {"status": "held"}, content_type="application/json"
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

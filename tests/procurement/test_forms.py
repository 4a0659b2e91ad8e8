"""Contract managers edit through forms: valid input is saved, invalid input saves nothing and
shows a Dutch error next to the field."""

import datetime
from decimal import Decimal

import pytest

from procurement.models import Candidate, EvaluationScore, Milestone, Motion, Tender

from .criteria import record_criteria

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def tender():
    return Tender.objects.get(reference="30209886")


def test_record_actual_date_of_a_step(contract_manager_client, tender):
    step = Milestone.objects.get(tender=tender, code="selection")
    response = contract_manager_client.post(
        f"/aanbesteding/mijlpalen/{step.pk}/wijzigen/",
        {
            "actual_start": "2025-11-18",
            "actual_end": "",
            "notes": "Selectiebesluit verzonden.",
            "version": step.version,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/aanbesteding/30209886/#mijlpaal-selection"
    step.refresh_from_db()
    assert step.actual_start == D(2025, 11, 18)
    assert step.status() == "done"
    assert "Opgeslagen: Selectie van kandidaten voor de dialoog. Status: Afgerond." in (
        response.content.decode()
    )


def test_actual_end_before_start_is_refused_in_dutch(contract_manager_client, tender):
    step = Milestone.objects.get(tender=tender, code="dialogue")
    response = contract_manager_client.post(
        f"/aanbesteding/mijlpalen/{step.pk}/wijzigen/",
        {"actual_start": "2026-01-20", "actual_end": "2025-12-01", "notes": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Werkelijk tot en met: Deze datum ligt vóór de werkelijke datum." in html
    assert 'id="id_actual_end-fout"' in html
    step.refresh_from_db()
    assert step.actual_start is None and step.actual_end is None


def test_invalid_date_is_refused_in_dutch(contract_manager_client, tender):
    step = Milestone.objects.get(tender=tender, code="dialogue")
    response = contract_manager_client.post(
        f"/aanbesteding/mijlpalen/{step.pk}/wijzigen/", {"actual_start": "31-02-2026"}
    )
    assert "Werkelijke datum: Voer een geldige datum in." in response.content.decode()


def test_award_cannot_be_signed_within_the_standstill(
    contract_manager_client, tender, dialogue_held
):
    url = "/aanbesteding/30209886/gunning/"
    data = {
        "awarded_candidate": "",
        "provisional_award_date": "2026-03-05",
        "standstill_days": "20",
        "definitive_award_date": "2026-03-25",
    }
    response = contract_manager_client.post(url, data)
    assert response.status_code == 200
    assert (
        "De definitieve gunning kan pas na de opschortende termijn: op of na 26-03-2026."
        in response.content.decode()
    )
    tender = Tender.objects.get(pk=tender.pk)
    # Nothing written: the tender stays where the held dialogue put it.
    assert tender.provisional_award_date is None and tender.status == "evaluation"

    response = contract_manager_client.post(url, {**data, "definitive_award_date": "2026-03-26"})
    assert response.status_code == 302
    tender = Tender.objects.get(pk=tender.pk)
    assert tender.definitive_award_date == D(2026, 3, 26)
    # Recorded on the award steps themselves: the timeline shows the same dates.
    steps = dict(tender.milestones.values_list("code", "actual_start"))
    assert (steps["provisional_award"], steps["definitive_award"]) == (
        D(2026, 3, 5),
        D(2026, 3, 26),
    )
    assert tender.status == "implementation"
    page = contract_manager_client.get("/aanbesteding/30209886/").content.decode()
    assert '<dd id="vroegste-ondertekening">26 maart 2026</dd>' in page


def test_scores_are_saved_and_ranked(contract_manager_client, tender):
    record_criteria(tender)
    alfa = Candidate.objects.create(tender=tender, name="Alfa")
    data = {f"score_{n}": "8" for n in range(1, 9)}
    data["score_8"] = "10"
    data["motivation_8"] = "Sterk lerend vermogen."
    response = contract_manager_client.post(
        f"/aanbesteding/kandidaten/{alfa.pk}/beoordeling/", data
    )
    assert response.status_code == 302
    assert EvaluationScore.objects.filter(candidate=alfa).count() == 8
    page = contract_manager_client.get("/aanbesteding/30209886/").content.decode()
    assert "<strong>8,25</strong>" in page


def test_score_out_of_range_saves_nothing(contract_manager_client, tender):
    record_criteria(tender)
    alfa = Candidate.objects.create(tender=tender, name="Alfa")
    data = {f"score_{n}": "7" for n in range(1, 9)}
    data["score_3"] = "11"
    response = contract_manager_client.post(
        f"/aanbesteding/kandidaten/{alfa.pk}/beoordeling/", data
    )
    assert response.status_code == 200
    assert "Een score ligt tussen 0 en 10." in response.content.decode()
    assert not EvaluationScore.objects.filter(candidate=alfa).exists()


def test_candidate_names_are_unique_per_tender(contract_manager_client, tender):
    Candidate.objects.create(tender=tender, name="Consortium Wijkkracht")
    response = contract_manager_client.post(
        "/aanbesteding/30209886/kandidaten/nieuw/",
        {"name": "consortium wijkkracht", "status": "applied"},
    )
    assert "Er is al een kandidaat met deze naam." in response.content.decode()
    assert Candidate.objects.filter(tender=tender).count() == 1


def test_dialogue_session_with_participants(contract_manager_client, tender):
    alfa = Candidate.objects.create(tender=tender, name="Alfa", status="selected")
    data = {
        "date": "2025-12-09",
        "theme": "Wijkgericht werken",
        "candidates": [alfa.pk],
        "notes": "",
        "deelnemers-TOTAL_FORMS": "3",
        "deelnemers-INITIAL_FORMS": "0",
        "deelnemers-0-kind": "client_representative",
        "deelnemers-0-name": "Cliëntenraad Utrecht",
        "deelnemers-1-kind": "expert_by_experience",
        "deelnemers-1-name": "Ervaringsdeskundige wijk Overvecht",
        "deelnemers-2-kind": "",
        "deelnemers-2-name": "",
    }
    response = contract_manager_client.post("/aanbesteding/30209886/dialoogsessies/nieuw/", data)
    assert response.status_code == 302
    session = tender.dialogue_sessions.get()
    assert [c.name for c in session.candidates.all()] == ["Alfa"]
    assert sorted(p.get_kind_display() for p in session.participants.all()) == [
        "Cliëntvertegenwoordiger",
        "Ervaringsdeskundige",
    ]
    page = contract_manager_client.get("/aanbesteding/30209886/").content.decode()
    assert "Cliëntenraad Utrecht (cliëntvertegenwoordiger)" in page


def motion_data(motion, **overrides):
    """The motion form as the page posts it, unchanged, with `overrides` applied."""
    requests = list(motion.requests.all())
    data = {
        "date": motion.date.isoformat(),
        "title": motion.title,
        "submitter": motion.submitter,
        "party": motion.party,
        "status": "adopted",
        "summary": motion.summary,
        "url": "",
        "milestones": [str(m.pk) for m in motion.milestones.all()],
        "version": str(motion.version),
        "verzoeken-TOTAL_FORMS": str(len(requests) + 1),
        "verzoeken-INITIAL_FORMS": str(len(requests)),
    }
    for index, item in enumerate(requests):
        data[f"verzoeken-{index}-id"] = str(item.pk)
        data[f"verzoeken-{index}-motion"] = str(motion.pk)
        data[f"verzoeken-{index}-number"] = str(item.number)
        data[f"verzoeken-{index}-text"] = item.text
        data[f"verzoeken-{index}-response"] = ""
        data[f"verzoeken-{index}-status"] = "open"
    extra = len(requests)
    data[f"verzoeken-{extra}-number"] = str(len(requests) + 1)  # as proposed: an empty row
    data[f"verzoeken-{extra}-text"] = ""
    data[f"verzoeken-{extra}-response"] = ""
    data[f"verzoeken-{extra}-status"] = "open"
    data.update(overrides)
    return data


def test_record_motion_status_and_responses(contract_manager_client):
    motion = Motion.objects.get()
    data = motion_data(
        motion,
        **{
            "verzoeken-0-response": "Het college houdt vast aan één stedelijke contractpartij.",
            "verzoeken-0-status": "declined",
        },
    )
    response = contract_manager_client.post(f"/aanbesteding/moties/{motion.pk}/wijzigen/", data)
    assert response.status_code == 302
    motion.refresh_from_db()
    assert motion.status == "adopted"
    first = motion.requests.get(number=1)
    assert first.status == "declined"
    page = contract_manager_client.get(f"/aanbesteding/moties/{motion.pk}/").content.decode()
    assert "Het college houdt vast aan één stedelijke contractpartij." in page
    assert '<span class="pt-status pt-status--adopted" id="motie-status">Aangenomen</span>' in page


def test_motion_request_closed_without_response_saves_nothing(contract_manager_client):
    motion = Motion.objects.get()
    data = motion_data(motion, **{"verzoeken-2-status": "done"})
    response = contract_manager_client.post(f"/aanbesteding/moties/{motion.pk}/wijzigen/", data)
    assert response.status_code == 200
    assert (
        "Geef de reactie van het college bij een afgehandeld verzoek." in response.content.decode()
    )
    motion.refresh_from_db()
    assert motion.status == "unknown"  # the valid motion form was not saved either
    assert motion.requests.get(number=3).status == "open"


def test_criteria_weights_are_shown(council_client, tender):
    record_criteria(tender, ["60", "40"])
    page = council_client.get("/aanbesteding/30209886/").content.decode()
    assert "som van de wegingen: 100,00 %" in page
    assert "Criterium 1 — weging 60 %" in page and "Criterium 2 — weging 40 %" in page
    assert Decimal("100.00") == sum(c.weight for c in tender.criteria.all())

"""Milestones and motions under the same optimistic locking as contracts
(wmo.versions.save_versioned): of two contract managers who opened the same edit page, or
read the same record through the API, the second to save is refused with 409, and the first
one's edit stays."""

import datetime

import pytest

from procurement.models import Milestone, Motion
from tests.procurement.test_forms import motion_data
from tests.providers.test_versions import hidden_version, manager

pytestmark = pytest.mark.django_db
JSON = "application/json"
SAVED_ANYWAY = ("(u bewerkte versie 1, nu is het versie 2). Uw wijzigingen zijn niet opgeslagen, "
                "zodat die van de ander niet verloren gaan.")  # fmt: skip


def selection_step():
    return Milestone.objects.get(tender__reference="30209886", code="selection")


def test_a_stale_milestone_save_is_refused_and_the_first_edit_stays():
    step = selection_step()
    url = f"/aanbesteding/mijlpalen/{step.pk}/wijzigen/"
    anna, bram = manager("Anna"), manager("Bram")
    assert hidden_version(anna.get(url).content.decode()) == "1"
    assert hidden_version(bram.get(url).content.decode()) == "1"
    loaded = {"actual_start": "", "actual_end": "", "notes": "", "version": "1"}
    saved = anna.post(url, {**loaded, "actual_start": "2025-11-18"})
    assert saved.status_code == 302
    refused = bram.post(url, {**loaded, "notes": "Van Bram"})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert ('id="versieconflict"' in html and "Mijlpaal Selectie van kandidaten voor de dialoog "
            "is intussen gewijzigd door Anna de Vries op " in html)  # fmt: skip
    assert SAVED_ANYWAY in html
    assert (
        '<li class="utrecht-unordered-list__item">Werkelijke datum: 18 november 2025</li>' in html
    )
    # Bram's input stays in the form, now carrying version 2 to save it on purpose.
    assert "Van Bram</textarea>" in html and hidden_version(html) == "2"
    step.refresh_from_db()
    assert (step.actual_start, step.notes, step.version, step.changed_by.username) == (
        datetime.date(2025, 11, 18), "", 2, "anna"
    )  # fmt: skip


def test_a_stale_motion_save_is_refused_and_the_first_edit_stays():
    motion = Motion.objects.get()
    url = f"/aanbesteding/moties/{motion.pk}/wijzigen/"
    anna, bram = manager("Anna"), manager("Bram")
    assert hidden_version(anna.get(url).content.decode()) == "1"
    assert hidden_version(bram.get(url).content.decode()) == "1"
    loaded = motion_data(motion)
    assert loaded["version"] == "1"
    assert anna.post(url, {**loaded, "summary": "Van Anna"}).status_code == 302
    refused = bram.post(url, {**loaded, "summary": "Van Bram", "verzoeken-0-text": "Ander"})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert f"Motie {motion} is intussen gewijzigd door Anna de Vries op " in html
    assert SAVED_ANYWAY in html
    assert "Van Bram</textarea>" in html and "Ander</textarea>" in html
    # What is stored now where Bram's input differs: the summary, and his changed request.
    first = motion.requests.get(number=1)
    assert '<li class="utrecht-unordered-list__item">Samenvatting: Van Anna</li>' in html
    assert (f'<li class="utrecht-unordered-list__item">Verzoek 1: {first.text} (status: '
            'Openstaand)</li>') in html  # fmt: skip
    assert "Verzoek 2:" not in html  # unchanged
    assert hidden_version(html) == "2"
    motion.refresh_from_db()
    assert (motion.summary, motion.version, motion.changed_by.username) == ("Van Anna", 2, "anna")
    assert "Ander" not in motion.requests.values_list("text", flat=True)


@pytest.mark.parametrize("kind", ["mijlpalen", "moties"])
def test_the_api_refuses_a_stale_versie_with_409_problem_json(kind):
    pk = selection_step().pk if kind == "mijlpalen" else Motion.objects.get().pk
    model = Milestone if kind == "mijlpalen" else Motion
    field, attribute = (
        ("notes", "toelichting") if kind == "mijlpalen" else ("summary", "samenvatting")
    )
    url = f"/api/v1/{kind}/{pk}"
    anna, bram = manager("Anna"), manager("Bram")
    read = bram.get(url).json()
    assert read["versie"] == 1
    first = anna.patch(url, {attribute: "Van Anna", "versie": 1}, content_type=JSON)
    assert (first.status_code, first.json()["versie"]) == (200, 2), first.content
    stale = bram.patch(url, {attribute: "Van Bram", "versie": read["versie"]}, content_type=JSON)
    assert stale.status_code == 409
    assert stale["Content-Type"] == "application/problem+json"
    assert stale.json()["detail"].endswith(
        f"{SAVED_ANYWAY} Haal het gegeven opnieuw op (GET) en breng uw wijziging opnieuw aan op "
        "de actuele versie."
    )
    record = model.objects.get(pk=pk)
    assert (getattr(record, field), record.version) == ("Van Anna", 2)
    missing = bram.patch(url, {attribute: "Van Bram"}, content_type=JSON)
    assert missing.status_code == 400
    assert missing.json()["invalidParams"][0]["name"] == "versie"


def test_a_motion_made_through_the_api_starts_at_version_1():
    body = {"aanbesteding": "30209886", "datum": "2026-02-12", "titel": "Nieuw", "partij": "D66",
            "verzoeken": [{"nummer": 1, "verzoek": "Doe iets."}]}  # fmt: skip
    response = manager("Anna").post("/api/v1/moties", body, content_type=JSON)
    assert (response.status_code, response.json()["versie"]) == (201, 1), response.content
    assert Motion.objects.get(pk=response.json()["id"]).changed_by.username == "anna"


def test_the_award_page_writing_a_step_counts_its_version_up(contract_manager_client,
                                                             dialogue_held):  # fmt: skip
    """The award decision is the step's actual date: a page of that step opened before must
    not overwrite it unseen."""
    step = Milestone.objects.get(tender__reference="30209886", code="provisional_award")
    url = f"/aanbesteding/mijlpalen/{step.pk}/wijzigen/"
    award = {"awarded_candidate": "", "provisional_award_date": "2026-03-05",
             "standstill_days": "20", "definitive_award_date": "", "contract": "",
             "cancelled_date": ""}  # fmt: skip
    assert contract_manager_client.post("/aanbesteding/30209886/gunning/", award).status_code == 302
    stale = contract_manager_client.post(url, {"actual_start": "2026-03-04", "actual_end": "",
                                               "notes": "", "version": "1"})  # fmt: skip
    assert stale.status_code == 409
    step.refresh_from_db()
    assert (step.actual_start, step.version) == (datetime.date(2026, 3, 5), 2)

"""One source of truth for the decision dates: the award and selection decisions are the actual
dates of their steps, whichever page or endpoint records them; the tender's status follows.
Actual dates in the future are refused everywhere."""

import datetime

import pytest
from django.utils import timezone

from procurement.models import Candidate, Milestone, Tender

D = datetime.date
pytestmark = pytest.mark.django_db
AWARD = "/aanbesteding/30209886/gunning/"


def step(code):
    return Milestone.objects.get(tender__reference="30209886", code=code)


def tender():
    return Tender.objects.get(reference="30209886")


def award_form(**overrides):
    data = {"awarded_candidate": "", "provisional_award_date": "", "standstill_days": "20",
            "definitive_award_date": "", "contract": "", "cancelled_date": ""}  # fmt: skip
    data.update(overrides)
    return data


def edit_step(client, code, **data):
    milestone = step(code)  # as the page shows it now, with its current version
    payload = {"actual_start": "", "actual_end": "", "notes": "", "version": milestone.version}
    payload.update(data)
    return client.post(f"/aanbesteding/mijlpalen/{milestone.pk}/wijzigen/", payload)


def test_the_award_page_writes_the_award_steps(contract_manager_client, dialogue_held):
    response = contract_manager_client.post(AWARD, award_form(provisional_award_date="2026-03-05"))
    assert response.status_code == 302
    assert step("provisional_award").actual_start == D(2026, 3, 5)
    assert step("definitive_award").actual_start is None
    page = contract_manager_client.get("/aanbesteding/").content.decode()
    item = page.split('id="tijdlijn-mijlpaal-provisional_award"', 1)[1].split("</li>", 1)[0]
    assert "Werkelijk: 5 maart 2026" in item and "Afgerond" in item
    # Clearing the decision on the award page clears the step too.
    contract_manager_client.post(AWARD, award_form())
    assert step("provisional_award").actual_start is None


def test_the_milestone_page_changes_the_tenders_award_dates(contract_manager_client, dialogue_held):
    response = edit_step(contract_manager_client, "provisional_award", actual_start="2026-03-05")
    assert response.status_code == 302
    assert tender().provisional_award_date == D(2026, 3, 5)
    page = contract_manager_client.get("/aanbesteding/30209886/").content.decode()
    assert "<dd>5 maart 2026</dd>" in page  # the award section reads the step
    assert '<dd id="vroegste-ondertekening">26 maart 2026</dd>' in page
    form = contract_manager_client.get(AWARD).content.decode()
    assert 'name="provisional_award_date" value="2026-03-05"' in form


def test_the_milestone_page_obeys_the_standstill(contract_manager_client, dialogue_held):
    edit_step(contract_manager_client, "provisional_award", actual_start="2026-03-05")
    response = edit_step(contract_manager_client, "definitive_award", actual_start="2026-03-25")
    assert response.status_code == 200
    assert (
        "Werkelijke datum: De definitieve gunning kan pas na de opschortende termijn: op of na "
        "26-03-2026." in response.content.decode()
    )
    assert step("definitive_award").actual_start is None
    edit_step(contract_manager_client, "definitive_award", actual_start="2026-03-26")
    # Moving the award decision later would put the signing inside the standstill: refused.
    response = edit_step(contract_manager_client, "provisional_award", actual_start="2026-03-10")
    assert (
        "Werkelijke datum: De definitieve gunning is al vastgelegd op 26-03-2026. De definitieve "
        "gunning kan pas na de opschortende termijn: op of na 31-03-2026."
    ) in response.content.decode()
    response = edit_step(contract_manager_client, "provisional_award")
    assert "Vul eerst de datum van de voorlopige gunning" in response.content.decode()
    assert tender().provisional_award_date == D(2026, 3, 5)
    response = edit_step(
        contract_manager_client, "provisional_award", actual_start="2026-03-05",
        actual_end="2026-03-06",
    )  # fmt: skip
    assert "Werkelijk tot en met: Een besluit valt op één dag" in response.content.decode()


def test_future_actual_dates_are_refused_by_the_form(contract_manager_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = edit_step(
        contract_manager_client, "contract_start", actual_start=tomorrow.isoformat()
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Werkelijke datum: Deze datum ligt in de toekomst" in page
    assert step("contract_start").actual_start is None
    response = edit_step(
        contract_manager_client, "dialogue", actual_start="2025-12-02",
        actual_end=tomorrow.isoformat(),
    )  # fmt: skip
    assert "Werkelijk tot en met: Deze datum ligt in de toekomst" in response.content.decode()
    response = contract_manager_client.post(
        AWARD, award_form(provisional_award_date=tomorrow.isoformat())
    )
    assert (
        "Datum voorlopige gunning (gunningsbeslissing): Deze datum ligt in de toekomst"
        in response.content.decode()
    )
    assert step("provisional_award").actual_start is None


def test_a_period_step_runs_until_its_end_is_recorded(contract_manager_client):
    assert step("dialogue").is_period and step("implementation").is_period
    assert not step("selection").is_period
    edit_step(contract_manager_client, "dialogue", actual_start="2025-12-02")
    page = contract_manager_client.get("/aanbesteding/30209886/").content.decode()
    row = page.split('id="mijlpaal-dialogue"', 1)[1].split("</tr>", 1)[0]
    assert "vanaf 2 december 2025 (loopt nog)" in row
    today = timezone.localdate()
    if today > D(2026, 1, 31):
        assert "Te laat" in row  # under way long past its planned end
    edit_step(
        contract_manager_client, "dialogue", actual_start="2025-12-02", actual_end="2026-01-29"
    )
    page = contract_manager_client.get("/aanbesteding/30209886/").content.decode()
    row = page.split('id="mijlpaal-dialogue"', 1)[1].split("</tr>", 1)[0]
    assert "2 december 2025 t/m 29 januari 2026" in row and "Afgerond" in row


def test_the_selection_date_is_the_selection_step(contract_manager_client):
    t = tender()
    alfa = Candidate.objects.create(tender=t, name="Alfa")
    bravo = Candidate.objects.create(tender=t, name="Bravo")
    url = "/aanbesteding/kandidaten/{}/wijzigen/"
    response = contract_manager_client.post(
        url.format(alfa.pk), {"name": "Alfa", "status": "selected"}
    )
    assert "Datum selectiebesluit: Vul de datum van het selectiebesluit in." in (
        response.content.decode()
    )
    response = contract_manager_client.post(
        url.format(alfa.pk),
        {"name": "Alfa", "status": "selected", "selection_date": "2025-11-18"},
    )
    assert response.status_code == 302
    assert step("selection").actual_start == D(2025, 11, 18)
    # The second candidate gets the same decision without typing it again.
    form = contract_manager_client.get(url.format(bravo.pk)).content.decode()
    assert 'name="selection_date" value="2025-11-18"' in form
    response = contract_manager_client.post(
        url.format(bravo.pk),
        {"name": "Bravo", "status": "not_selected", "selection_date": "2025-11-19"},
    )
    assert (
        "Het selectiebesluit is vastgelegd op 18-11-2025 en geldt voor alle kandidaten."
        in response.content.decode()
    )
    contract_manager_client.post(url.format(bravo.pk), {"name": "Bravo", "status": "not_selected"})
    assert [(c.name, c.selection_date) for c in t.candidates.order_by("name")] == [
        ("Alfa", D(2025, 11, 18)), ("Bravo", D(2025, 11, 18)),
    ]  # fmt: skip
    page = contract_manager_client.get("/aanbesteding/30209886/").content.decode()
    candidates = page.split('id="kandidaten"', 1)[1].split("</table>", 1)[0]
    assert candidates.count('<td class="utrecht-table__cell">18 november 2025</td>') == 2
    # The step cannot lose its date while candidates hang on it.
    response = edit_step(contract_manager_client, "selection")
    assert "Er zijn al kandidaten geselecteerd of afgewezen" in response.content.decode()
    assert step("selection").actual_start == D(2025, 11, 18)


def test_tender_page_status_follows_the_recorded_steps(council_client, contract_manager_client):
    page = council_client.get("/aanbesteding/30209886/").content.decode()
    assert '<dd id="status">In voorbereiding' in page
    for code, day in (("draft_publication", "2025-05-15"), ("definitive_publication", "2025-09-01"),
                      ("selection", "2025-11-18")):  # fmt: skip
        edit_step(contract_manager_client, code, actual_start=day)
    page = council_client.get("/aanbesteding/30209886/").content.decode()
    assert '<dd id="status">Selectie' in page
    assert council_client.get("/api/v1/aanbestedingen/30209886").json()["status"] == "selection"


def test_tender_page_explains_an_atw_extension(
    contract_manager_client, council_client, dialogue_held
):
    contract_manager_client.post(AWARD, award_form(provisional_award_date="2026-04-07"))
    page = council_client.get("/aanbesteding/30209886/").content.decode()
    assert "6 april 2026 t/m 28 april 2026" not in page
    assert "8 april 2026 t/m 28 april 2026" in page
    assert '<span id="termijnenwet">De 20 kalenderdagen eindigen op maandag 27 april 2026.' in page
    assert "Overgeslagen: 27 april: Koningsdag." in page
    assert '<dd id="vroegste-ondertekening">29 april 2026</dd>' in page
    timeline = council_client.get("/aanbesteding/").content.decode()
    assert (
        "Periode: 8 april 2026 t/m 28 april 2026 (verlengd volgens de Algemene termijnenwet)"
        in timeline
    )


def test_an_award_is_not_recorded_before_the_dialogue(contract_manager_client):
    # Before: the award decision was saved with the dialogue not held at all.
    response = contract_manager_client.post(AWARD, award_form(provisional_award_date="2026-03-05"))
    assert response.status_code == 200
    assert ("Een gunningsbeslissing kan pas na de dialoog. Leg eerst bij de stap "
            "&#x27;Dialoogsessies&#x27; vast wanneer de dialoog werkelijk is gehouden") in (
        response.content.decode())  # fmt: skip
    assert step("provisional_award").actual_start is None
    edit_step(contract_manager_client, "dialogue", actual_start="2025-12-01",
              actual_end="2026-03-10")  # fmt: skip
    response = contract_manager_client.post(AWARD, award_form(provisional_award_date="2026-03-05"))
    assert ("De gunningsbeslissing ligt vóór het einde van de dialoog (10-03-2026): gunnen kan "
            "pas na de dialoog.") in response.content.decode()  # fmt: skip
    # The step's own page and the API obey the same rule.
    response = edit_step(contract_manager_client, "provisional_award", actual_start="2026-03-05")
    assert (
        response.status_code == 200 and "vóór het einde van de dialoog" in response.content.decode()
    )
    api = contract_manager_client.patch("/api/v1/aanbestedingen/30209886",
                                        {"voorlopigeGunning": "2026-03-05"},
                                        content_type="application/json")  # fmt: skip
    assert api.status_code == 400 and api.json()["invalidParams"][0]["name"] == "voorlopigeGunning"
    assert step("provisional_award").actual_start is None
    assert contract_manager_client.post(
        AWARD, award_form(provisional_award_date="2026-03-10")).status_code == 302  # fmt: skip
    # Once the award is recorded, the dialogue cannot be moved past it.
    response = edit_step(contract_manager_client, "dialogue", actual_start="2025-12-01",
                         actual_end="2026-03-11")  # fmt: skip
    assert response.status_code == 200
    assert "De voorlopige gunning is al vastgelegd op 10-03-2026." in response.content.decode()
    assert step("dialogue").actual_end == D(2026, 3, 10)

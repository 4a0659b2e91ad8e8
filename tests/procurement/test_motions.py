"""Council motions made and changed by contract managers, on the pages and through the API, with
the same rules: requests with their numbers and responses, links to any milestone of the tender
(steps, council information moments, award decisions) and its options."""

import datetime

import pytest

from procurement.models import Milestone, Motion, MotionRequest, Tender

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def tender():
    return Tender.objects.get(reference="30209886")


def step(code):
    return Milestone.objects.get(tender__reference="30209886", code=code)


def new_motion_form(**overrides):
    data = {
        "date": "2026-02-12",
        "title": "Cliëntparticipatie in de implementatie",
        "submitter": "",
        "party": "GroenLinks",
        "status": "adopted",
        "summary": "Verzoekt cliënten te betrekken bij de implementatie.",
        "url": "raad.utrecht.nl/moties/2026-17",
        "verzoeken-TOTAL_FORMS": "3",
        "verzoeken-INITIAL_FORMS": "0",
    }
    for index in range(3):
        data[f"verzoeken-{index}-number"] = str(index + 1)
        data[f"verzoeken-{index}-text"] = ""
        data[f"verzoeken-{index}-response"] = ""
        data[f"verzoeken-{index}-status"] = "open"
    data.update(overrides)
    return data


def test_create_a_motion_with_requests_and_links(contract_manager_client, tender):
    council_letter = step("council_provisional_award")
    award = step("definitive_award")
    page = contract_manager_client.get("/aanbesteding/30209886/moties/nieuw/").content.decode()
    # Every milestone can be linked: steps, council information moments, award decisions.
    assert "Informatie aan de raad: Raadsinformatiebrief bij de voorlopige gunning" in page
    assert "Stap: Definitieve gunning (begin april 2026)" in page
    assert page.count('name="milestones"') == tender.milestones.count() == 22
    assert 'name="verzoeken-0-number" value="1"' in page  # numbers proposed
    data = new_motion_form(
        milestones=[str(council_letter.pk), str(award.pk)],
        options=[str(tender.options.get(kind="bt_pilots").pk)],
        **{
            "verzoeken-0-text": "Cliëntenraden te betrekken bij de implementatie.",
            "verzoeken-1-text": "De raad halfjaarlijks te informeren.",
            "verzoeken-1-response": "Toegezegd in de verzamelbrief.",
            "verzoeken-1-status": "done",
        },
    )
    response = contract_manager_client.post("/aanbesteding/30209886/moties/nieuw/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    motion = Motion.objects.get(title="Cliëntparticipatie in de implementatie")
    assert response["Location"] == f"/aanbesteding/moties/{motion.pk}/"
    assert (motion.date, motion.party, motion.status, motion.url) == (
        D(2026, 2, 12), "GroenLinks", "adopted", "https://raad.utrecht.nl/moties/2026-17",
    )  # fmt: skip
    assert [(r.number, r.status) for r in motion.requests.all()] == [(1, "open"), (2, "done")]
    assert set(motion.milestones.values_list("code", flat=True)) == {
        "council_provisional_award", "definitive_award",
    }  # fmt: skip
    assert [o.kind for o in motion.options.all()] == ["bt_pilots"]
    detail = contract_manager_client.get(response["Location"]).content.decode()
    assert (
        "Informatie aan de raad: " in detail and "Raadsinformatiebrief bij de voorlopige" in detail
    )
    assert "Toegezegd in de verzamelbrief." in detail
    timeline = contract_manager_client.get("/aanbesteding/").content.decode()
    assert "Motie: Cliëntparticipatie in de implementatie (GroenLinks)" in timeline


def test_a_motion_without_requests_or_with_errors_saves_nothing(contract_manager_client):
    before = Motion.objects.count()
    response = contract_manager_client.post(
        "/aanbesteding/30209886/moties/nieuw/", new_motion_form(title="", date="31-02-2026")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Er is niets opgeslagen." in page
    assert "Titel: Dit veld is vereist." in page
    assert "Datum: Voer een geldige datum in." in page
    response = contract_manager_client.post(
        "/aanbesteding/30209886/moties/nieuw/", new_motion_form()
    )
    assert "Verzoeken: Een motie heeft ten minste één verzoek aan het college." in (
        response.content.decode()
    )
    response = contract_manager_client.post(
        "/aanbesteding/30209886/moties/nieuw/",
        new_motion_form(**{"verzoeken-0-text": "Eén.", "verzoeken-1-text": "Twee.",
                           "verzoeken-1-number": "1"}),
    )  # fmt: skip
    page = response.content.decode()
    assert "Nummer: Verzoek 1 komt twee keer voor; elk verzoek heeft een eigen nummer." in page
    assert Motion.objects.count() == before


def full_form(motion, **overrides):
    from tests.procurement.test_forms import motion_data

    return motion_data(motion, **overrides)


def test_edit_title_date_party_summary_and_requests(contract_manager_client):
    motion = Motion.objects.get()
    first, second, third = motion.requests.all()
    data = full_form(
        motion,
        title="WMO aanvullende zorg divers en kleinschalig houden (gewijzigd)",
        date="2025-07-18",
        submitter="J. de Vries",
        party="EenUtrecht, PvdD",
        summary="Gewijzigde overwegingen.",
        status="rejected",
        **{
            # Request 1 is removed, 2 and 3 swap numbers, and a fourth is added.
            "verzoeken-0-DELETE": "on",
            "verzoeken-1-number": "3",
            "verzoeken-2-number": "2",
            "verzoeken-3-number": "4",
            "verzoeken-3-text": "Een nieuw verzoek.",
        },
    )
    response = contract_manager_client.post(f"/aanbesteding/moties/{motion.pk}/wijzigen/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    motion.refresh_from_db()
    assert (motion.title, motion.date, motion.submitter, motion.party, motion.status) == (
        "WMO aanvullende zorg divers en kleinschalig houden (gewijzigd)", D(2025, 7, 18),
        "J. de Vries", "EenUtrecht, PvdD", "rejected",
    )  # fmt: skip
    assert motion.summary == "Gewijzigde overwegingen."
    rows = [(r.pk, r.number, r.text) for r in motion.requests.all()]
    assert rows[:2] == [(third.pk, 2, third.text), (second.pk, 3, second.text)]
    assert rows[2][1:] == (4, "Een nieuw verzoek.")
    assert not MotionRequest.objects.filter(pk=first.pk).exists()


def test_council_members_read_motions_but_cannot_change_them(council_client):
    motion = Motion.objects.get()
    page = council_client.get(f"/aanbesteding/moties/{motion.pk}/").content.decode()
    assert "Motie wijzigen" not in page
    assert "Motie toevoegen" not in council_client.get("/aanbesteding/moties/").content.decode()
    assert council_client.post(f"/aanbesteding/moties/{motion.pk}/wijzigen/", {}).status_code == 403
    assert council_client.get("/aanbesteding/30209886/moties/nieuw/").status_code == 403


def test_contract_managers_see_the_links(contract_manager_client):
    motion = Motion.objects.get()
    listing = contract_manager_client.get("/aanbesteding/moties/").content.decode()
    assert 'href="/aanbesteding/30209886/moties/nieuw/">Motie toevoegen</a>' in listing
    tender_page = contract_manager_client.get("/aanbesteding/30209886/").content.decode()
    assert 'href="/aanbesteding/30209886/moties/nieuw/">Motie toevoegen</a>' in tender_page
    detail = contract_manager_client.get(f"/aanbesteding/moties/{motion.pk}/").content.decode()
    assert f'href="/aanbesteding/moties/{motion.pk}/wijzigen/">Motie wijzigen' in detail


API = "/api/v1/moties"


def new_motion_json(**overrides):
    body = {
        "aanbesteding": "30209886",
        "datum": "2026-02-12",
        "titel": "Cliëntparticipatie in de implementatie",
        "partij": "GroenLinks",
        "verzoeken": [
            {"nummer": 1, "verzoek": "Cliëntenraden te betrekken."},
            {"nummer": 2, "verzoek": "De raad te informeren.", "reactie": "Toegezegd.",
             "status": "done"},
        ],
        "mijlpalen": ["council_provisional_award", "provisional_award"],
        "contractopties": ["u16_decision_2029"],
    }  # fmt: skip
    body.update(overrides)
    return body


def test_api_creates_a_motion(contract_manager_client):
    response = contract_manager_client.post(API, new_motion_json(), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["titel"], body["partij"], body["status"], body["aanbesteding"]) == (
        "Cliëntparticipatie in de implementatie", "GroenLinks", "unknown", "30209886",
    )  # fmt: skip
    assert body["verzoeken"] == [
        {"nummer": 1, "verzoek": "Cliëntenraden te betrekken.", "reactie": "", "status": "open"},
        {"nummer": 2, "verzoek": "De raad te informeren.", "reactie": "Toegezegd.",
         "status": "done"},
    ]  # fmt: skip
    assert sorted(body["mijlpalen"]) == ["council_provisional_award", "provisional_award"]
    assert body["contractopties"] == ["u16_decision_2029"]
    assert Motion.objects.get(pk=body["id"]).requests.count() == 2


def test_api_applies_the_same_rules(contract_manager_client):
    before = Motion.objects.count()
    bad = new_motion_json(
        verzoeken=[
            {"nummer": 1, "verzoek": "Eén.", "status": "declined"},
            {"nummer": 1, "verzoek": "Twee."},
        ],
        mijlpalen=["selection", "does_not_exist"],
    )
    response = contract_manager_client.post(API, bad, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = {(e["name"], e["reason"]) for e in response.json()["invalidParams"]}
    assert errors == {
        ("mijlpalen", "Onbekend voor deze aanbesteding: does_not_exist."),
        ("verzoeken.0.reactie", "Geef de reactie van het college bij een afgehandeld verzoek."),
        ("verzoeken.1.nummer",
         "Verzoek 1 komt twee keer voor; elk verzoek heeft een eigen nummer."),
    }  # fmt: skip
    response = contract_manager_client.post(
        API, new_motion_json(verzoeken=[]), content_type="application/json"
    )
    assert response.json()["invalidParams"] == [
        {"name": "verzoeken", "code": "invalid",
         "reason": "Een motie heeft ten minste één verzoek aan het college."}
    ]  # fmt: skip
    response = contract_manager_client.post(
        API, {"titel": "Alleen een titel"}, content_type="application/json"
    )
    assert {e["name"] for e in response.json()["invalidParams"]} == {
        "aanbesteding", "datum", "partij", "verzoeken",
    }  # fmt: skip
    assert Motion.objects.count() == before


def test_api_patch_changes_fields_requests_and_links(contract_manager_client):
    motion = Motion.objects.get()
    second = motion.requests.get(number=2)
    response = contract_manager_client.patch(
        f"{API}/{motion.pk}",
        {
            "titel": "Nieuwe titel",
            "datum": "2025-07-18",
            "verzoeken": [
                {"nummer": 2, "verzoek": second.text, "reactie": "Niet overgenomen.",
                 "status": "declined"},
                {"nummer": 4, "verzoek": "Nieuw."},
            ],
            "mijlpalen": ["verzamelbrief_selection"],
            "versie": 1,
        },
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["titel"], body["datum"]) == ("Nieuwe titel", "2025-07-18")
    assert [(v["nummer"], v["status"]) for v in body["verzoeken"]] == [(2, "declined"), (4, "open")]
    assert body["mijlpalen"] == ["verzamelbrief_selection"]
    assert motion.requests.get(number=2).pk == second.pk  # updated in place, not replaced
    # Without `verzoeken` the requests stay as they are.
    response = contract_manager_client.patch(
        f"{API}/{motion.pk}", {"status": "held", "versie": 2}, content_type="application/json"
    )
    assert [v["nummer"] for v in response.json()["verzoeken"]] == [2, 4]
    Tender.objects.create(
        title="Andere", reference="T-2", procedure="open", regime="full",
        instrument="public_contract",
    )  # fmt: skip
    response = contract_manager_client.patch(
        f"{API}/{motion.pk}", {"aanbesteding": "T-2", "versie": 3}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [
        {"name": "aanbesteding", "code": "invalid",
         "reason": "De aanbesteding van een motie verandert niet."}
    ]  # fmt: skip


@pytest.mark.parametrize("role", ["council_member", "buurtteam_worker"])
def test_api_writes_are_for_contract_managers_only(client_for, role):
    client = client_for(role)
    motion = Motion.objects.get()
    assert client.post(API, new_motion_json(), content_type="application/json").status_code == 403
    response = client.patch(f"{API}/{motion.pk}", {"titel": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert Motion.objects.count() == 1
    assert Motion.objects.get().title == "WMO aanvullende zorg, divers en kleinschalig houden"

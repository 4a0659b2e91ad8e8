"""Contract managers record the award criteria and their weights, the tender's documents and the dialogue
sessions with their participants; invalid input saves nothing and says why in Dutch."""

import datetime
from decimal import Decimal

import pytest

from procurement.models import (
    Candidate,
    DialogueParticipant,
    DialogueSession,
    EvaluationScore,
    Tender,
    TenderDocument,
)

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def tender():
    return Tender.objects.get(reference="30209886")


def criteria_form(tender, weights=None, new=(), delete=()):
    """The criteria page's POST: the tender's criteria (weights overridden by number, some
    marked for deletion) and new rows of (number, title, weight)."""
    existing = list(tender.criteria.all())
    data = {
        "criteria-TOTAL_FORMS": str(len(existing) + len(new)),
        "criteria-INITIAL_FORMS": str(len(existing)),
    }
    rows = [(c.pk, c.number, c.title, (weights or {}).get(c.number, c.weight)) for c in existing]
    rows += [(None, *row) for row in new]
    for index, (pk, number, title, weight) in enumerate(rows):
        prefix = f"criteria-{index}-"
        data |= {f"{prefix}number": str(number), f"{prefix}title": title,
                 f"{prefix}weight": str(weight)}  # fmt: skip
        if pk:
            data |= {f"{prefix}id": str(pk), f"{prefix}tender": str(tender.pk)}
        if number in delete:
            data[f"{prefix}DELETE"] = "on"
    return data


EIGHT = [(n, f"Criterium {n}", "12.50") for n in range(1, 9)]


def test_criteria_are_recorded_changed_and_the_ranking_follows(contract_manager_client, tender):
    page = contract_manager_client.get("/aanbesteding/30209886/").content.decode()
    assert "nog geen gunningscriteria en wegingen vastgelegd" in page
    assert (
        'href="/aanbesteding/30209886/gunningscriteria/">Gunningscriteria en wegingen '
        "vastleggen</a>" in page
    )
    response = contract_manager_client.post(
        "/aanbesteding/30209886/gunningscriteria/", criteria_form(tender, new=EIGHT)
    )
    assert response.status_code == 302
    assert response["Location"] == "/aanbesteding/30209886/#beoordeling"
    alfa = Candidate.objects.create(tender=tender, name="Alfa")
    for criterion in tender.criteria.all():
        EvaluationScore.objects.create(
            candidate=alfa, criterion=criterion, score=10 if criterion.number == 1 else 6
        )
    page = contract_manager_client.get("/aanbesteding/30209886/").content.decode()
    assert "<strong>6,50</strong>" in page  # (10 + 7 × 6) / 8
    assert "Gunningscriteria en wegingen wijzigen</a>" in page
    response = contract_manager_client.post(
        "/aanbesteding/30209886/gunningscriteria/",
        criteria_form(tender, {1: "30", 2: "7.5", 3: "0"}),
    )
    assert response.status_code == 302
    assert [c.weight for c in tender.criteria.all()][:3] == [
        Decimal("30.00"), Decimal("7.50"), Decimal("0.00"),
    ]  # fmt: skip
    page = contract_manager_client.get("/aanbesteding/30209886/").content.decode()
    assert "<strong>7,20</strong>" in page  # 0.3 × 10 + 0.7 × 6
    assert "som van de wegingen: 100,00 %" in page


def test_weights_not_making_100_are_refused(contract_manager_client, tender):
    response = contract_manager_client.post(
        "/aanbesteding/30209886/gunningscriteria/",
        criteria_form(tender, new=[(1, "Kwaliteit", "60")]),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Er is niets opgeslagen." in page
    assert (
        "Wegingen: De wegingen tellen samen op tot 60,00 %; samen moeten ze precies 100 % zijn."
        in page
    )
    assert not tender.criteria.exists()
    contract_manager_client.post(
        "/aanbesteding/30209886/gunningscriteria/", criteria_form(tender, new=EIGHT)
    )
    response = contract_manager_client.post(
        "/aanbesteding/30209886/gunningscriteria/", criteria_form(tender, {1: "20"})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Wegingen: De wegingen tellen samen op tot 107,50 %; samen moeten ze precies 100 % zijn."
        in page
    )
    response = contract_manager_client.post(
        "/aanbesteding/30209886/gunningscriteria/", criteria_form(tender, {2: "-5", 3: "117.5"})
    )
    page = response.content.decode()
    assert "Een weging kan niet negatief zijn." in page
    assert "Een weging is hoogstens 100 %." in page
    response = contract_manager_client.post(
        "/aanbesteding/30209886/gunningscriteria/",
        criteria_form(tender, {1: "10"}, new=[(1, "Prijs", "2.5")]),
    )
    assert "Twee gunningscriteria hebben hetzelfde nummer." in response.content.decode()
    assert {c.weight for c in tender.criteria.all()} == {Decimal("12.50")}
    assert tender.criteria.count() == 8


def test_criteria_are_removed_together(contract_manager_client, tender):
    contract_manager_client.post(
        "/aanbesteding/30209886/gunningscriteria/", criteria_form(tender, new=EIGHT)
    )
    response = contract_manager_client.post(
        "/aanbesteding/30209886/gunningscriteria/",
        criteria_form(tender, {1: "50"}, delete=range(2, 5)),
    )
    assert response.status_code == 302
    assert [(c.number, c.weight) for c in tender.criteria.all()] == [
        (1, Decimal("50.00")), (5, Decimal("12.50")), (6, Decimal("12.50")),
        (7, Decimal("12.50")), (8, Decimal("12.50")),
    ]  # fmt: skip
    response = contract_manager_client.post(
        "/aanbesteding/30209886/gunningscriteria/", criteria_form(tender, delete=range(1, 9))
    )
    assert response.status_code == 302
    assert not tender.criteria.exists()  # none at all is allowed: nothing is weighed


def documents_form(tender, **overrides):
    docs = list(tender.documents.all())
    data = {
        "documenten-TOTAL_FORMS": str(len(docs) + 1),
        "documenten-INITIAL_FORMS": str(len(docs)),
    }
    for index, doc in enumerate(docs):
        data[f"documenten-{index}-id"] = str(doc.pk)
        data[f"documenten-{index}-tender"] = str(tender.pk)
        data[f"documenten-{index}-title"] = doc.title
        data[f"documenten-{index}-date"] = doc.date.isoformat()
        data[f"documenten-{index}-url"] = doc.url
    new = len(docs)
    data.update({f"documenten-{new}-title": "", f"documenten-{new}-date": "",
                 f"documenten-{new}-url": ""})  # fmt: skip
    data.update(overrides)
    return data


def test_documents_are_added_changed_and_removed(contract_manager_client, tender):
    first, second = tender.documents.all()
    data = documents_form(
        tender,
        **{
            "documenten-0-DELETE": "on",
            "documenten-1-url": "www.utrecht.nl/collegebrief-30209886.pdf",
            "documenten-2-title": "Raadsinformatiebrief selectie kandidaten",
            "documenten-2-date": "2025-11-20",
        },
    )
    response = contract_manager_client.post("/aanbesteding/30209886/documenten/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(d.title, d.date, d.url) for d in tender.documents.all()] == [
        (second.title, D(2025, 4, 2), "https://www.utrecht.nl/collegebrief-30209886.pdf"),
        ("Raadsinformatiebrief selectie kandidaten", D(2025, 11, 20), ""),
    ]
    assert not TenderDocument.objects.filter(pk=first.pk).exists()
    page = contract_manager_client.get("/aanbesteding/30209886/").content.decode()
    assert 'href="https://www.utrecht.nl/collegebrief-30209886.pdf">Collegebrief' in page


def test_document_errors_save_nothing(contract_manager_client, tender):
    data = documents_form(
        tender, **{"documenten-0-title": "", "documenten-2-title": "Zonder datum"}
    )
    response = contract_manager_client.post("/aanbesteding/30209886/documenten/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Er is niets opgeslagen." in page
    assert "Titel: Dit veld is vereist." in page
    assert "Datum: Dit veld is vereist." in page
    assert tender.documents.count() == 2
    assert tender.documents.filter(title="").count() == 0


@pytest.fixture
def session(tender):
    alfa = Candidate.objects.create(tender=tender, name="Alfa", status="selected")
    session = DialogueSession.objects.create(tender=tender, date=D(2025, 12, 9), theme="Wijk")
    session.candidates.add(alfa)
    DialogueParticipant.objects.create(session=session, kind="partner", name="Buurtteam Noord")
    DialogueParticipant.objects.create(
        session=session, kind="client_representative", name="Cliëntenraad Utrecht"
    )
    return session


def session_form(session, **overrides):
    participants = list(session.participants.all())
    data = {
        "date": session.date.isoformat(),
        "theme": session.theme,
        "candidates": [str(c.pk) for c in session.candidates.all()],
        "notes": "",
        "deelnemers-TOTAL_FORMS": str(len(participants) + 2),
        "deelnemers-INITIAL_FORMS": str(len(participants)),
    }
    for index, p in enumerate(participants):
        data.update({f"deelnemers-{index}-id": str(p.pk), f"deelnemers-{index}-session": str(session.pk),
                     f"deelnemers-{index}-kind": p.kind, f"deelnemers-{index}-name": p.name})  # fmt: skip
    for index in range(len(participants), len(participants) + 2):
        data.update({f"deelnemers-{index}-kind": "", f"deelnemers-{index}-name": ""})
    data.update(overrides)
    return data


def test_dialogue_session_participants_are_edited(contract_manager_client, session):
    page = contract_manager_client.get("/aanbesteding/30209886/").content.decode()
    assert f'href="/aanbesteding/dialoogsessies/{session.pk}/wijzigen/">Wijzig' in page
    order = [p.name for p in session.participants.all()]  # ordered by kind, then name
    assert order == ["Cliëntenraad Utrecht", "Buurtteam Noord"]
    data = session_form(
        session,
        theme="Wijkgericht werken",
        **{
            "deelnemers-1-DELETE": "on",  # Buurtteam Noord
            "deelnemers-0-name": "Cliëntenraad Wmo Utrecht",
            "deelnemers-2-kind": "expert_by_experience",
            "deelnemers-2-name": "Ervaringsdeskundige Overvecht",
        },
    )
    response = contract_manager_client.post(
        f"/aanbesteding/dialoogsessies/{session.pk}/wijzigen/", data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    session.refresh_from_db()
    assert session.theme == "Wijkgericht werken"
    assert sorted((p.kind, p.name) for p in session.participants.all()) == [
        ("client_representative", "Cliëntenraad Wmo Utrecht"),
        ("expert_by_experience", "Ervaringsdeskundige Overvecht"),
    ]


def test_dialogue_session_errors_save_nothing(contract_manager_client, session):
    data = session_form(session, date="", **{"deelnemers-0-name": "", "deelnemers-1-DELETE": "on"})
    response = contract_manager_client.post(
        f"/aanbesteding/dialoogsessies/{session.pk}/wijzigen/", data
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Datum: Dit veld is vereist." in page
    assert "Naam of organisatie: Dit veld is vereist." in page
    assert session.participants.count() == 2

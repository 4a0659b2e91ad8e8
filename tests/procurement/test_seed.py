"""The data migration: a fresh database (SQLite or PostgreSQL) holds the tender of the college
letter, its eight steps, the council information moments, the options and the motion."""

import datetime
import os

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from procurement.models import Milestone, Motion, Tender, TenderOption

D = datetime.date
pytestmark = pytest.mark.django_db


def test_tender_of_the_college_letter():
    tender = Tender.objects.get(reference="30209886")
    assert tender.title == "Wmo aanvullende zorg in de wijk"
    assert tender.get_procedure_display() == "Dialooggerichte aanbesteding"
    assert tender.regime == "sas_above_threshold"
    assert tender.instrument == "public_contract"
    assert tender.contract_start == D(2027, 1, 1)
    assert tender.standstill_days == 20
    assert [d.date for d in tender.documents.all()] == [D(2024, 3, 28), D(2025, 4, 2)]


def test_the_eight_steps_and_later_moments_with_their_planned_periods():
    steps = Milestone.objects.filter(tender__reference="30209886", kind="step").order_by("order")
    assert [(s.planned_label, s.planned_start, s.planned_end) for s in steps] == [
        ("half mei 2025", D(2025, 5, 11), D(2025, 5, 20)),
        ("eind augustus/begin september 2025", D(2025, 8, 21), D(2025, 9, 10)),
        ("half november 2025", D(2025, 11, 11), D(2025, 11, 20)),
        ("december 2025 – januari 2026", D(2025, 12, 1), D(2026, 1, 31)),
        ("begin maart 2026", D(2026, 3, 1), D(2026, 3, 10)),
        ("begin april 2026", D(2026, 4, 1), D(2026, 4, 10)),
        ("april – december 2026", D(2026, 4, 1), D(2026, 12, 31)),
        ("1 januari 2027", D(2027, 1, 1), D(2027, 1, 1)),
        # The contract's later moments (0010, TRANSITION.md).
        ("2027–2028", D(2027, 1, 1), D(2028, 12, 31)),
        ("vóór 2029 (koers vanaf 2029)", D(2028, 1, 1), D(2028, 12, 31)),
        (
            "gericht op 2031, eerder als evaluaties daartoe aanleiding geven",
            D(2031, 1, 1),
            D(2031, 12, 31),
        ),
    ]
    assert steps[0].title == "Concept-publicatie van de opdracht en marktconsultatie"
    assert steps[7].title == "Start van het contract"
    assert all(s.actual_start is None for s in steps)


def test_council_information_moments():
    council = Milestone.objects.filter(tender__reference="30209886", kind="council_info")
    assert council.filter(channel="verzamelbrief").count() == 8
    letters = council.filter(channel="raadsinformatiebrief").order_by("order")
    assert [(m.concerns.code, m.planned_label) for m in letters] == [
        ("selection", "half november 2025"),
        ("provisional_award", "begin maart 2026"),
        ("definitive_award", "begin april 2026"),
    ]


def test_principles_without_weights_and_no_criteria():
    tender = Tender.objects.get(reference="30209886")
    principles = list(tender.principles.all())
    assert [p.number for p in principles] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert principles[1].title == "De ondersteuningsvraag van inwoners staat centraal"
    assert not tender.criteria.exists()


def test_contract_options():
    options = TenderOption.objects.filter(tender__reference="30209886").order_by("period_start")
    assert [(o.kind, o.period_start, o.period_end, o.status) for o in options] == [
        ("bt_pilots", D(2027, 1, 1), D(2028, 12, 31), "open"),
        ("u16_decision_2029", D(2029, 1, 1), None, "open"),
        ("hbh_review_2031", D(2031, 1, 1), None, "open"),
    ]


def test_motion_of_17_july_2025_with_three_requests():
    motion = Motion.objects.get(date=D(2025, 7, 17))
    assert motion.title == "WMO aanvullende zorg, divers en kleinschalig houden"
    assert motion.party == "EenUtrecht"
    assert motion.status == "unknown"
    assert motion.get_status_display() == "Onbekend"
    requests = list(motion.requests.all())
    assert [r.number for r in requests] == [1, 2, 3]
    assert requests[0].text.startswith("Het besluit om over te gaan naar één aanbieder")
    assert '"bij voorkeur nog dit jaar 2025"' in requests[2].text
    assert all(r.status == "open" and r.response == "" for r in requests)
    assert set(motion.milestones.values_list("code", flat=True)) == {
        "definitive_publication",
        "selection",
    }


def test_loaded_by_migrate_on_postgresql():
    """Under `make test` (services required) the test database is PostgreSQL and was built by
    running the migrations, so the rows above come from the data migration itself."""
    if os.environ.get("WMO_TEST_REQUIRE_SERVICES") == "1":
        assert connection.vendor == "postgresql"
    applied = MigrationRecorder(connection).applied_migrations()
    assert ("procurement", "0002_tender_2025_2027") in applied
    assert ("procurement", "0004_tender_contract_and_calendar_feed") in applied
    assert ("procurement", "0010_transition_decision_moments") in applied
    assert Milestone.objects.filter(tender__reference="30209886", kind="step").count() == 8 + 3
    assert Motion.objects.filter(tender__reference="30209886", status="unknown").count() == 1

"""The .ics export parses back into the same milestones and decision dates."""

import datetime

import pytest
from icalendar import Calendar

from procurement.models import Milestone, Tender

pytestmark = pytest.mark.django_db


def events_by_uid(content: bytes):
    calendar = Calendar.from_ical(content)
    assert calendar["VERSION"] == "2.0"
    assert "Gemeente Utrecht" in str(calendar["PRODID"])
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_ics_has_every_milestone_option_and_motion(contract_manager_client):
    response = contract_manager_client.get("/aanbesteding/planning.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = events_by_uid(response.content)
    assert len(events) == 19 + 3 + 1  # milestones, options, motion
    start = events["aanbesteding-30209886-mijlpaal-contract_start@wmo-aanvullende-zorg.utrecht.nl"]
    assert start.decoded("DTSTART") == datetime.date(2027, 1, 1)
    assert start.decoded("DTEND") == datetime.date(2027, 1, 2)  # all-day: exclusive end
    dialogue = events["aanbesteding-30209886-mijlpaal-dialogue@wmo-aanvullende-zorg.utrecht.nl"]
    assert dialogue.decoded("DTSTART") == datetime.date(2025, 12, 1)
    assert dialogue.decoded("DTEND") == datetime.date(2026, 2, 1)
    assert "december 2025 – januari 2026" in str(dialogue["DESCRIPTION"])
    assert str(dialogue["URL"]) == "http://testserver/aanbesteding/30209886/"
    motion = next(e for uid, e in events.items() if uid.startswith("motie-"))
    assert motion.decoded("DTSTART") == datetime.date(2025, 7, 17)
    assert "divers en kleinschalig" in str(motion["SUMMARY"])


def test_ics_uses_actual_dates_and_adds_award_and_standstill(council_client):
    step = Milestone.objects.get(tender__reference="30209886", code="provisional_award")
    step.actual_start = datetime.date(2026, 3, 5)
    step.save()
    Tender.objects.filter(reference="30209886").update(
        provisional_award_date=datetime.date(2026, 3, 5)
    )
    events = events_by_uid(council_client.get("/aanbesteding/planning.ics").content)
    award = events[
        "aanbesteding-30209886-mijlpaal-provisional_award@wmo-aanvullende-zorg.utrecht.nl"
    ]
    assert award.decoded("DTSTART") == datetime.date(2026, 3, 5)
    assert "[Afgerond]" in str(award["SUMMARY"])
    signing = events["aanbesteding-30209886-vroegste-ondertekening@wmo-aanvullende-zorg.utrecht.nl"]
    assert signing.decoded("DTSTART") == datetime.date(2026, 3, 26)
    standstill = events[
        "aanbesteding-30209886-opschortende-termijn@wmo-aanvullende-zorg.utrecht.nl"
    ]
    assert standstill.decoded("DTSTART") == datetime.date(2026, 3, 6)
    assert standstill.decoded("DTEND") == datetime.date(2026, 3, 26)


def test_ics_needs_a_login(client):
    response = client.get("/aanbesteding/planning.ics")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/inloggen/")

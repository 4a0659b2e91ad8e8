"""The .ics export parses back into the same milestones and decision dates, and passes a strict
line-level RFC 5545 check written here, independent of the icalendar library that made it."""

import datetime
import re

import pytest
from icalendar import Calendar

from procurement.models import Milestone, TenderOption

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
    assert len(events) == 22 + 3 + 1  # milestones, options, motion
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
    # The award decision is the step's actual date: recording it there is recording the award.
    Milestone.objects.filter(tender__reference="30209886", code="provisional_award").update(
        actual_start=datetime.date(2026, 3, 5)
    )
    events = events_by_uid(council_client.get("/aanbesteding/planning.ics").content)
    assert len(events) == 22 + 3 + 1 + 2  # + standstill and earliest signing, no duplicates
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


def test_option_periods_span_their_days_and_decisions_are_events(council_client):
    TenderOption.objects.filter(code="u16_decision_2029").update(
        status="exercised", decision_date=datetime.date(2026, 11, 26)
    )
    events = events_by_uid(council_client.get("/aanbesteding/planning.ics").content)
    uid = "aanbesteding-30209886-optie-{}@wmo-aanvullende-zorg.utrecht.nl"
    pilots = events[uid.format("bt_pilots_2027_2028")]
    assert str(pilots["SUMMARY"]).startswith("Periode: Pilots Beschermd Thuis")
    assert pilots.decoded("DTSTART") == datetime.date(2027, 1, 1)
    assert pilots.decoded("DTEND") == datetime.date(2029, 1, 1)  # through 31 December 2028
    u16 = events[uid.format("u16_decision_2029")]
    assert u16.decoded("DTSTART") == datetime.date(2029, 1, 1)
    assert u16.decoded("DTEND") == datetime.date(2029, 1, 2)  # open-ended: its first day
    decision = events[uid.format("u16_decision_2029-besluit")]
    assert decision.decoded("DTSTART") == datetime.date(2026, 11, 26)
    assert str(decision["SUMMARY"]) == (
        "Besluit: Besluit over Beschermd Thuis vanaf 2029, samen met de U16"
    )


def test_refresh_interval_for_subscribers(council_client):
    content = council_client.get("/aanbesteding/planning.ics").content.decode()
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in content
    assert "\r\nX-PUBLISHED-TTL:PT12H\r\n" in content


def test_download_is_an_attachment_and_the_feed_is_inline(council_client, user_for):
    from django.test import Client

    from procurement.feeds import feed_token, issue_feed

    download = council_client.get("/aanbesteding/planning.ics")
    assert download["Content-Disposition"] == 'attachment; filename="aanbesteding-wmo.ics"'
    feed = issue_feed(user_for("council_member", username="abonnee"))
    subscription = Client().get(f"/aanbesteding/agenda/{feed_token(feed)}.ics")
    assert subscription.status_code == 200
    assert subscription["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Disposition" not in subscription


# --- A strict line-level check of RFC 5545, independent of the library that wrote the file ---

NAME = re.compile(r"[A-Za-z0-9-]+")


def unfold(content: bytes) -> list[str]:
    """RFC 5545 §3.1: every line ends in CRLF and is at most 75 octets, not counting the CRLF; a
    line starting with a space or tab continues the previous one."""
    assert content.endswith(b"\r\n"), "the last line must end in CRLF"
    raw_lines = content.split(b"\r\n")[:-1]
    assert not any(b"\n" in line or b"\r" in line for line in raw_lines), "bare CR or LF"
    lines = []
    for number, raw in enumerate(raw_lines, 1):
        assert len(raw) <= 75, f"line {number} is {len(raw)} octets long"
        assert raw, f"line {number} is empty"
        text = raw.decode("utf-8")  # folding must not split a UTF-8 character
        if text[0] in " \t":
            assert lines, "the first line cannot be a continuation"
            lines[-1] += text[1:]
        else:
            lines.append(text)
    return lines


def check_rfc5545(content: bytes) -> dict:
    """Content lines NAME[;PARAM=VALUE]*:VALUE, BEGIN/END balanced and properly nested, one
    VCALENDAR with VERSION:2.0 and a PRODID, every VEVENT with exactly one UID, DTSTAMP and
    DTSTART, all-day dates as VALUE=DATE with DTEND after DTSTART. Returns counts per component."""
    stack, counts, event = [], {}, None
    lines = unfold(content)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    calendar_props = set()
    for line in lines:
        name_part, sep, value = line.partition(":")
        assert sep, f"no ':' in {line!r}"
        name, *params = name_part.split(";")
        assert NAME.fullmatch(name), f"bad property name in {line!r}"
        for param in params:
            key, eq, _ = param.partition("=")
            assert eq and NAME.fullmatch(key), f"bad parameter in {line!r}"
        name = name.upper()
        if name == "BEGIN":
            stack.append(value)
            counts[value] = counts.get(value, 0) + 1
            if value == "VEVENT":
                event = {}
            continue
        if name == "END":
            assert stack and stack[-1] == value, f"END:{value} does not close {stack[-1:]}"
            stack.pop()
            if value == "VEVENT":
                for required in ("UID", "DTSTAMP", "DTSTART"):
                    assert len(event.get(required, [])) == 1, f"VEVENT needs one {required}"
                start, end = event["DTSTART"][0], event["DTEND"][0]
                assert start[0] == end[0] == ["VALUE=DATE"], "all-day events are dates"
                assert re.fullmatch(r"\d{8}", start[1]) and re.fullmatch(r"\d{8}", end[1])
                assert end[1] > start[1], "DTEND is after DTSTART"
                assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"][0][1]), "DTSTAMP in UTC"
                event = None
            continue
        if event is not None and stack[-1] == "VEVENT":
            event.setdefault(name, []).append((params, value))
        elif stack == ["VCALENDAR"]:
            calendar_props.add(name)
    assert not stack, f"unclosed: {stack}"
    assert counts.get("VCALENDAR") == 1
    assert {"VERSION", "PRODID"} <= calendar_props
    assert "VERSION:2.0" in lines
    return counts


def test_ics_passes_a_strict_rfc5545_check(council_client):
    # Long Dutch texts with diacritics force folding, inside multi-byte characters too.
    Milestone.objects.filter(code="draft_publication").update(
        notes="x", title="Concept-publicatie van de opdracht en marktconsultatie — één cliënt " * 2
    )
    Milestone.objects.filter(code="provisional_award").update(
        actual_start=datetime.date(2026, 4, 7)
    )
    content = council_client.get("/aanbesteding/planning.ics").content
    counts = check_rfc5545(content)
    assert counts == {"VCALENDAR": 1, "VEVENT": 22 + 3 + 1 + 2}
    assert any(line.startswith(b" ") for line in content.split(b"\r\n")), "nothing was folded"
    # The Atw note travels along in the standstill's description.
    assert "Koningsdag" in str(
        events_by_uid(content)[
            "aanbesteding-30209886-opschortende-termijn@wmo-aanvullende-zorg.utrecht.nl"
        ]["DESCRIPTION"]
    )


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (lambda c: c.replace(b"\r\n", b"\n"), "CRLF"),
        (lambda c: c.replace(b"\r\nVERSION", b"\nVERSION", 1), "bare CR or LF"),
        (lambda c: c.replace(b"END:VEVENT\r\n", b"", 1), "does not close"),
        (lambda c: re.sub(rb"DTSTAMP:[^\r]*\r\n", b"", c, count=1), "needs one DTSTAMP"),
        (lambda c: re.sub(rb"UID:[^\r]*\r\n", b"", c, count=1), "needs one UID"),
        (lambda c: c.replace(b"PRODID:", b"PRODID:" + b"x" * 80, 1), "octets long"),
    ],
    ids=["lf-only", "one-bare-lf", "unbalanced", "no-dtstamp", "no-uid", "too-long"],
)
def test_the_strict_check_catches_broken_files(council_client, broken, message):
    content = council_client.get("/aanbesteding/planning.ics").content
    check_rfc5545(content)
    with pytest.raises(AssertionError, match=message):
        check_rfc5545(broken(content))


def test_ics_descriptions_say_each_thing_once(contract_manager_client):
    # Before: "… Gepland: 1 januari 2027 (nog geen werkelijke datum). Gepland: 1 januari 2027."
    Milestone.objects.filter(tender__reference="30209886", code="dialogue").update(
        actual_start=datetime.date(2025, 12, 1)
    )
    Milestone.objects.filter(tender__reference="30209886", code="selection").update(
        actual_start=datetime.date(2025, 11, 17)
    )
    events = events_by_uid(contract_manager_client.get("/aanbesteding/planning.ics").content)

    def description(code):
        uid = f"aanbesteding-30209886-mijlpaal-{code}@wmo-aanvullende-zorg.utrecht.nl"
        return str(events[uid]["DESCRIPTION"])

    assert description("contract_start") == (
        "Wmo aanvullende zorg in de wijk (30209886). Gepland: 1 januari 2027 (nog geen werkelijke "
        "datum)."
    )
    assert description("selection") == (
        "Wmo aanvullende zorg in de wijk (30209886). Werkelijk: 17-11-2025. Gepland: half "
        "november 2025."
    )
    assert description("dialogue") == (
        "Wmo aanvullende zorg in de wijk (30209886). Begonnen op 01-12-2025, nog niet afgerond. "
        "Gepland: december 2025 – januari 2026."
    )
    for event in events.values():
        sentences = [s.strip() for s in str(event["DESCRIPTION"]).split(". ") if s.strip()]
        assert len(sentences) == len(set(sentences)), str(event["DESCRIPTION"])
        planned = re.findall(r"Gepland: ", str(event["DESCRIPTION"]))
        assert len(planned) <= 1, str(event["DESCRIPTION"])

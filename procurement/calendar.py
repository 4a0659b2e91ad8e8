"""The tender's milestones and decision dates as an iCalendar (RFC 5545) feed."""

import datetime

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vDuration

from .selectors import extension_options
from .standstill import standstill_for
from .status import milestone_status

PRODID = "-//Gemeente Utrecht//Wmo aanvullende zorg - aanbesteding//NL"
UID_DOMAIN = "wmo-aanvullende-zorg.utrecht.nl"
ONE_DAY = datetime.timedelta(days=1)
# How often subscribed calendar apps should fetch again: RFC 7986 and Outlook's own property.
REFRESH = datetime.timedelta(hours=12)


def _event(uid, summary, start, end_inclusive, description, stamp, url=""):
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    # All-day events: DTEND is exclusive, so the day after the last day.
    event.add("dtstart", start)
    event.add("dtend", end_inclusive + ONE_DAY)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    if url:
        event.add("url", url)
    return event


def tender_calendar(tenders, base_url: str = "", today: datetime.date | None = None) -> bytes:
    """One VEVENT per milestone (actual date when recorded, otherwise the planned period; the
    award decisions are milestones too), the standstill period and earliest signing date, per
    contract option over its period (and its decision once taken), per extension option of the
    resulting contract over its period, and per council motion. UIDs are stable, so a
    subscribed calendar updates instead of duplicating."""
    today = today or timezone.localdate()
    stamp = timezone.now()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Aanbesteding Wmo aanvullende zorg")
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    # An X- property gets no type of its own: without vDuration it would be written as 12:00:00.
    cal.add("x-published-ttl", vDuration(REFRESH))
    for tender in tenders:
        page = base_url + reverse("procurement:tender", args=[tender.reference])
        for m in tender.milestones.all():
            status = milestone_status(m, today)
            # The plan is named once: beside the actual date, or alone while there is none.
            planned = f"Gepland: {m.planned_label}"
            if m.actual_start and m.is_period and not m.actual_end:
                # Under way: from its real start to the planned end (or its start, if later).
                start, end = m.actual_start, max(m.planned_end, m.actual_start)
                when = f"Begonnen op {start:%d-%m-%Y}, nog niet afgerond. {planned}"
            elif m.actual_start:
                start, end = m.actual_start, m.actual_end or m.actual_start
                when = (
                    f"Werkelijk: {start:%d-%m-%Y}"
                    + (f" t/m {end:%d-%m-%Y}" if end != start else "")
                    + f". {planned}"
                )
            else:
                start, end = m.planned_start, m.planned_end
                when = f"{planned} (nog geen werkelijke datum)"
            cal.add_component(
                _event(
                    f"aanbesteding-{tender.reference}-mijlpaal-{m.code}",
                    f"{m.title} [{status.label}]",
                    start,
                    end,
                    f"{tender.title} ({tender.reference}). {when}.",
                    stamp,
                    page,
                )
            )
        standstill = standstill_for(tender)
        if standstill:
            moved = f" {standstill.extension_note}" if standstill.extended else ""
            cal.add_component(
                _event(
                    f"aanbesteding-{tender.reference}-opschortende-termijn",
                    f"Opschortende termijn ({standstill.days} kalenderdagen)",
                    standstill.first_day,
                    standstill.last_day,
                    f"Vroegste datum van ondertekening: {standstill.earliest_signing:%d-%m-%Y}."
                    + moved,
                    stamp,
                    page,
                )
            )
            cal.add_component(
                _event(f"aanbesteding-{tender.reference}-vroegste-ondertekening",
                       "Vroegste datum van ondertekening", standstill.earliest_signing,
                       standstill.earliest_signing, f"{tender.title} ({tender.reference}).",
                       stamp, page)
            )  # fmt: skip
        for option in tender.options.all():
            uid = f"aanbesteding-{tender.reference}-optie-{option.code}"
            about = (
                f"{option.get_kind_display()}, {option.period_label or ''} "
                f"(status: {option.get_status_display().lower()}). {option.description}"
            ).strip()
            # A period (the pilots 2027–2028) spans its days; an open-ended option is its first day.
            end = option.period_end or option.period_start
            title = f"Periode: {option.title}" if option.period_end else f"Vanaf: {option.title}"
            cal.add_component(_event(uid, title, option.period_start, end, about, stamp, page))
            if option.decision_date:
                cal.add_component(
                    _event(f"{uid}-besluit", f"Besluit: {option.title}", option.decision_date,
                           option.decision_date, about, stamp, page)
                )  # fmt: skip
        for extension in extension_options(tender.contract, today):
            contract = extension.contract
            uid = f"aanbesteding-{tender.reference}-contract-{contract.pk}"
            cal.add_component(
                _event(
                    f"{uid}-verlenging-{extension.number}",
                    f"Verlengingsoptie {extension.number}: contract {contract.reference}",
                    extension.start,
                    extension.end,
                    f"Verlenging {extension.number} van {contract.extension_count} "
                    f"({contract.extension_months} maanden): {extension.start:%d-%m-%Y} t/m "
                    f"{extension.end:%d-%m-%Y} (status: {extension.status_label.lower()}).",
                    stamp,
                    page,
                )
            )
        for motion in tender.motions.all():
            cal.add_component(
                _event(
                    f"motie-{motion.pk}",
                    f"Motie: {motion.title} ({motion.party})",
                    motion.date,
                    motion.date,
                    f"Status: {motion.get_status_display().lower()}.",
                    stamp,
                    base_url + reverse("procurement:motion", args=[motion.pk]),
                )
            )
    return cal.to_ical()

"""Demo: the fictitious 2027 consortium of providers.demo as the tender's selected and awarded
candidate, with the tender's options linked to its contract's options, and the steps of the
college letter that lie in the past recorded as held (`seed_tender_progress`), so the demo
timeline shows a tender under way instead of every past step "Te laat"."""

import datetime

from django.db import transaction
from django.utils import timezone

from providers.models import Consortium, Contract
from wmo.calendar import ATW

from .awards import DECISION_STEPS, PROVISIONAL, earliest_signing_date
from .models import Candidate, Milestone, Tender
from .services import link_award

REFERENCE = "30209886"


def seed_tender_links() -> int:
    tender = Tender.objects.filter(reference=REFERENCE).first()
    consortium = Consortium.objects.filter(name="Samenwerkingsverband Wijkzorg Utrecht").first()
    contract = Contract.objects.filter(consortium=consortium).order_by("-start_date").first()
    if not (tender and consortium and contract):
        return 0
    return link_award(tender, consortium, contract)


def _working_day(day: datetime.date) -> datetime.date:
    """The first working day on or after `day`: a decision is not taken on a Sunday."""
    while not ATW.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _held_on(step: Milestone, earliest: datetime.date | None) -> datetime.date:
    """A step's day in the demo: the middle of its planned range (a letter's "begin maart" is the
    5th), a working day, not before `earliest` (the signing after the standstill)."""
    day = step.planned_start + (step.planned_end - step.planned_start) / 2
    if earliest and day < earliest:
        day = earliest
    return _working_day(day)


@transaction.atomic
def seed_tender_progress(today: datetime.date | None = None) -> int:
    """Record the demo tender's past steps as held, in the order of the letter, on days that obey
    the tender's own rules (the award after the dialogue, the signing after the standstill); a
    period under way today gets its first day only, a step still ahead nothing. Each council
    letter follows the step it is about. Dates already recorded (by a user) stay. Returns the
    milestones given a date."""
    today = today or timezone.localdate()
    tender = Tender.objects.filter(reference=REFERENCE).first()
    if tender is None:
        return 0
    recorded = 0
    held: dict[int, datetime.date] = {}  # step pk -> its (last) day
    earliest = None
    for step in tender.milestones.filter(kind=Milestone.Kind.STEP).order_by("order"):
        if step.actual_start is None and step.planned_start <= today:
            if step.is_period:
                step.actual_start = _working_day(step.planned_start)
                step.actual_end = step.planned_end if step.planned_end < today else None
            elif step.planned_end < today:
                step.actual_start = _held_on(
                    step, earliest if step.code in DECISION_STEPS else None
                )
            if step.actual_start and step.actual_start <= today:
                step.save(update_fields=["actual_start", "actual_end"])
                recorded += 1
            else:
                step.actual_start = step.actual_end = None
        if step.code == PROVISIONAL and step.actual_start:
            earliest = earliest_signing_date(step.actual_start, tender.standstill_days)
        if step.actual_start and (step.actual_end or not step.is_period):
            held[step.pk] = step.actual_end or step.actual_start
    for letter in tender.milestones.filter(kind=Milestone.Kind.COUNCIL_INFO, actual_start=None):
        day = held.get(letter.concerns_id)
        if day is not None:
            letter.actual_start = _working_day(day + datetime.timedelta(days=1))
            if letter.actual_start <= today:
                letter.save(update_fields=["actual_start"])
                recorded += 1
    if tender.provisional_award_date and tender.awarded_candidate_id is None:
        tender.awarded_candidate = (
            Candidate.objects.filter(tender=tender, consortium__isnull=False).first()
        )  # fmt: skip
        if tender.awarded_candidate is not None:
            tender.save(update_fields=["awarded_candidate"])
    return recorded

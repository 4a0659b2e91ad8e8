"""Recording the award and the selection: the decision dates live on the tender's milestones.

The award decision (provisional award) is the actual date of the step `provisional_award`, the
signing (definitive award) that of `definitive_award`, the selection decision that of
`selection`. The tender and its candidates read these dates from the milestones, so the award
page, the milestone page, the API and the timeline cannot disagree. Every write of these dates,
from whichever page or endpoint, is checked by `award_date_errors` and `recorded_date_error`."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from wmo.versions import count_up

from .standstill import earliest_signing_date
from .status import recorded_date_error

PROVISIONAL, DEFINITIVE, SELECTION = "provisional_award", "definitive_award", "selection"
DIALOGUE = "dialogue"
# Decisions fall on one day: these steps take no 'werkelijk tot en met'.
DECISION_STEPS = {PROVISIONAL, DEFINITIVE, SELECTION}
DECIDED = {"selected", "not_selected"}


def award_date_errors(provisional, definitive, standstill_days) -> str:
    """What is wrong with this signing date given the award decision and the standstill, or ""."""
    if definitive and not provisional:
        return gettext("Vul eerst de datum van de voorlopige gunning (gunningsbeslissing) in.")
    if definitive and provisional:
        earliest = earliest_signing_date(provisional, standstill_days or 0)
        if definitive < earliest:
            return gettext(
                "De definitieve gunning kan pas na de opschortende termijn: op of na %(date)s."
            ) % {"date": f"{earliest:%d-%m-%Y}"}
    return ""


def dialogue_order_error(dialogue_start, dialogue_end, provisional) -> str:
    """The award decision follows the dialogue (the college letter's order: dialogue,
    evaluation, award): it needs the dialogue recorded as held, up to its last day, and falls on
    or after that day. "" when in order (or when there is no award decision)."""
    if not provisional:
        return ""
    if not dialogue_start or not dialogue_end:
        return gettext("Een gunningsbeslissing kan pas na de dialoog. Leg eerst bij de stap "
                       "'Dialoogsessies' vast wanneer de dialoog werkelijk is gehouden (van en "
                       "tot en met).")  # fmt: skip
    if provisional < dialogue_end:
        return gettext("De gunningsbeslissing ligt vóór het einde van de dialoog (%(date)s): "
                       "gunnen kan pas na de dialoog.") % {"date": f"{dialogue_end:%d-%m-%Y}"}  # fmt: skip
    return ""


def _dialogue_dates(tender) -> tuple | None:
    """(actual start, actual end) of the tender's dialogue step, None without one."""
    step = decision_step(tender, DIALOGUE)
    return None if step is None else (step.actual_start, step.actual_end)


def decision_step(tender, code):
    return next((m for m in tender.milestones.all() if m.code == code), None)


def milestone_decision_errors(milestone) -> dict:
    """The award and selection rules for an edit of one of those steps on its own (milestone
    page, API), checked against the other dates recorded for the tender."""
    errors = {}
    if milestone.code == DIALOGUE:
        award = milestone.tender.milestones.filter(code=PROVISIONAL)
        provisional = award.values_list("actual_start", flat=True).first()
        if error := dialogue_order_error(milestone.actual_start, milestone.actual_end, provisional):
            errors["actual_end"] = gettext(
                "De voorlopige gunning is al vastgelegd op %(date)s. %(error)s"
            ) % {"date": f"{provisional:%d-%m-%Y}", "error": error}
        return errors
    if milestone.code not in DECISION_STEPS:
        return errors
    if milestone.actual_end:
        errors["actual_end"] = gettext(
            "Een besluit valt op één dag: laat 'werkelijk tot en met' leeg."
        )
    tender = milestone.tender
    if milestone.code == SELECTION:
        if not milestone.actual_start and tender.candidates.filter(status__in=DECIDED).exists():
            errors["actual_start"] = gettext(
                "Er zijn al kandidaten geselecteerd of afgewezen: het selectiebesluit heeft een "
                "datum nodig."
            )
        return errors
    other = tender.milestones.filter(
        code=DEFINITIVE if milestone.code == PROVISIONAL else PROVISIONAL
    )
    other_day = other.values_list("actual_start", flat=True).first()
    dialogue = tender.milestones.filter(code=DIALOGUE).values_list("actual_start", "actual_end")
    if (
        milestone.code == PROVISIONAL
        and (held := dialogue.first()) is not None
        and (error := dialogue_order_error(*held, milestone.actual_start))
    ):
        errors["actual_start"] = error
        return errors
    if milestone.code == PROVISIONAL:
        error = award_date_errors(milestone.actual_start, other_day, tender.standstill_days)
        if error:
            errors["actual_start"] = gettext(
                "De definitieve gunning is al vastgelegd op %(date)s. %(error)s"
            ) % {"date": f"{other_day:%d-%m-%Y}", "error": error}
    elif error := award_date_errors(other_day, milestone.actual_start, tender.standstill_days):
        errors["actual_start"] = error
    return errors


AWARD_FIELDS = ("provisional_award_date", "definitive_award_date")


def award_errors(tender, provisional, definitive, today: datetime.date | None = None) -> dict:
    """Errors per award field for recording both dates at once (award page, API)."""
    errors = {}
    for name, day in zip(AWARD_FIELDS, (provisional, definitive), strict=True):
        if error := recorded_date_error(day, today):
            errors[name] = error
        elif (
            day
            and decision_step(tender, PROVISIONAL if name == AWARD_FIELDS[0] else DEFINITIVE)
            is None
        ):
            errors[name] = gettext(
                "Deze aanbesteding heeft geen stap om deze datum bij vast te leggen."
            )
    held = _dialogue_dates(tender)
    # Checked when the decision changes, so an award recorded earlier does not block other edits.
    if ("provisional_award_date" not in errors and held is not None
            and provisional != tender.provisional_award_date
            and (error := dialogue_order_error(*held, provisional))):  # fmt: skip
        errors["provisional_award_date"] = error
    if "definitive_award_date" not in errors and (
        error := award_date_errors(provisional, definitive, tender.standstill_days)
    ):
        errors["definitive_award_date"] = error
    return errors


def write_step(step, **dates):
    """Write a decision date onto its step as a change of the step's version: someone who has
    the step's own page open must not overwrite the date unseen (Versioned). The award and
    candidate saves are not told who saves, so the step names no one as its last author."""
    count_up(type(step)._base_manager.filter(pk=step.pk), None, **dates)
    for name, value in dates.items():
        setattr(step, name, value)
    step.version += 1


@transaction.atomic
def record_award(tender, *, provisional, definitive, **changes):
    """Save the tender's award fields (`changes`: awarded candidate, standstill days, contract,
    withdrawal date) and write the award decision and signing dates onto their milestones.
    Validates everything first; on any error nothing is written."""
    for name, value in changes.items():
        setattr(tender, name, value)
    errors = {}
    try:
        tender.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    for name, message in award_errors(tender, provisional, definitive).items():
        errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)
    tender.save()
    for code, day in ((PROVISIONAL, provisional), (DEFINITIVE, definitive)):
        step = decision_step(tender, code)
        if step is not None and (step.actual_start, step.actual_end) != (day, None):
            write_step(step, actual_start=day, actual_end=None)
    return tender


def selection_errors(candidate, selection_date, today: datetime.date | None = None) -> dict:
    """One selection decision holds for every candidate: its date is the actual date of the
    step `selection`. A candidate selected or not selected needs that date; a different date
    than the one recorded is refused (change it on the step, for everyone)."""
    step = decision_step(candidate.tender, SELECTION)
    recorded = step.actual_start if step else None
    if error := recorded_date_error(selection_date, today):
        return {"selection_date": error}
    if selection_date and step is None:
        return {
            "selection_date": gettext(
                "Deze aanbesteding heeft geen stap 'selectie' voor deze datum."
            )
        }
    if selection_date and recorded and selection_date != recorded:
        return {
            "selection_date": gettext(
                "Het selectiebesluit is vastgelegd op %(date)s en geldt voor alle "
                "kandidaten. Wijzig die datum bij de stap 'Selectie van kandidaten'."
            )
            % {"date": f"{recorded:%d-%m-%Y}"}
        }
    if candidate.status in DECIDED and step is not None and not (selection_date or recorded):
        return {"selection_date": gettext("Vul de datum van het selectiebesluit in.")}
    if selection_date and not recorded and candidate.status not in DECIDED:
        return {
            "selection_date": gettext(
                "Een selectiebesluit hoort bij een kandidaat die is geselecteerd of niet "
                "geselecteerd: kies die status, of laat deze datum leeg."
            )
        }
    return {}


@transaction.atomic
def save_candidate(candidate, selection_date=None):
    """Save a candidate; a selection date not yet on the step `selection` is recorded there."""
    if errors := selection_errors(candidate, selection_date):
        raise ValidationError(errors)
    candidate.save()
    step = decision_step(candidate.tender, SELECTION)
    if selection_date and step is not None and step.actual_start is None:
        write_step(step, actual_start=selection_date)
    return candidate

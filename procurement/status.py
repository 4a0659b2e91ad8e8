"""When a step of the tender has happened and what that makes the step and the tender: the one
place that turns recorded dates into a status (pages, forms, the API, the calendar export).
A status is derived from dates and today, never stored."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class MilestoneStatus(models.TextChoices):
    DONE = "done", _("Afgerond")
    RUNNING = "running", _("Loopt")
    LATE = "late", _("Te laat")
    UPCOMING = "upcoming", _("Gepland")


def _recorded(day: datetime.date | None, today: datetime.date) -> datetime.date | None:
    """A recorded actual date counts only once it has come: a date ahead is a plan, not a fact,
    and must not hide that a step is late. Forms and the API refuse such dates; this keeps
    older or imported rows honest too."""
    return day if day and day <= today else None


def milestone_finished(milestone, today: datetime.date) -> bool:
    """A step happened: its actual date (or the last day of its actual range) has come. A period
    step (`is_period`, e.g. the dialogue) is finished only once its last day is recorded."""
    if not _recorded(milestone.actual_start, today):
        return False
    if milestone.actual_end:
        return _recorded(milestone.actual_end, today) is not None
    return not milestone.is_period


def milestone_status(milestone, today: datetime.date | None = None) -> MilestoneStatus:
    """Derive a milestone's status from its dates and `today` (default: today in Utrecht).

    Done once it has happened (see `milestone_finished`). Otherwise late once the planned end
    has passed (planned end yesterday or earlier), also when it started and is still under way;
    running from the planned start, or from a recorded start, up to and including the planned
    end; upcoming before that."""
    today = today or timezone.localdate()
    if milestone_finished(milestone, today):
        return MilestoneStatus.DONE
    if milestone.planned_end < today:
        return MilestoneStatus.LATE
    if milestone.planned_start <= today or _recorded(milestone.actual_start, today):
        return MilestoneStatus.RUNNING
    return MilestoneStatus.UPCOMING


def days_late(milestone, today: datetime.date | None = None) -> int:
    """Calendar days past the planned end: until today while not finished, until the actual
    (last) date once it happened. 0 when on time."""
    today = today or timezone.localdate()
    finished = milestone_finished(milestone, today)
    reference = (milestone.actual_end or milestone.actual_start) if finished else today
    return max(0, (reference - milestone.planned_end).days)


EARLIEST_DATE = datetime.date(2015, 1, 1)
"""No date of the tender's history lies before the Wmo 2015 came into force: an earlier one is
a typing error (01-01-1900, a wrong century), and it would pass for a step long done."""


def early_date_error(day: datetime.date | None) -> str:
    """The lower bound of every date the procurement pages and the API record."""
    if day and day < EARLIEST_DATE:
        return gettext(
            "Deze datum ligt vóór %(date)s, de start van de Wmo 2015; controleer het jaar."
        ) % {"date": f"{EARLIEST_DATE:%d-%m-%Y}"}
    return ""


def recorded_date_error(day: datetime.date | None, today: datetime.date | None = None) -> str:
    """The one rule for recorded ("actual") dates: they have happened, so they are not ahead,
    and they lie within the tender's era (`early_date_error`)."""
    today = today or timezone.localdate()
    if day and day > today:
        return gettext(
            "Deze datum ligt in de toekomst (vandaag is het %(today)s). Leg een "
            "werkelijke datum pas vast als het heeft plaatsgevonden."
        ) % {"today": f"{today:%d-%m-%Y}"}
    return early_date_error(day)


def early_date_errors(instance, recorded=()) -> dict[str, str]:
    """field name -> error for every date field of `instance` before EARLIEST_DATE, and for the
    `recorded` ones also a date ahead (`recorded_date_error`): a model's clean() in one call."""
    errors = {}
    for field in instance._meta.concrete_fields:
        # A DateTimeField is a DateField too: the stamp `changed_at` (Versioned) says when a
        # record was saved, not a date of the tender.
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            day = getattr(instance, field.attname)
            check = recorded_date_error if field.name in recorded else early_date_error
            if error := check(day):
                errors[field.name] = error
    return errors


# The tender's phase after each step of the college letter: (while under way, once done).
PHASES = [
    ("draft_publication", "consultation", "consultation"),
    ("definitive_publication", "published", "published"),
    ("selection", "selection", "selection"),
    ("dialogue", "dialogue", "evaluation"),
    ("provisional_award", "award", "award"),
    ("definitive_award", "implementation", "implementation"),
    ("implementation", "implementation", "implementation"),
    ("contract_start", "contract", "contract"),
]


def tender_status(tender, today: datetime.date | None = None):
    """The tender's status, derived from what has been recorded and never from the plan alone
    (the plan shows as lateness): withdrawn once its withdrawal date has come; otherwise the
    phase of the furthest step that has started, in preparation before any."""
    status = type(tender).Status
    today = today or timezone.localdate()
    if _recorded(tender.cancelled_date, today):
        return status.CANCELLED
    if tender.pk is None:
        return status.PREPARATION
    steps = {m.code: m for m in tender.milestones.all() if m.kind == "step"}
    reached = status.PREPARATION
    for code, under_way, done in PHASES:
        step = steps.get(code)
        if step is not None and _recorded(step.actual_start, today):
            reached = status(done if milestone_finished(step, today) else under_way)
    return reached

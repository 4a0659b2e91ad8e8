"""Domain rules of the tender: milestone and tender status, evaluation ranking and weights, and
the link from the tender's options to the awarded contract's options.

Pages, forms, the API, the calendar export and the tests all call these functions; nothing else
decides a status or a rank. The standstill period lives in `standstill`, recording the award
and the selection in `awards`, council motions in `motions`."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.formats import number_format


class MilestoneStatus(models.TextChoices):
    DONE = "done", "Afgerond"
    RUNNING = "running", "Loopt"
    LATE = "late", "Te laat"
    UPCOMING = "upcoming", "Gepland"


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


def future_date_error(day: datetime.date | None, today: datetime.date | None = None) -> str:
    """The one rule for recorded ("actual") dates: they have happened, so they are not ahead."""
    today = today or timezone.localdate()
    if day and day > today:
        return (
            f"Deze datum ligt in de toekomst (vandaag is het {today:%d-%m-%Y}). Leg een "
            "werkelijke datum pas vast als het heeft plaatsgevonden."
        )
    return ""


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


# --- Evaluation ---


@dataclass
class RankedCandidate:
    candidate: object
    scores: dict  # principle number -> Decimal score
    total: Decimal | None  # weighted score on the 0–10 scale, None while incomplete
    complete: bool
    rank: int | None = None
    tied: bool = False


def weighted_total(scores: dict, weights: dict) -> Decimal | None:
    """Weighted mean of the scores (0–10), with weights per principle number; None if any
    principle with a weight has no score, or if no weight is set."""
    total_weight = sum(weights.values(), Decimal("0"))
    if total_weight <= 0:
        return None
    if any(number not in scores for number, weight in weights.items() if weight > 0):
        return None
    weighted = sum((scores[n] * w for n, w in weights.items() if w > 0), Decimal("0"))
    return (weighted / total_weight).quantize(Decimal("0.01"))


def rank_candidates(tender) -> list[RankedCandidate]:
    """All candidates of the tender with their weighted total and rank.

    Standard competition ranking: equal totals share a rank and the next rank skips
    (1, 2, 2, 4). Candidates not yet fully scored get no rank and come last, by name.
    Reads the tender's prefetched principles, candidates and scores (fetching them once if the
    caller did not)."""
    prefetch_related_objects([tender], "principles", "candidates__scores")
    principles = {p.pk: p for p in tender.principles.all()}
    weights = {p.number: p.weight for p in principles.values()}
    rows = []
    for candidate in sorted(tender.candidates.all(), key=lambda c: c.name.casefold()):
        scores = {principles[s.principle_id].number: s.score for s in candidate.scores.all()}
        total = weighted_total(scores, weights)
        rows.append(RankedCandidate(candidate, scores, total, complete=total is not None))
    complete = sorted(
        (r for r in rows if r.complete), key=lambda r: (-r.total, r.candidate.name.casefold())
    )
    for index, row in enumerate(complete):
        if index and row.total == complete[index - 1].total:
            row.rank = complete[index - 1].rank
        else:
            row.rank = index + 1
    counts = {}
    for row in complete:
        counts[row.rank] = counts.get(row.rank, 0) + 1
    for row in complete:
        row.tied = counts[row.rank] > 1
    incomplete = [r for r in rows if not r.complete]
    return complete + incomplete


WEIGHTS_SUM = Decimal("100")


def weights_total(tender) -> Decimal:
    return sum((p.weight for p in tender.principles.all()), Decimal("0"))


def weights_error(weights) -> str:
    """The weights of the principles together make 100 %, or the evaluation is not what the
    tender documents promised."""
    total = sum(weights, Decimal("0"))
    if total != WEIGHTS_SUM:
        return (
            f"De wegingen tellen samen op tot {number_format(total, 2)} %; samen moeten ze "
            "precies 100 % zijn."
        )
    return ""


@transaction.atomic
def save_weights(tender, weights: dict) -> None:
    """Set the weight per principle number; all or nothing, and only if they make 100 %."""
    principles = list(tender.principles.all())
    new = {p.number: weights.get(p.number, p.weight) for p in principles}
    if error := weights_error(new.values()):
        raise ValidationError({"weights": error})
    for principle in principles:
        if principle.weight != new[principle.number]:
            principle.weight = new[principle.number]
            principle.full_clean()
            principle.save(update_fields=["weight"])


# Which service a tender option is about, to find the same option in the awarded contract.
OPTION_SERVICE = {
    "bt_pilots": "beschermd_thuis",
    "u16_decision_2029": "beschermd_thuis",
    "hbh_review_2031": "hulp_bij_huishouden",
}


def matching_contract_option(option, contract_options):
    """The contract option that is the same option as a tender option: same service, and its
    period starts on the tender option's first day or runs through it. The pilots (2027–2028)
    and the 2029 decision are both about Beschermd Thuis; only the period tells them apart, so
    a contract with the pilots alone gives the 2029 decision no match."""
    service = OPTION_SERVICE.get(option.kind)
    if not service:
        return None
    candidates = [
        c for c in contract_options
        if c.service_type_id and c.service_type.code == service and c.start_date
        and c.start_date <= option.period_start <= (c.end_date or datetime.date.max)
    ]  # fmt: skip
    exact = [c for c in candidates if c.start_date == option.period_start]
    return (exact or candidates or [None])[0]


def link_award(tender, consortium, contract) -> int:
    """Record the awarded consortium as a candidate, the contract the tender produced, and link
    the tender's options to that contract's options (`matching_contract_option`). Returns the
    options linked."""
    from .models import Candidate

    Candidate.objects.update_or_create(
        tender=tender, name=consortium.name,
        defaults={"consortium": consortium, "consortium_name": None,
                  "status": Candidate.Status.SELECTED},
    )  # fmt: skip
    if tender.contract_id != contract.pk:
        tender.contract = contract
        tender.save(update_fields=["contract"])
    contract_options = list(contract.options.select_related("service_type"))
    linked = 0
    for option in tender.options.all():
        match = matching_contract_option(option, contract_options)
        if match and option.contract_option_id != match.pk:
            option.contract_option = match
            option.save(update_fields=["contract_option"])
            linked += 1
    return linked

"""Domain rules of the tender: milestone status, standstill period, evaluation ranking.

Pages, forms, the API, the calendar export and the tests all call these functions; nothing else
decides a status, a signing date or a rank."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils import timezone


class MilestoneStatus(models.TextChoices):
    DONE = "done", "Afgerond"
    RUNNING = "running", "Loopt"
    LATE = "late", "Te laat"
    UPCOMING = "upcoming", "Gepland"


def milestone_status(milestone, today: datetime.date | None = None) -> MilestoneStatus:
    """Derive a milestone's status from its dates and `today` (default: today in Utrecht).

    With an actual date: done once its (last) day is today or past; running while an actual range
    is under way; upcoming if the recorded date is still ahead. Without one: late once the planned
    end has passed (planned end yesterday or earlier), running from the planned start up to and
    including the planned end, upcoming before the planned start."""
    today = today or timezone.localdate()
    if milestone.actual_start:
        last_day = milestone.actual_end or milestone.actual_start
        if last_day <= today:
            return MilestoneStatus.DONE
        if milestone.actual_start <= today:
            return MilestoneStatus.RUNNING
        return MilestoneStatus.UPCOMING
    if milestone.planned_end < today:
        return MilestoneStatus.LATE
    if milestone.planned_start <= today:
        return MilestoneStatus.RUNNING
    return MilestoneStatus.UPCOMING


def days_late(milestone, today: datetime.date | None = None) -> int:
    """Calendar days past the planned end: until today while open, until the actual (last) date
    once recorded. 0 when on time."""
    today = today or timezone.localdate()
    reference = (
        (milestone.actual_end or milestone.actual_start) if milestone.actual_start else today
    )
    return max(0, (reference - milestone.planned_end).days)


# --- Standstill (opschortende termijn / Alcatel-termijn) ---


def earliest_signing_date(award_decision: datetime.date, standstill_days: int) -> datetime.date:
    """The period runs `standstill_days` calendar days from the day after the award decision is
    sent; the contract may be signed on the first day after the period has ended."""
    return award_decision + datetime.timedelta(days=standstill_days + 1)


@dataclass(frozen=True)
class Standstill:
    decision_date: datetime.date
    days: int
    first_day: datetime.date
    last_day: datetime.date
    earliest_signing: datetime.date

    def status(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if today < self.first_day:
            return "Nog niet begonnen"
        if today <= self.last_day:
            remaining = (self.last_day - today).days + 1
            return f"Loopt nog {remaining} {'dag' if remaining == 1 else 'dagen'}"
        return "Verstreken"


def standstill_for(tender) -> Standstill | None:
    """The standstill period after the award decision (provisional award), or None without one."""
    decision = tender.provisional_award_date
    if not decision:
        return None
    days = tender.standstill_days
    return Standstill(
        decision_date=decision,
        days=days,
        first_day=decision + datetime.timedelta(days=1),
        last_day=decision + datetime.timedelta(days=days),
        earliest_signing=earliest_signing_date(decision, days),
    )


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
    (1, 2, 2, 4). Candidates not yet fully scored get no rank and come last, by name."""
    principles = list(tender.principles.all())
    weights = {p.number: p.weight for p in principles}
    rows = []
    candidates = tender.candidates.prefetch_related("scores__principle").order_by("name")
    for candidate in candidates:
        scores = {s.principle.number: s.score for s in candidate.scores.all()}
        total = weighted_total(scores, weights)
        rows.append(RankedCandidate(candidate, scores, total, complete=total is not None))
    complete = sorted(
        (r for r in rows if r.complete), key=lambda r: (-r.total, r.candidate.name.lower())
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


def weights_total(tender) -> Decimal:
    return sum((p.weight for p in tender.principles.all()), Decimal("0"))


# Which service a tender option is about, to find the same option in the awarded contract.
OPTION_SERVICE = {"bt_pilots": "beschermd_thuis", "hbh_review_2031": "hulp_bij_huishouden"}


def link_award(tender, consortium, contract) -> int:
    """Record the awarded consortium as a candidate, the contract the tender produced, and link
    the tender's options to that contract's options (matched on their service). Returns the
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
    by_service = {
        option.service_type.code: option
        for option in contract.options.select_related("service_type")
        if option.service_type_id
    }
    linked = 0
    for option in tender.options.all():
        match = by_service.get(OPTION_SERVICE.get(option.kind, ""))
        if match and option.contract_option_id != match.pk:
            option.contract_option = match
            option.save(update_fields=["contract_option"])
            linked += 1
    return linked

"""Domain rules of the tender's evaluation: ranking on the award criteria and their weights, and
the link from the tender's options to the awarded contract's options.

Pages, forms, the API and the tests all call these functions; nothing else decides a rank.
Statuses live in `status`, the standstill period in `standstill`, recording the award and the
selection in `awards`, council motions in `motions`."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import prefetch_related_objects
from django.utils.formats import number_format
from django.utils.translation import gettext

from .models import Candidate

# --- Evaluation ---


@dataclass
class RankedCandidate:
    candidate: object
    scores: dict  # criterion number -> Decimal score
    total: Decimal | None  # weighted score on the 0–10 scale, None while incomplete
    complete: bool
    rank: int | None = None
    tied: bool = False


def weighted_total(scores: dict, weights: dict) -> Decimal | None:
    """Weighted mean of the scores (0–10), with weights per criterion number; None if any
    criterion with a weight has no score, or if no weight is set."""
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
    A tender without award criteria ranks nobody. Reads the tender's prefetched criteria,
    candidates and scores (fetching them once if the caller did not)."""
    prefetch_related_objects([tender], "criteria", "candidates__scores")
    criteria = {c.pk: c for c in tender.criteria.all()}
    weights = {c.number: c.weight for c in criteria.values()}
    rows = []
    for candidate in sorted(tender.candidates.all(), key=lambda c: c.name.casefold()):
        scores = {criteria[s.criterion_id].number: s.score for s in candidate.scores.all()}
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
    return sum((c.weight for c in tender.criteria.all()), Decimal("0"))


def weights_error(weights) -> str:
    """The weights of a tender's award criteria together make 100 %, or the evaluation is not
    what the tender documents promised. No criteria at all is no error: nothing is weighed."""
    weights = list(weights)
    total = sum(weights, Decimal("0"))
    if weights and total != WEIGHTS_SUM:
        return gettext(
            "De wegingen tellen samen op tot %(total)s %%; samen moeten ze precies 100 %% zijn."
        ) % {"total": number_format(total, 2)}
    return ""


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

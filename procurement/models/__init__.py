"""The 2025–2027 tender "Wmo aanvullende zorg in de wijk": its steps, candidates, dialogue,
evaluation, award and standstill, contract options and the council motions about it.

Statuses are derived from dates (never stored when an event fires); the rules themselves live in
`status`, `awards` and `standstill`, so the pages, the API, the calendar export and the tests
share them. The models, by what they hold: `tender` (the tender, its documents and timeline),
`dialogue` (candidates, dialogue, evaluation), `options`, `motions` and `feeds`."""

from .dialogue import (
    AwardCriterion,
    Candidate,
    DialogueParticipant,
    DialogueSession,
    EvaluationScore,
    Principle,
)
from .feeds import CalendarFeed
from .motions import Motion, MotionRequest
from .options import TenderOption
from .tender import DEFAULT_STANDSTILL_DAYS, MAX_STANDSTILL_DAYS, Milestone, Tender, TenderDocument

__all__ = [
    "AwardCriterion",
    "DEFAULT_STANDSTILL_DAYS",
    "MAX_STANDSTILL_DAYS",
    "CalendarFeed",
    "Candidate",
    "DialogueParticipant",
    "DialogueSession",
    "EvaluationScore",
    "Milestone",
    "Motion",
    "MotionRequest",
    "Principle",
    "Tender",
    "TenderDocument",
    "TenderOption",
]

"""Domain rules: milestone status around its boundaries, the standstill period, the ranking."""

import datetime
from decimal import Decimal

import pytest

from procurement.models import Candidate, EvaluationScore, Milestone, Principle, Tender
from procurement.services import (
    MilestoneStatus,
    days_late,
    earliest_signing_date,
    milestone_status,
    rank_candidates,
    standstill_for,
    weighted_total,
)

TODAY = datetime.date(2026, 3, 10)
ONE = datetime.timedelta(days=1)


def milestone(start, end, actual_start=None, actual_end=None):
    return Milestone(
        planned_start=start, planned_end=end, actual_start=actual_start, actual_end=actual_end
    )


@pytest.mark.parametrize(
    ("planned_end", "expected"),
    [
        (TODAY - ONE, MilestoneStatus.LATE),  # planned end yesterday, nothing recorded
        (TODAY, MilestoneStatus.RUNNING),  # planned end today: not late yet
        (TODAY + ONE, MilestoneStatus.RUNNING),  # planned end tomorrow
    ],
    ids=["end-yesterday", "end-today", "end-tomorrow"],
)
def test_status_without_actual_date(planned_end, expected):
    step = milestone(datetime.date(2026, 3, 1), planned_end)
    assert milestone_status(step, today=TODAY) == expected


@pytest.mark.parametrize(
    "planned_end",
    [TODAY - ONE, TODAY, TODAY + ONE],
    ids=["end-yesterday", "end-today", "end-tomorrow"],
)
def test_status_with_actual_date_is_done(planned_end):
    step = milestone(datetime.date(2026, 3, 1), planned_end, actual_start=datetime.date(2026, 3, 4))
    assert milestone_status(step, today=TODAY) == MilestoneStatus.DONE


def test_status_with_actual_date_today_is_done():
    step = milestone(TODAY - 5 * ONE, TODAY - ONE, actual_start=TODAY)
    assert milestone_status(step, today=TODAY) == MilestoneStatus.DONE


def test_status_upcoming_before_planned_start():
    step = milestone(TODAY + ONE, TODAY + 10 * ONE)
    assert milestone_status(step, today=TODAY) == MilestoneStatus.UPCOMING
    assert milestone_status(step, today=TODAY + ONE) == MilestoneStatus.RUNNING


def test_status_of_actual_range_under_way_is_running():
    step = milestone(
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 31),
        actual_start=datetime.date(2026, 3, 1),
        actual_end=TODAY + ONE,
    )
    assert milestone_status(step, today=TODAY) == MilestoneStatus.RUNNING
    assert milestone_status(step, today=TODAY + ONE) == MilestoneStatus.DONE


def test_days_late_counts_from_planned_end():
    step = milestone(datetime.date(2026, 3, 1), TODAY - 3 * ONE)
    assert days_late(step, today=TODAY) == 3
    step.actual_start = TODAY - ONE
    assert days_late(step, today=TODAY + 30 * ONE) == 2  # frozen once the date is recorded
    on_time = milestone(datetime.date(2026, 3, 1), TODAY, actual_start=TODAY - ONE)
    assert days_late(on_time, today=TODAY) == 0


def test_status_defaults_to_today_in_utrecht(settings, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: TODAY)
    assert milestone(TODAY - 2 * ONE, TODAY - ONE).status() == MilestoneStatus.LATE


def test_standstill_is_20_calendar_days_after_the_award_decision():
    tender = Tender(provisional_award_date=datetime.date(2026, 3, 5), standstill_days=20)
    standstill = standstill_for(tender)
    assert standstill.first_day == datetime.date(2026, 3, 6)
    assert standstill.last_day == datetime.date(2026, 3, 25)
    assert standstill.earliest_signing == datetime.date(2026, 3, 26)
    assert standstill.status(today=datetime.date(2026, 3, 5)) == "Nog niet begonnen"
    assert standstill.status(today=datetime.date(2026, 3, 25)) == "Loopt nog 1 dag"
    assert standstill.status(today=datetime.date(2026, 3, 26)) == "Verstreken"


def test_standstill_length_is_configurable_and_crosses_month_and_year():
    assert earliest_signing_date(datetime.date(2026, 12, 20), 15) == datetime.date(2027, 1, 5)
    tender = Tender(provisional_award_date=datetime.date(2026, 2, 20), standstill_days=10)
    assert standstill_for(tender).last_day == datetime.date(2026, 3, 2)
    assert standstill_for(Tender(provisional_award_date=None)) is None
    assert Tender().standstill_days == 20


def test_weighted_total_is_the_weighted_mean():
    weights = {1: Decimal("75"), 2: Decimal("25")}
    assert weighted_total({1: Decimal("8"), 2: Decimal("4")}, weights) == Decimal("7.00")
    assert weighted_total({1: Decimal("8")}, weights) is None  # incomplete
    assert weighted_total({1: Decimal("8")}, {1: Decimal("0")}) is None  # no weight at all


@pytest.mark.django_db
def test_ranking_with_ties_shares_the_place_and_skips_the_next():
    tender = Tender.objects.create(
        title="Proef",
        reference="T-1",
        procedure="dialogue",
        regime="full",
        instrument="public_contract",
    )
    p1 = Principle.objects.create(tender=tender, number=1, title="Eén", weight=Decimal("50"))
    p2 = Principle.objects.create(tender=tender, number=2, title="Twee", weight=Decimal("50"))
    scores = {
        "Delta": (6, 6),
        "Alfa": (8, 6),
        "Bravo": (6, 8),
        "Charlie": (9, 9),
        "Echo": (7, None),
    }
    for name, (s1, s2) in scores.items():
        candidate = Candidate.objects.create(tender=tender, name=name)
        EvaluationScore.objects.create(candidate=candidate, principle=p1, score=s1)
        if s2 is not None:
            EvaluationScore.objects.create(candidate=candidate, principle=p2, score=s2)
    ranking = [(r.candidate.name, r.rank, r.total, r.tied) for r in rank_candidates(tender)]
    assert ranking == [
        ("Charlie", 1, Decimal("9.00"), False),
        ("Alfa", 2, Decimal("7.00"), True),
        ("Bravo", 2, Decimal("7.00"), True),
        ("Delta", 4, Decimal("6.00"), False),
        ("Echo", None, None, False),
    ]

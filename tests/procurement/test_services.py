"""Domain rules: milestone status around its boundaries, the standstill period (with the
Algemene termijnenwet), the ranking and the weights, the tender's derived status."""

import datetime
from decimal import Decimal

import pytest

from procurement.models import AwardCriterion, Candidate, EvaluationScore, Milestone, Tender
from procurement.services import rank_candidates, weighted_total, weights_error
from procurement.standstill import compute_standstill, earliest_signing_date, standstill_for
from procurement.status import MilestoneStatus, days_late, milestone_status, tender_status

from .criteria import record_criteria

TODAY = datetime.date(2026, 3, 10)
ONE = datetime.timedelta(days=1)


def milestone(start, end, actual_start=None, actual_end=None, is_period=False):
    return Milestone(
        planned_start=start, planned_end=end, actual_start=actual_start, actual_end=actual_end,
        is_period=is_period,
    )  # fmt: skip


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


def test_period_under_way_runs_until_its_last_day_is_recorded():
    dialogue = milestone(
        datetime.date(2026, 3, 1), TODAY + 10 * ONE, actual_start=datetime.date(2026, 3, 2),
        is_period=True,
    )  # fmt: skip
    assert milestone_status(dialogue, today=TODAY) == MilestoneStatus.RUNNING
    dialogue.actual_end = TODAY
    assert milestone_status(dialogue, today=TODAY) == MilestoneStatus.DONE
    # The same start without `is_period` is a one-day step: done.
    single = milestone(datetime.date(2026, 3, 1), TODAY + 10 * ONE, datetime.date(2026, 3, 2))
    assert milestone_status(single, today=TODAY) == MilestoneStatus.DONE


def test_period_under_way_past_its_planned_end_is_late():
    dialogue = milestone(
        datetime.date(2025, 12, 1), datetime.date(2026, 1, 31),
        actual_start=datetime.date(2025, 12, 3), is_period=True,
    )  # fmt: skip
    assert milestone_status(dialogue, today=datetime.date(2026, 1, 31)) == MilestoneStatus.RUNNING
    assert milestone_status(dialogue, today=datetime.date(2026, 2, 1)) == MilestoneStatus.LATE
    assert days_late(dialogue, today=TODAY) == (TODAY - datetime.date(2026, 1, 31)).days == 38


@pytest.mark.parametrize(
    ("actual_start", "actual_end"),
    [(TODAY + ONE, None), (TODAY - 5 * ONE, TODAY + ONE)],
    ids=["start-ahead", "end-ahead"],
)
def test_a_future_actual_date_does_not_hide_lateness(actual_start, actual_end):
    """A date ahead was typed as a plan; the step has not happened, so it is late by the plan."""
    step = milestone(TODAY - 10 * ONE, TODAY - 2 * ONE, actual_start, actual_end)
    assert milestone_status(step, today=TODAY) == MilestoneStatus.LATE
    assert days_late(step, today=TODAY) == 2
    ahead = milestone(TODAY + 5 * ONE, TODAY + 9 * ONE, actual_start=TODAY + 6 * ONE)
    assert milestone_status(ahead, today=TODAY) == MilestoneStatus.UPCOMING


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
    standstill = compute_standstill(datetime.date(2026, 3, 5), 20)
    assert standstill.first_day == datetime.date(2026, 3, 6)
    assert standstill.last_day == standstill.nominal_last_day == datetime.date(2026, 3, 25)
    assert standstill.earliest_signing == datetime.date(2026, 3, 26)
    assert not standstill.extended and standstill.extension_note == ""
    assert standstill.status(today=datetime.date(2026, 3, 5)) == "Nog niet begonnen"
    assert standstill.status(today=datetime.date(2026, 3, 25)) == "Loopt nog 1 dag"
    assert standstill.status(today=datetime.date(2026, 3, 26)) == "Verstreken"


def test_standstill_length_is_configurable_and_crosses_month_and_year():
    assert earliest_signing_date(datetime.date(2026, 12, 20), 15) == datetime.date(2027, 1, 5)
    assert compute_standstill(datetime.date(2026, 2, 20), 10).last_day == datetime.date(2026, 3, 2)
    assert standstill_for(Tender()) is None  # no award decision
    assert Tender().standstill_days == 20


D = datetime.date


@pytest.mark.parametrize(
    ("decision", "nominal", "last_day", "passed_over"),
    [
        # Sunday decision: the 20 days end on Saturday 28 March; Monday is the last day.
        (D(2026, 3, 8), D(2026, 3, 28), D(2026, 3, 30), ["zaterdag", "zondag"]),
        # Monday decision: ends on Sunday 29 March.
        (D(2026, 3, 9), D(2026, 3, 29), D(2026, 3, 30), ["zondag"]),
        # Koningsdag, Monday 27 April 2026.
        (D(2026, 4, 7), D(2026, 4, 27), D(2026, 4, 28), ["Koningsdag"]),
        # 5 May 2026 is no lustrum year (the `holidays` package lacks it then); the Atw has it.
        (D(2026, 4, 15), D(2026, 5, 5), D(2026, 5, 6), ["Bevrijdingsdag"]),
        # Christmas 2025 on Thursday: Christmas, Boxing Day, the weekend, then Monday 29th.
        (
            D(2025, 12, 5),
            D(2025, 12, 25),
            D(2025, 12, 29),
            ["Eerste Kerstdag", "Tweede Kerstdag", "zaterdag", "zondag"],
        ),
        # Goede Vrijdag 3 April 2026, then the Easter weekend and Tweede paasdag.
        (
            D(2026, 3, 14),
            D(2026, 4, 3),
            D(2026, 4, 7),
            ["Goede Vrijdag", "zaterdag", "zondag, Eerste paasdag", "Tweede paasdag"],
        ),
    ],  # fmt: skip
    ids=["saturday", "sunday", "koningsdag", "5-may-2026", "christmas-2025", "good-friday"],
)
def test_standstill_ending_on_a_weekend_or_holiday_runs_to_the_next_working_day(
    decision, nominal, last_day, passed_over
):
    standstill = compute_standstill(decision, 20)
    assert standstill.nominal_last_day == nominal
    assert standstill.last_day == last_day
    assert standstill.earliest_signing == last_day + ONE
    assert [reason for _, reason in standstill.passed_over] == passed_over
    assert standstill.extended
    assert "Algemene termijnenwet" in standstill.extension_note
    assert date_format_nl(last_day) in standstill.extension_note


def date_format_nl(day):
    from django.utils.formats import date_format

    return date_format(day, "l j F Y")


def test_extension_note_says_why_in_dutch():
    note = compute_standstill(D(2026, 4, 7), 20).extension_note
    assert note == (
        "De 20 kalenderdagen eindigen op maandag 27 april 2026. Een wettelijke termijn die "
        "eindigt op een zaterdag, zondag of algemeen erkende feestdag loopt door tot en met de "
        "eerstvolgende dag die geen van die dagen is (Algemene termijnenwet, art. 1 en 3): "
        "dinsdag 28 april 2026. Overgeslagen: 27 april: Koningsdag."
    )


def test_a_standstill_runs_past_a_day_the_royal_decree_equates_with_a_holiday():
    # Ascension Thursday 14 May 2026; the decree for 2026-2028 equates Friday 15 May with a
    # holiday, so the period runs on over the weekend to Monday 18 May.
    standstill = compute_standstill(D(2026, 4, 24), 20)
    assert standstill.nominal_last_day == D(2026, 5, 14)
    assert standstill.last_day == D(2026, 5, 18)
    assert [day for day, _ in standstill.passed_over] == [
        D(2026, 5, 14), D(2026, 5, 15), D(2026, 5, 16), D(2026, 5, 17)
    ]  # fmt: skip
    assert standstill.passed_over[1][1] == (
        "vrijdag na Hemelvaartsdag (gelijkgesteld bij koninklijk besluit)"
    )
    assert standstill.equated_note == ""  # the decree is known: nothing left to check
    assert "15 mei: vrijdag na Hemelvaartsdag" in standstill.extension_note


def test_a_day_a_royal_decree_may_equate_is_flagged_not_guessed():
    # 2029 has no decree in the calendar yet. Ascension Thursday 10 May 2029: the Friday after
    # is not in the Atw itself, so it stays the last day, with a note to check the decree.
    standstill = compute_standstill(D(2029, 4, 20), 20)
    assert standstill.last_day == D(2029, 5, 11)
    assert standstill.passed_over == ((D(2029, 5, 10), "Hemelvaartsdag"),)
    assert "de vrijdag na Hemelvaartsdag" in standstill.equated_note
    assert compute_standstill(D(2026, 3, 5), 20).equated_note == ""


def test_signing_rule_uses_the_extended_standstill(db):
    """The award rule and the standstill are the same computation: a signing on the nominal
    first day after 20 days is refused when the period ran on past Koningsdag."""
    from procurement.awards import award_date_errors

    assert award_date_errors(D(2026, 4, 7), D(2026, 4, 28), 20) == (
        "De definitieve gunning kan pas na de opschortende termijn: op of na 29-04-2026."
    )
    assert award_date_errors(D(2026, 4, 7), D(2026, 4, 29), 20) == ""


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
    p1 = AwardCriterion.objects.create(tender=tender, number=1, title="Eén", weight=Decimal("50"))
    p2 = AwardCriterion.objects.create(tender=tender, number=2, title="Twee", weight=Decimal("50"))
    scores = {
        "Delta": (6, 6),
        "Alfa": (8, 6),
        "Bravo": (6, 8),
        "Charlie": (9, 9),
        "Echo": (7, None),
    }
    for name, (s1, s2) in scores.items():
        candidate = Candidate.objects.create(tender=tender, name=name)
        EvaluationScore.objects.create(candidate=candidate, criterion=p1, score=s1)
        if s2 is not None:
            EvaluationScore.objects.create(candidate=candidate, criterion=p2, score=s2)
    ranking = [(r.candidate.name, r.rank, r.total, r.tied) for r in rank_candidates(tender)]
    assert ranking == [
        ("Charlie", 1, Decimal("9.00"), False),
        ("Alfa", 2, Decimal("7.00"), True),
        ("Bravo", 2, Decimal("7.00"), True),
        ("Delta", 4, Decimal("6.00"), False),
        ("Echo", None, None, False),
    ]


@pytest.mark.django_db
def test_rank_candidates_reads_the_prefetch(django_assert_num_queries):
    from procurement.selectors import tender_detail

    tender = Tender.objects.get(reference="30209886")
    criteria = record_criteria(tender)
    for name, score in (("Alfa", 6), ("Bravo", 8)):
        candidate = Candidate.objects.create(tender=tender, name=name)
        for criterion in criteria:
            EvaluationScore.objects.create(candidate=candidate, criterion=criterion, score=score)
    prefetched = tender_detail("30209886").get()
    with django_assert_num_queries(0):
        ranking = rank_candidates(prefetched)
    assert [(r.candidate.name, r.rank, r.total) for r in ranking] == [
        ("Bravo", 1, Decimal("8.00")),
        ("Alfa", 2, Decimal("6.00")),
    ]
    plain = Tender.objects.get(reference="30209886")
    with django_assert_num_queries(3):  # criteria, candidates, scores: not one per candidate
        rank_candidates(plain)


def test_weights_must_make_100_percent():
    assert weights_error([Decimal("2.5")] + [Decimal("12.5")] * 7) == (
        "De wegingen tellen samen op tot 90,00 %; samen moeten ze precies 100 % zijn."
    )
    assert weights_error([Decimal("20"), Decimal("5")] + [Decimal("12.5")] * 6) == ""
    assert weights_error([]) == ""  # no criteria: nothing is weighed


@pytest.mark.django_db
def test_a_tender_without_criteria_ranks_nobody():
    tender = Tender.objects.get(reference="30209886")
    assert not tender.criteria.exists()  # no invented defaults
    Candidate.objects.create(tender=tender, name="Alfa")
    assert [(r.candidate.name, r.rank, r.total) for r in rank_candidates(tender)] == [
        ("Alfa", None, None)
    ]


@pytest.mark.django_db
def test_tender_status_is_derived_from_the_recorded_dates():
    """On 1 December 2026 with the seeded data nothing has been recorded: in preparation, with
    every step past its plan late. Each recorded step moves the status on."""
    tender = Tender.objects.get(reference="30209886")
    today = D(2026, 12, 1)
    assert tender_status(tender, today) == Tender.Status.PREPARATION
    steps = {m.code: m for m in tender.milestones.filter(kind="step")}

    def record(code, start, end=None):
        Milestone.objects.filter(pk=steps[code].pk).update(actual_start=start, actual_end=end)
        return tender_status(Tender.objects.get(pk=tender.pk), today)

    assert record("draft_publication", D(2025, 5, 15)) == Tender.Status.CONSULTATION
    assert record("definitive_publication", D(2025, 9, 1)) == Tender.Status.PUBLISHED
    assert record("selection", D(2025, 11, 18)) == Tender.Status.SELECTION
    assert record("dialogue", D(2025, 12, 2)) == Tender.Status.DIALOGUE  # a period, under way
    assert record("dialogue", D(2025, 12, 2), D(2026, 1, 29)) == Tender.Status.EVALUATION
    assert record("provisional_award", D(2026, 3, 5)) == Tender.Status.AWARD
    assert record("definitive_award", D(2026, 4, 2)) == Tender.Status.IMPLEMENTATION
    assert record("implementation", D(2026, 4, 2)) == Tender.Status.IMPLEMENTATION
    # A contract start typed in ahead of time is not a fact yet.
    assert record("contract_start", D(2027, 1, 1)) == Tender.Status.IMPLEMENTATION
    assert tender_status(Tender.objects.get(pk=tender.pk), D(2027, 1, 1)) == Tender.Status.CONTRACT
    Tender.objects.filter(pk=tender.pk).update(cancelled_date=D(2026, 11, 30))
    assert tender_status(Tender.objects.get(pk=tender.pk), today) == Tender.Status.CANCELLED
    assert Tender.objects.get(pk=tender.pk).status.label == "Ingetrokken"

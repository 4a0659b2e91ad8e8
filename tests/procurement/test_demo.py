"""The demo tender: its past steps recorded as held (before: every past step "Te laat", as the
demo had no actual dates), on days that obey the tender's own rules."""

import datetime

import pytest

from procurement.demo import seed_tender_links, seed_tender_progress
from procurement.models import Milestone, Tender
from tests.seeded import demo_providers

D = datetime.date
TODAY = D(2026, 12, 4)
pytestmark = pytest.mark.django_db


def test_the_demo_tender_is_under_way_not_late(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: TODAY)
    demo_providers()
    seed_tender_links()
    # 7 steps and 9 council letters; before, 15 of them read "Te laat".
    assert seed_tender_progress(TODAY) == 16
    milestones = Milestone.objects.filter(tender__reference="30209886")
    assert [m.title for m in milestones if m.status(TODAY) == "late"] == []
    steps = {m.code: m for m in milestones.filter(kind="step")}
    assert {code: (m.actual_start, m.actual_end) for code, m in steps.items()
            if m.actual_start} == {
        "draft_publication": (D(2025, 5, 15), None),
        "definitive_publication": (D(2025, 9, 1), None),  # the 31st of August is a Sunday
        "selection": (D(2025, 11, 17), None),  # the 15th is a Saturday
        "dialogue": (D(2025, 12, 1), D(2026, 1, 31)),
        "provisional_award": (D(2026, 3, 5), None),
        "definitive_award": (D(2026, 4, 7), None),  # the 5th is Easter, the 6th Easter Monday
        "implementation": (D(2026, 4, 1), None),  # under way
    }  # fmt: skip
    assert steps["implementation"].status(TODAY) == "running"
    assert steps["contract_start"].status(TODAY) == "upcoming"
    letter = milestones.get(code="council_provisional_award")
    assert letter.actual_start == D(2026, 3, 6)  # the day after the decision
    for milestone in milestones:
        milestone.full_clean()  # award after the dialogue, signing after the standstill, ...
    tender = Tender.objects.get(reference="30209886")
    assert tender.current_status(TODAY) == "implementation"
    assert tender.awarded_candidate.name == "Samenwerkingsverband Wijkzorg Utrecht"
    assert seed_tender_progress(TODAY) == 0  # nothing left to record; users' dates stay


def test_a_date_a_user_recorded_stays():
    Milestone.objects.filter(tender__reference="30209886", code="selection").update(
        actual_start=D(2025, 11, 12)
    )
    seed_tender_progress(D(2025, 12, 15))
    steps = {m.code: m for m in Milestone.objects.filter(tender__reference="30209886", kind="step")}
    assert steps["selection"].actual_start == D(2025, 11, 12)
    assert (steps["dialogue"].actual_start, steps["dialogue"].actual_end) == (D(2025, 12, 1), None)
    assert steps["provisional_award"].actual_start is None

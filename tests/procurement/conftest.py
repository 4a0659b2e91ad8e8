import datetime

import pytest


@pytest.fixture
def dialogue_held(db):
    """The seeded tender's dialogue recorded as held on its planned dates, so an award decision
    may follow it (procurement.awards.dialogue_order_error)."""
    from procurement.models import Milestone

    Milestone.objects.filter(tender__reference="30209886", code="dialogue").update(
        actual_start=datetime.date(2025, 12, 1), actual_end=datetime.date(2026, 1, 31)
    )

"""The hand-typed yearly realisations become bookings: nothing is lost (0002's docstring)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from indicators.budget import budget_figures
from wmo.finance.models import SpendBooking
from wmo.periods import Quarter


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_realisations_become_q4_bookings():
    before = [("finance", "0001_spend_bookings")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    # The model is gone after indicators 0009: write through the state before it.
    state = executor.loader.project_state(
        [*before, ("indicators", "0008_baseline_published_unit_and_note")]
    )
    RealisedSpend = state.apps.get_model("indicators", "RealisedSpend")
    RealisedSpend.objects.create(objective="IV", year=2025, amount_keur=Decimal("93000"))
    RealisedSpend.objects.create(objective="III", year=2024, amount_keur=Decimal("33000"))
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert sorted(SpendBooking.objects.values_list("booking_id", "quarter", "objective",
                                                   "amount_eur")) == [
        ("HANDMATIG-III-2024", Quarter(2024, 4), "III", Decimal("33000000.00")),
        ("HANDMATIG-IV-2025", Quarter(2025, 4), "IV", Decimal("93000000.00")),
    ]  # fmt: skip
    iv = next(f for f in budget_figures(2025) if f.objective == "IV")
    assert (iv.realised_keur, iv.quarters_realised, iv.forecast_keur) == (
        Decimal("93000.0"), 4, Decimal("93000.0"))  # fmt: skip

"""Migration 0010 (version and history of the budget lines) keeps every budget cell as it is,
including a cell changed or a year added before it ran."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from indicators.models import BudgetLine, BudgetLineChange


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_existing_budget_lines_survive():
    before = [("indicators", "0009_retire_hand_entered_realisations")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("indicators", "BudgetLine")
    old.objects.filter(objective="IV", line="budget", year=2026).update(amount_keur=90000)
    old.objects.create(objective="IV", line="budget", year=2028, amount_keur=Decimal("91000"))
    count = old.objects.count()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert BudgetLine.objects.count() == count
    assert BudgetLine.objects.get(objective="IV", line="budget", year=2026).amount_keur == 90000
    assert BudgetLine.objects.get(objective="IV", line="budget", year=2028).amount_keur == 91000
    assert set(BudgetLine.objects.values_list("version", flat=True)) == {1}
    assert not BudgetLineChange.objects.exists()

"""The test helper that copies seeded demo data back (tests/seeded.py) gives the seed's rows
exactly, and seeds anew when the starting point differs."""

import random

import pytest
from django.db import connection, transaction

from providers.demo import seed_providers
from providers.models import Provider, ProviderKind
from tests.seeded import _fingerprints, seeded

pytestmark = pytest.mark.django_db


def every_table() -> dict[str, str]:
    return _fingerprints(connection.introspection.django_table_names(only_existing=True))


def test_a_seed_copied_back_is_the_seed_row_for_row_and_a_changed_start_seeds_anew():
    if connection.vendor != "postgresql":
        pytest.skip("the copy is PostgreSQL's COPY; elsewhere the seed always runs")
    runs = []

    def seed():
        runs.append(1)
        return seed_providers(random.Random(5))

    point = transaction.savepoint()
    first = seeded("test-providers-5", seed)
    seeded_tables = every_table()
    transaction.savepoint_rollback(point)

    point = transaction.savepoint()
    assert seeded("test-providers-5", seed) == first
    assert len(runs) == 1
    assert every_table() == seeded_tables
    transaction.savepoint_rollback(point)

    Provider.objects.create(agb_code="12345678", name="Eerder", kind=ProviderKind.choices[0][0])
    seeded("test-providers-5", seed)
    assert len(runs) == 2
    assert Provider.objects.filter(name="Eerder").exists()

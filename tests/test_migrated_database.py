"""The kept migrated SQLite database (tests/migrated_database.py) is copied only while what the
migrations write is the same: its key changes with a migration, a data file a data migration
reads, a module a migration imports (and that module's imports), and not with other code; and a
test that migrates on purpose migrates."""

import django.core.management
import pytest

from tests import migrated_database
from tests.migrated_database import ROOT, key


@pytest.fixture(scope="module")
def same():
    return key()


def key_with(changed: str) -> str:
    target = ROOT / changed
    assert target.is_file(), changed
    return key(lambda path: path.read_bytes() + (b"\n# changed\n" if path == target else b""))


@pytest.mark.parametrize("changed", [
    "indicators/migrations/0002_baseline_and_budget.py",
    "indicators/data/baseline_2020_2022.csv",
    "indicators/suppression.py",  # imported by indicators/migrations/0005_suppression_marks.py
    "indicators/definitions/base.py",  # imported by indicators/suppression.py
    "requirements.lock",  # third-party apps' migrations
])  # fmt: skip
def test_what_the_migrations_write_changes_the_key(same, changed):
    assert key_with(changed) != same


@pytest.mark.parametrize("unrelated", ["indicators/exports.py", "wmo/urls.py", "README.md"])
def test_other_code_keeps_the_key(same, unrelated):
    assert key_with(unrelated) == same


def test_only_the_making_of_the_test_database_is_patched(db):
    # The fixture stopped the patch once the test database was there.
    assert migrated_database._patcher is None
    assert django.core.management.call_command.__module__ == "django.core.management"

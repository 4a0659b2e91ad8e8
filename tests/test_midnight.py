"""The wait before a day ends (tests/midnight.py), on fixed moments."""

import datetime

import pytest

from tests.midnight import until_midnight, wait_if_the_day_is_ending

UTC = datetime.UTC


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "left"),
    [
        ("2026-12-05T22:59:30", 30),  # winter: midnight in Amsterdam is 23:00 UTC
        ("2026-07-01T21:59:50", 10),  # summer: 22:00 UTC
        ("2026-12-05T23:59:45", 15),  # midnight UTC, an hour after Amsterdam's
        ("2026-12-05T23:00:00", 3600),  # Amsterdam's new day has just begun
        ("2026-03-29T21:59:30", 30),  # the day the clocks went forward: midnight at 22:00 UTC
    ],
)
def test_the_next_midnight_in_amsterdam_or_utc(now, left):
    assert until_midnight(at(now)) == datetime.timedelta(seconds=left)


def test_only_the_last_minute_waits_until_the_new_day():
    slept = []
    assert wait_if_the_day_is_ending(at("2026-12-05T22:59:20"), slept.append) == 41
    assert wait_if_the_day_is_ending(at("2026-12-05T22:58:59"), slept.append) == 0
    assert slept == [41]

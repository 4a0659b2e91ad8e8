"""Tests that read "today" more than once (making records some days ago, then a page that
counts the days) give the wrong answer when a day ends between the two readings: at midnight
in Amsterdam (the app's TIME_ZONE: `timezone.localdate()`) and at midnight UTC (the machine's
clock: `date.today()` in other processes). A test that would start in the last minute before
either waits until the new day has begun."""

import datetime
import time
from zoneinfo import ZoneInfo

# Longer than almost every test takes; the few longer ones (the API fuzzing, a browser walk
# through every page) read "today" once, at their start.
MARGIN = datetime.timedelta(seconds=60)
ZONES = (ZoneInfo("Europe/Amsterdam"), datetime.UTC)


def until_midnight(now: datetime.datetime) -> datetime.timedelta:
    """How long until the next midnight in any of ZONES, from the aware moment `now`."""
    left = []
    for zone in ZONES:
        local = now.astimezone(zone)
        midnight = datetime.datetime.combine(
            local.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=zone
        )
        left.append(midnight.astimezone(datetime.UTC) - now.astimezone(datetime.UTC))
    return min(left)


def wait_if_the_day_is_ending(now=None, sleep=time.sleep) -> float:
    """Sleeps past the midnight that is less than MARGIN away, if any; returns the seconds."""
    left = until_midnight(now or datetime.datetime.now(datetime.UTC))
    if left >= MARGIN:
        return 0.0
    seconds = left.total_seconds() + 1
    sleep(seconds)
    return seconds

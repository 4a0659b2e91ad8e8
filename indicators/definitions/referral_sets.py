"""The referral sets of INDICATORS.md as filters, and the one pre-filter every family starts from:
only referrals that can count in the quarter are touched, never the whole history."""

import datetime

from django.db.models import F, Q

from wmo.referrals.models import Referral

from .base import DayNumber


def relevant_referrals(quarter):
    """Referrals referred by Q.end that had not ended or been cancelled before Q.start."""
    return Referral.objects.filter(referral_date__lte=quarter.end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=quarter.start),
        Q(cancelled_date__isnull=True) | Q(cancelled_date__gte=quarter.start),
    )


def in_care(quarter) -> Q:
    """Support overlaps Q: start ≤ Q.end and (no end or end ≥ Q.start)."""
    return Q(start_date__lte=quarter.end) & (
        Q(end_date__isnull=True) | Q(end_date__gte=quarter.start)
    )


def referred_in(quarter) -> Q:
    return Q(referral_date__gte=quarter.start, referral_date__lte=quarter.end)


def started_in(quarter) -> Q:
    return Q(start_date__gte=quarter.start, start_date__lte=quarter.end)


def ended_in(quarter) -> Q:
    return Q(end_date__gte=quarter.start, end_date__lte=quarter.end)


def waiting_at(day: datetime.date) -> Q:
    """Referred by `day`, not started by then and not cancelled by then."""
    return (
        Q(referral_date__lte=day)
        & (Q(start_date__isnull=True) | Q(start_date__gt=day))
        & (Q(cancelled_date__isnull=True) | Q(cancelled_date__gt=day))
    )


def wait_days():
    """Waiting time: start_date − referral_date in calendar days."""
    return DayNumber(F("start_date")) - DayNumber(F("referral_date"))

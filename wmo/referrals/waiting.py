"""Waiting norms: one rule for the pages (waiting list, referral and case details, the waiting
list's download) and the indicator job (INDICATORS.md `pct_within_norm`, `bt_pct_within_norm`).

A wait is within its norm when it lasts at most the norm: a referral's calendar days from the
referral date to the start (or to today while it waits) against its voorziening's norm; a
buurtteam case's working days from registration to first contact against 5. The rule has a
Python form for a record in hand (`within_norm`) and an SQL form for the job's set-based counts
(`within_norm_condition`), side by side here."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.db.models.lookups import LessThanOrEqual

from wmo.calendar import BUURTTEAM
from wmo.catalogue.norms import BUURTTEAM_FIRST_CONTACT_WORKDAYS

FIRST_CONTACT_NORM_WORKDAYS = BUURTTEAM_FIRST_CONTACT_WORKDAYS
NEAR_SHARE = 0.75
"""The pages warn ("bijna aan de norm") once a referral has waited more than this share of its
norm; the indicators know only within or over."""


def within_norm(days: int, norm: int) -> bool:
    return days <= norm


def within_norm_condition(wait, norm) -> Q:
    """`within_norm` for a queryset: `wait` and `norm` are expressions (or field names)."""
    return Q(LessThanOrEqual(wait, norm))


@dataclass(frozen=True)
class Wait:
    days: int
    norm: int | None
    level: str  # none | ok | near | over: the page's colour
    verdict: str  # Dutch, as on the page and in the download


def judge(days: int, norm: int | None, warn_near: bool = True) -> Wait:
    if norm is None:
        return Wait(days, norm, "none", "geen norm")
    if not within_norm(days, norm):
        return Wait(days, norm, "over", "boven de norm")
    if warn_near and days > norm * NEAR_SHARE:
        return Wait(days, norm, "near", "bijna aan de norm")
    return Wait(days, norm, "ok", "binnen de norm")


def referral_wait(referral, today: datetime.date) -> Wait:
    """How long `referral` waited (until its start, or until `today`), judged against its
    voorziening's norm."""
    days = ((referral.start_date or today) - referral.referral_date).days
    return judge(days, referral.service_type.waiting_norm_days)


def first_contact_wait(case, today: datetime.date) -> Wait:
    """Working days from a case's registration to its first contact (or to `today`)."""
    days = BUURTTEAM.working_days_between(case.registration_date, case.first_contact_date or today)
    return judge(days, FIRST_CONTACT_NORM_WORKDAYS, warn_near=False)

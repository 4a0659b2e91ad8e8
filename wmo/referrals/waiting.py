"""Waiting norms: one rule for the pages (waiting list, referral and case details, the waiting
list's download) and the indicator job (INDICATORS.md `pct_within_norm`, `bt_pct_within_norm`).

A wait is within its norm when it lasts at most the norm: a referral's calendar days from the
referral date to the start (or to today while it waits) against its voorziening's norm; a
buurtteam case's working days from registration to first contact against its norm (5). The rule
has a Python form for a record in hand (`within_norm`) and an SQL form for the job's set-based
counts (`within_norm_condition`), side by side here.

Norms are dated (wmo.catalogue.norms). The job judges a period's figures against the norm valid
on the period's last day; a page judges one wait against the norm valid on the day the wait
ends: the start (or first contact) once there is one, else today — a wait that is over keeps the
verdict it had when it ended, and a wait still running is held to today's norm."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext

from wmo.calendar import BUURTTEAM
from wmo.catalogue.models import NormKind
from wmo.catalogue.norms import NormsOn, norms_on

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
    verdict: str  # in the user's language, as on the page and in the download


def judge(days: int, norm: int | None, warn_near: bool = True) -> Wait:
    if norm is None:
        return Wait(days, norm, "none", gettext("geen norm"))
    if not within_norm(days, norm):
        return Wait(days, norm, "over", gettext("boven de norm"))
    if warn_near and days > norm * NEAR_SHARE:
        return Wait(days, norm, "near", gettext("bijna aan de norm"))
    return Wait(days, norm, "ok", gettext("binnen de norm"))


def _norms(day: datetime.date, norms: NormsOn | None) -> NormsOn:
    """`norms` when they are the ones of `day` (a list of waits ending today reads them once)."""
    return norms if norms is not None and norms.day == day else norms_on(day)


def referral_wait(referral, today: datetime.date, norms: NormsOn | None = None) -> Wait:
    """How long `referral` waited (until its start, or until `today`), judged against its
    voorziening's norm valid on that last day."""
    end = referral.start_date or today
    norm = _norms(end, norms).waiting_days(referral.service_type_id)
    return judge((end - referral.referral_date).days, norm)


def first_contact_wait(case, today: datetime.date, norms: NormsOn | None = None) -> Wait:
    """Working days from a case's registration to its first contact (or to `today`), against
    the first-contact norm valid on that last day."""
    end = case.first_contact_date or today
    days = BUURTTEAM.working_days_between(case.registration_date, end)
    norm = _norms(end, norms).days(NormKind.BT_FIRST_CONTACT_WORKDAYS)
    return judge(days, norm, warn_near=False)

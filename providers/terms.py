"""When a contract or subcontract is in force: the one rule for the pages, the API, the referral
rules, the landscape, the demo and the indicator job.

A term runs from its first day through its last, both included. A contract's last day is its
end date moved on by the extensions exercised (`add_months`: a day past the month's end becomes
the month's last day); options not exercised do not count. The rule has two forms, side by side
here — Python for a record in hand (`interval_contains`, `add_months`) and SQL for a queryset
(`in_force_on`, `in_force_during`) — and tests/providers/test_terms.py checks day by day that
they agree."""

import datetime

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.db.models.lookups import Exact, GreaterThan


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > datetime.MAXYEAR:
        # Only a row stored before Contract.clean bounded the extensions gets here: it is in
        # force on every day Python can name, as the SQL form says, instead of failing every
        # page that lists it.
        return datetime.date.max
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def interval_contains(start, end, day) -> bool:
    """Whether `day` lies in the term from `start` through `end` (None: open-ended). Dates or
    date ordinals (the demo's bulk seeding compares ordinals)."""
    return start <= day and (end is None or day <= end)


class TermQuerySet(models.QuerySet):
    """Records with a term in `start_date` and `end_date` (both included)."""

    def in_force_on(self, day: datetime.date):
        return self.in_force_during(day, day)

    def in_force_during(self, first: datetime.date, last: datetime.date):
        """Records in force on at least one day from `first` through `last`."""
        return self.filter(Q(start_date__lte=last) & self.ends_on_or_after(first))

    def ends_on_or_after(self, day: datetime.date) -> Q:
        return Q(end_date__gte=day)


class ContractQuerySet(TermQuerySet):
    def ends_on_or_after(self, day: datetime.date) -> Q:
        """The effective end (`Contract.effective_end`) on or after `day`, without date
        arithmetic in SQL (which SQLite and PostgreSQL do differently): the extended end's
        month comes after `day`'s month, or is that month and the end date's day of month is
        at least `day`'s (a clamped day, the month's last, is then at least `day`'s too)."""
        extended_month = (
            ExtractYear("end_date") * 12 + ExtractMonth("end_date")
            + F("extensions_exercised") * Coalesce("extension_months", 0)
        )  # fmt: skip
        month = day.year * 12 + day.month
        return Q(GreaterThan(extended_month, month)) | (
            Q(Exact(extended_month, month)) & Q(end_date__day__gte=day.day)
        )

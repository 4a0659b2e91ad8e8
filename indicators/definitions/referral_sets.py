"""The referral sets of INDICATORS.md as filters, and the one pre-filter every family starts from:
only referrals that can count in the period (a quarter, half-year or year) are touched, never the
whole history."""

import contextlib
import datetime

from django.db import DatabaseError, connection
from django.db.models import Case, F, Func, IntegerField, Q, Subquery, Sum, When
from django.db.models import Value as V
from django.db.models.functions import Coalesce

from districts.models import UTRECHT_GEMEENTE_CODE, Municipality
from wmo.catalogue.models import Objective, ServiceType
from wmo.referrals.models import Referral, support_closed_on

from . import base
from .base import ALL_LEVELS, DayNumber, rolled_up


def relevant_referrals(period):
    """Referrals referred by Q.end that had not ended or been cancelled before Q.start."""
    return (
        Referral.objects.alias(closed_on=support_closed_on())
        .filter(referral_date__lte=period.end, closed_on__gte=period.start)
    )  # fmt: skip


STAGED_COLUMNS = ("id", "client_id", "district_id", "service_type_id", "provider_id",
                  "contractor_id", "referral_date", "start_date", "end_date", "cancelled_date",
                  "group_based")  # fmt: skip


def municipality_key():
    """The `municipality` level's group (INDICATORS.md, levels): for an objective V service the
    referral's U16 municipality, or Utrecht (GM0344) for a referral with a wijk; none for the
    other services, which do not count at that level."""
    utrecht = Municipality.objects.filter(code=UTRECHT_GEMEENTE_CODE).values("id")[:1]
    objective_v = ServiceType.objects.filter(objective=Objective.V).values("id")
    return Case(
        When(service_type_id__in=Subquery(objective_v),
             then=Coalesce("municipality_id", Subquery(utrecht))),
        default=None,
    )  # fmt: skip


@contextlib.contextmanager
def staged_referrals(period):
    """Copy the period's relevant referrals into a temporary table for the run and yield them as
    a queryset. One scan of the history replaces one per level and family; the table lives in
    this connection only and is dropped afterwards, also on error."""
    from ..models import QuarterReferral

    table = connection.ops.quote_name(QuarterReferral._meta.db_table)
    sql, params = (
        relevant_referrals(period)
        .order_by()
        .values(*STAGED_COLUMNS, level_municipality_id=municipality_key())
        .query.sql_with_params()
    )
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            # Sorting ~10^5 rows per grouping set in memory instead of on disk; JIT compiling
            # costs more than it saves on queries of a few hundred milliseconds.
            cursor.execute("SET work_mem = '64MB'; SET jit = off")
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table} AS {sql}", params)
        # No ANALYZE: PostgreSQL estimates the rows from the table's size and plans the grouped
        # queries exactly as with statistics (compared with EXPLAIN on 1,000,000 referrals),
        # while ANALYZE itself took 0.1-0.2 s of a run.
    try:
        yield QuarterReferral.objects.all()
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
                if postgres:
                    cursor.execute("RESET work_mem; RESET jit")
        except DatabaseError:
            # A broken connection took the temporary table with its session; the error that
            # broke it is the one on its way out, so do not hide it behind this one.
            if connection.is_usable():
                raise


def in_care(period) -> Q:
    """Support overlaps Q: start ≤ Q.end and (no end or end ≥ Q.start)."""
    return Q(start_date__lte=period.end) & (
        Q(end_date__isnull=True) | Q(end_date__gte=period.start)
    )


def referred_in(period) -> Q:
    return Q(referral_date__gte=period.start, referral_date__lte=period.end)


def started_in(period) -> Q:
    return Q(start_date__gte=period.start, start_date__lte=period.end)


def ended_in(period) -> Q:
    return Q(end_date__gte=period.start, end_date__lte=period.end)


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


class _MonthEndsWaited(Func):
    """PostgreSQL: on how many of the sorted `days` a referral was waiting, from its dates alone.
    Waiting on day e means referral_date ≤ e < the first of start_date and cancelled_date
    (waiting_at), so the count is #{e < that first day} − #{e < referral_date}, each one
    width_bucket over the days after the month-ends, instead of one condition per day."""

    output_field = IntegerField()

    def __init__(self, days):
        self.bounds = [day + datetime.timedelta(days=1) for day in sorted(days)]
        super().__init__(F("referral_date"), F("start_date"), F("cancelled_date"))

    def as_sql(self, compiler, connection, **extra):
        (referral, referral_p), (start, start_p), (cancelled, cancelled_p) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql = (f"GREATEST(width_bucket(COALESCE(LEAST({start}, {cancelled}), 'infinity'::date), "
               f"%s::date[]) - width_bucket({referral}, %s::date[]), 0)")  # fmt: skip
        return sql, (*start_p, *cancelled_p, self.bounds, *referral_p, self.bounds)


def month_ends_waited(queryset, days) -> Sum:
    """The sum over the rows of on how many of `days` each was waiting (waiting_at): the
    numerator of a mean number waiting over those days."""
    if base._postgres(queryset):
        return Sum(_MonthEndsWaited(days))
    each = [Case(When(waiting_at(day), then=V(1)), default=V(0), output_field=IntegerField())
            for day in days]  # fmt: skip
    return Sum(sum(each[1:], each[0]))


def referral_counts(context) -> dict[str, dict[str, dict]]:
    """The counts and sums the referral families ask of the staged referrals, at every level,
    in one pass over them (base.rolled_up) instead of one per family: level -> level_key ->
    {measure: int}. Each family names its own (`referral_measures(context)`, returning the
    measures and the `distinct` measures of rolled_up); computed on the first ask of a run."""
    if "referral_counts" not in context.shared:
        from . import FAMILIES

        measures, distinct = {}, {}
        for family in FAMILIES:
            ask = getattr(family, "referral_measures", None)
            if ask is None:
                continue
            own, own_distinct = ask(context)
            if (set(own) | set(own_distinct)) & (set(measures) | set(distinct)):
                raise RuntimeError(f"{family.FAMILY}: a measure's name is taken")
            measures.update(own)
            distinct.update(own_distinct)
        context.shared["referral_counts"] = rolled_up(
            context.referrals, ALL_LEVELS, context.codes, distinct=distinct, **measures
        )
    return context.shared["referral_counts"]

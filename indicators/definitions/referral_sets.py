"""The referral sets of INDICATORS.md as filters, and the one pre-filter every family starts from:
only referrals that can count in the period (a quarter, half-year or year) are touched, never the
whole history (an index-only scan of `referral_closed_on_idx` on PostgreSQL)."""

import contextlib
import datetime

from django.db import DatabaseError, connection
from django.db.models import BooleanField, Case, Count, F, Func, IntegerField, Q, Sum, When
from django.db.models import Value as V
from django.db.models.expressions import RawSQL

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


def municipality_key() -> RawSQL:
    """The `municipality` level's group (INDICATORS.md, levels): for an objective V service the
    referral's U16 municipality, or Utrecht (GM0344) for a referral with a wijk; none for the
    other services, which do not count at that level. The ids are read first and written into
    the SQL as integers: a subquery per row would keep PostgreSQL from parallel workers, and a
    parameter would have to be repeated wherever the expression is grouped by (base.py)."""
    utrecht = (
        Municipality.objects.filter(code=UTRECHT_GEMEENTE_CODE).values_list("id", flat=True).first()
    )
    objective_v = ServiceType.objects.filter(objective=Objective.V).values_list("id", flat=True)
    ids = ", ".join(str(int(pk)) for pk in objective_v)
    if not ids:
        return RawSQL("CAST(NULL AS integer)", (), output_field=IntegerField())
    table = connection.ops.quote_name(Referral._meta.db_table)
    otherwise = "NULL" if utrecht is None else str(int(utrecht))
    return RawSQL(
        f"CASE WHEN {table}.service_type_id IN ({ids}) "
        f"THEN COALESCE({table}.municipality_id, {otherwise}) END",
        (), output_field=IntegerField(),
    )  # fmt: skip


# PostgreSQL, for the run's queries: sorting ~10^5 rows per grouping set in memory instead of on
# disk; no JIT compiling, which costs more than it saves on queries of a few hundred milliseconds.
RUN_SETTINGS = {"work_mem": "64MB", "jit": "off"}
# For the one grouped pass over the period's referrals only: both cores, which the default costs
# grant only to far bigger tables. Measured on 1,000,000 referrals, 2026Q3: 0.18 s alone,
# 0.13 s with parallel workers; the run's other queries (medians, cases) were slower with them.
PARALLEL_SETTINGS = {"parallel_setup_cost": "0", "parallel_tuple_cost": "0.01",
                     "min_parallel_index_scan_size": "0"}  # fmt: skip


@contextlib.contextmanager
def session_settings(settings: dict):
    """PostgreSQL: the session's `settings` while the block runs, reset afterwards, also on error.
    Nothing on other databases."""
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            for name, value in settings.items():
                cursor.execute(f"SET {name} = %s", [value])
    try:
        yield
    finally:
        if postgres:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("; ".join(f"RESET {name}" for name in settings))
            except DatabaseError:
                # A broken connection took its settings with it; the error that broke it is
                # the one on its way out, so do not hide it behind this one.
                if connection.is_usable():
                    raise


@contextlib.contextmanager
def period_referrals(period):
    """The period's relevant referrals with their `municipality` level group, as a queryset, with
    the session set for the run's queries while it lasts (RUN_SETTINGS)."""
    with session_settings(RUN_SETTINGS):
        yield relevant_referrals(period).annotate(level_municipality_id=municipality_key())


# level -> the column PostgreSQL keeps per referral for it (migration referrals 0010): the latest
# closing day (support_closed_on) of the client's referrals in the same group of that level that
# started before this one (start date, then id); empty when there are none or it has not started.
EARLIER_IN_CARE = {
    "system": "earlier_in_care_until",
    **{level: f"earlier_in_care_until_{level}" for level in ALL_LEVELS if level != "system"},
}


def repeat_measures(period) -> dict:
    """PostgreSQL: per level, how many rows in care in the period repeat a client already counted
    in their group (`repeats_<level>`), for the one grouped pass (referral_counts). Nothing on
    other databases, which count distinct clients directly (clients_in_care).

    A relevant referral r is in care in Q exactly when it started by Q.end (relevant_referrals
    already asks closed_on ≥ Q.start). Within a group, count each client on their first row in
    care (by start date, then id). Row r repeats its client there exactly when an earlier-started
    referral e of the client in the same group is in care too. e started before r, so by Q.end;
    so e is in care exactly when it closed on or after Q.start: r repeats exactly when the
    latest such closing day, the level's EARLIER_IN_CARE column, is on or after Q.start. Distinct
    clients in a group are then its rows in care less its repeats."""
    if connection.vendor != "postgresql":
        return {}
    table = connection.ops.quote_name(Referral._meta.db_table)
    return {
        f"repeats_{level}": Count("pk", filter=RawSQL(
            f"{table}.start_date <= %s AND {table}.{column} >= %s", (period.end, period.start),
            output_field=BooleanField(),
        ))
        for level, column in EARLIER_IN_CARE.items()
    }  # fmt: skip


def clients_in_care(context, counts) -> dict[str, dict[str, int]]:
    """level -> level_key -> distinct clients with a referral in care in the period. `counts` is
    the run's referral_counts, holding `in_care_rows` (and on PostgreSQL `repeats_<level>`)."""
    rows = {level: {key: row.get("in_care_rows") or 0 for key, row in groups.items()}
            for level, groups in counts.items()}  # fmt: skip
    if connection.vendor == "postgresql":
        return {
            level: {key: n - (counts[level][key].get(f"repeats_{level}") or 0)
                    for key, n in groups.items()}
            for level, groups in rows.items()
        }  # fmt: skip
    # Other databases: distinct counts straight from the rows in care.
    return base.distinct_counts(context.referrals.filter(in_care(context.period)), ALL_LEVELS,
                                "client_id", context.codes, rows=rows)  # fmt: skip


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
    """The counts and sums the referral families ask of the period's referrals, at every level,
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
        with session_settings(PARALLEL_SETTINGS):
            context.shared["referral_counts"] = rolled_up(
                context.referrals, ALL_LEVELS, context.codes, distinct=distinct, **measures
            )
    return context.shared["referral_counts"]

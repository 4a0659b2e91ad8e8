"""What every family shares: the levels, the value rows it yields, and portable SQL helpers."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Func, IntegerField

from ..rounding import round_one_decimal

SYSTEM_KEY = "all"

# level -> the lookups whose values, joined by ":", form the level_key.
LEVEL_FIELDS: dict[str, tuple[str, ...]] = {
    "system": (),
    "district": ("district__code",),
    "service_type": ("service_type__code",),
    "provider": ("provider__agb_code",),
    "district_service": ("district__code", "service_type__code"),
    "contractor": ("contractor__agb_code",),
}
ALL_LEVELS = tuple(LEVEL_FIELDS)
AREA_LEVELS = ("system", "district")
QUALITY_LEVELS = tuple(level for level in ALL_LEVELS if level != "contractor")


class Kind:
    COUNT = "count"
    PERCENTAGE = "percentage"
    MEAN = "mean"
    MEDIAN = "median"
    RATE = "rate"


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    family: str
    kind: str
    label: str
    levels: tuple[str, ...]
    unit: str = ""
    target: Decimal | None = None  # a policy target or norm that holds at every level


@dataclass
class Value:
    """One stored figure. `value` is None when undefined (no denominator): never 0."""

    level: str
    level_key: str
    indicator: str
    value: Decimal | None
    numerator: int | None = None
    denominator: int | None = None
    norm: Decimal | None = None


@dataclass
class Context:
    """What a family needs, plus what earlier families computed (e.g. clients per level)."""

    quarter: object
    referrals: object = None  # the quarter's relevant referrals, staged (referral_sets)
    results: dict = field(default_factory=dict)  # (level, key, indicator) -> Value


class DayNumber(Func):
    """Days since 1970-01-01 as an integer, so date differences are plain subtraction on both
    PostgreSQL and SQLite (their native date arithmetic returns different types)."""

    output_field = IntegerField()
    arity = 1

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="(%(expressions)s - DATE '1970-01-01')", **extra
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection,
            template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)", **extra,
        )  # fmt: skip


def level_key(level: str, row: dict) -> str:
    fields = LEVEL_FIELDS[level]
    if not fields:
        return SYSTEM_KEY
    return ":".join(str(row[f]) for f in fields)


def grouped(queryset, level: str, **aggregates) -> dict[str, dict]:
    """One GROUP BY query for a level: level_key -> {aggregate name: value}."""
    fields = LEVEL_FIELDS[level]
    if not fields:
        return {SYSTEM_KEY: queryset.aggregate(**aggregates)}
    rows = queryset.order_by().values(*fields).annotate(**aggregates)
    return {level_key(level, row): row for row in rows}


def histogram(queryset, level: str, value_expr) -> dict[str, dict[int, int]]:
    """level_key -> {value: count}, from one GROUP BY (level fields, value) query."""
    from django.db.models import Count

    fields = LEVEL_FIELDS[level]
    rows = (
        queryset.order_by().annotate(_v=value_expr).values(*fields, "_v").annotate(_n=Count("pk"))
    )
    result: dict[str, dict[int, int]] = {}
    for row in rows:
        if row["_v"] is None:
            continue
        bucket = result.setdefault(level_key(level, row), {})
        bucket[row["_v"]] = bucket.get(row["_v"], 0) + row["_n"]
    return result


def mean_value(total: int | None, count: int | None) -> Decimal | None:
    if not count:
        return None
    return round_one_decimal(Fraction(total or 0, count))


def rows_for(keys: Iterable[str], make) -> list[Value]:
    out = []
    for key in keys:
        out.extend(make(key))
    return out

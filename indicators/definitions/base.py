"""What every family shares: the levels, the value rows it yields, and portable SQL helpers."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import connections
from django.db.models import Aggregate, FloatField, Func, IntegerField

from ..rounding import round_one_decimal

SYSTEM_KEY = "all"

# level -> the columns a level groups by. The database groups by these ids (no joins, no text
# collation); level_key() turns them into the codes stored as level_key, joined by ":".
LEVEL_FIELDS: dict[str, tuple[str, ...]] = {
    "system": (),
    "district": ("district_id",),
    "service_type": ("service_type_id",),
    "provider": ("provider_id",),
    "district_service": ("district_id", "service_type_id"),
    "contractor": ("contractor_id",),
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


def key_codes() -> dict[str, dict[int, str]]:
    """id -> code for every level column: wijk code, voorziening code, AGB code."""
    from districts.models import District
    from providers.models import Provider
    from wmo.referrals.models import ServiceType

    providers = dict(Provider.objects.values_list("id", "agb_code"))
    return {
        "district_id": dict(District.objects.values_list("id", "code")),
        "service_type_id": dict(ServiceType.objects.values_list("id", "code")),
        "provider_id": providers,
        "contractor_id": providers,
    }


def level_key(level: str, row: dict, codes: dict[str, dict[int, str]]) -> str:
    fields = LEVEL_FIELDS[level]
    if not fields:
        return SYSTEM_KEY
    return ":".join(codes[f][row[f]] for f in fields)


def grouped(queryset, level: str, **aggregates) -> dict[str, dict]:
    """One GROUP BY query for a level: level_key -> {aggregate name: value}."""
    fields = LEVEL_FIELDS[level]
    if not fields:
        return {SYSTEM_KEY: queryset.aggregate(**aggregates)}
    rows = queryset.order_by().values(*fields).annotate(**aggregates)
    codes = key_codes()
    return {level_key(level, row, codes): row for row in rows}


def grouped_levels(queryset, levels, **aggregates) -> dict[str, dict[str, dict]]:
    """level -> level_key -> {aggregate: value} for several levels. PostgreSQL answers in one
    pass with GROUPING SETS; other databases (SQLite) get one GROUP BY query per level. Both
    return the same rows, so definitions need not know which database they run on."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or len(levels) < 2:
        return {level: grouped(queryset, level, **aggregates) for level in levels}
    fields = list(dict.fromkeys(f for level in levels for f in LEVEL_FIELDS[level]))
    query = queryset.order_by().values(*fields).annotate(**aggregates).query
    compiler = query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    columns = {
        name: compiler.compile(col)[0] for name, col in zip(fields, query.select, strict=True)
    }
    head, found, _ = sql.rpartition(" GROUP BY ")
    if not found or not head.startswith("SELECT "):
        raise RuntimeError("grouped_levels expects a plain grouped SELECT")
    # GROUPING(...) has bit 1 for each field left out of a row's grouping set, first field first.
    masks = {
        sum(
            1 << (len(fields) - 1 - i) for i, f in enumerate(fields) if f not in LEVEL_FIELDS[level]
        ): level
        for level in levels
    }
    flag = f"GROUPING({', '.join(columns[f] for f in fields)}) AS wmo_grouping, "
    sets = ", ".join(
        "(" + ", ".join(columns[f] for f in LEVEL_FIELDS[level]) + ")" for level in levels
    )
    sql = f"SELECT {flag}{head[len('SELECT ') :]} GROUP BY GROUPING SETS ({sets})"
    result: dict[str, dict[str, dict]] = {level: {} for level in levels}
    codes = key_codes()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # By position: several level fields share a column name ("code").
        names = ["wmo_grouping", *fields, *query.annotation_select]
        if len(names) != len(cursor.description):
            raise RuntimeError("grouped_levels: unexpected columns")
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            level = masks[row.pop("wmo_grouping")]
            result[level][level_key(level, row, codes)] = row
    return result


class Median(Aggregate):
    """The median, with the mean of the two middle values for an even count (INDICATORS.md),
    which is what PostgreSQL's continuous percentile gives. SQLite has none: use histogram()."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def supports_median(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def histogram(queryset, level: str, value_expr) -> dict[str, dict[int, int]]:
    """level_key -> {value: count}, from one GROUP BY (level fields, value) query."""
    from django.db.models import Count

    fields = LEVEL_FIELDS[level]
    rows = (
        queryset.order_by().annotate(_v=value_expr).values(*fields, "_v").annotate(_n=Count("pk"))
    )
    result: dict[str, dict[int, int]] = {}
    codes = key_codes()
    for row in rows:
        if row["_v"] is None:
            continue
        bucket = result.setdefault(level_key(level, row, codes), {})
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

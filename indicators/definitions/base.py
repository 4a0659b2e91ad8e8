"""What every family shares: the levels, the value rows it yields, and portable SQL helpers.

Which groups a family writes ("exist"), so that a 0 is a 0 and an empty value means undefined:
- `system` always exists;
- `district`: every wijk of the districts table (the ten wijken), with or without records in Q;
- every other level: a group exists when the family's own records put it there in Q (for the
  referral families a referral that counts in Q: `referral_sets.relevant_referrals`).
Q is the period computed (Context.period): a quarter, half-year or year.
A group that exists gets 0 for a count and for a rate or percentage whose denominator is known
and above 0 but whose numerator is 0; a value whose denominator is 0 or unknown stays empty.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import connections
from django.db.models import Aggregate, Count, FloatField, Func, IntegerField

from ..rounding import median_from_histogram, ratio, round_one_decimal

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
    # The U16 municipality, for objective V services only: not the referral's own column but
    # an annotation (referral_sets.municipality_key).
    "municipality": ("level_municipality_id",),
}
ALL_LEVELS = tuple(LEVEL_FIELDS)
AREA_LEVELS = ("system", "district")
# Survey and complaint records name no municipality (their contractor comes from the subcontract
# in force on the record's date: kwaliteit.py).
QUALITY_LEVELS = tuple(level for level in ALL_LEVELS if level != "municipality")


class Kind:
    COUNT = "count"
    PERCENTAGE = "percentage"
    MEAN = "mean"
    MEDIAN = "median"
    RATE = "rate"
    # Money (euros, 2 decimals): no people in it, so never suppressed for being small.
    AMOUNT = "amount"


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    family: str
    kind: str
    label: str
    levels: tuple[str, ...]
    unit: str = ""
    # The policy target or norm (wmo.catalogue NormKind) that holds at every level; dated, so
    # its value is the one valid on the period's last day (wmo.catalogue.norms).
    norm_kind: str | None = None
    # How council views suppress it when that differs from its kind (suppression.py).
    suppress_as: str | None = None
    # A rate's base: the value is numerator × per / denominator (clients per 1,000 inhabitants).
    per: int = 1

    @property
    def scale(self) -> int | None:
        """value = numerator × scale / denominator before rounding; None for a count or median,
        whose stored value is exact (a median of whole days is a whole or half day)."""
        if self.kind == Kind.PERCENTAGE:
            return 100
        if self.kind in (Kind.RATE, Kind.MEAN):
            return self.per
        return None

    # Decimals shown of a value that is not a count (counts are whole), and of the numerator
    # when that is an amount rather than a count (None: a count, shown whole).
    decimals: int = 1
    numerator_decimals: int | None = None
    # Levels council views never show (contractor amounts are commercial: BUDGET.md).
    council_hidden_levels: tuple[str, ...] = ()
    # Events dated in the period (referrals started, complaints received …): a half-year's
    # numerator and denominator are the sums of its quarters', a year's of its half-years' and of
    # its quarters'. Council views protect such figures across the periods of a year too
    # (suppression_over_time.py). Figures over what overlaps the period (clients in care, the
    # people waiting on its last day) and medians do not add up that way.
    over_time: bool = False


@dataclass
class Value:
    """One stored figure. `value` is None when undefined (no denominator): never 0."""

    level: str
    level_key: str
    indicator: str
    value: Decimal | None
    numerator: int | Decimal | None = None
    denominator: int | None = None
    norm: Decimal | None = None


@dataclass
class Context:
    """What a family needs, plus what earlier families computed (e.g. clients per level).
    `period` is the Q of INDICATORS.md: a quarter, half-year or year (wmo.periods), and every
    definition reads only its start, end and month-ends, so all three kinds are computed alike."""

    period: object
    referrals: object = None  # the period's relevant referrals (referral_sets.period_referrals)
    results: dict = field(default_factory=dict)  # (level, key, indicator) -> Value
    codes: dict | None = None  # id -> code per level column, read once per run
    norms: object = None  # the norms valid on the period's last day (norms_on), read once per run
    shared: dict = field(default_factory=dict)  # what several families read, computed once

    def __post_init__(self):
        if self.codes is None:
            self.codes = key_codes()
        if self.norms is None:
            from wmo.catalogue.norms import norms_on

            self.norms = norms_on(self.period.end)

    @property
    def district_keys(self) -> list[str]:
        return sorted(self.codes["district_id"].values())

    def keys_with(self, level: str, indicator: str) -> set[str]:
        """The groups an earlier family wrote `indicator` for at `level`."""
        return {k for (lvl, k, ind) in self.results if lvl == level and ind == indicator}


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
    """id -> code for every level column: wijk code, voorziening code, AGB code, gemeente code."""
    from districts.models import District, Municipality
    from providers.models import Provider
    from wmo.catalogue.models import ServiceType

    providers = dict(Provider.objects.order_by().values_list("id", "agb_code"))
    return {
        "district_id": dict(District.objects.order_by().values_list("id", "code")),
        "service_type_id": dict(ServiceType.objects.order_by().values_list("id", "code")),
        "provider_id": providers,
        "contractor_id": providers,
        "level_municipality_id": dict(Municipality.objects.order_by().values_list("id", "code")),
    }


def level_key(level: str, row: dict, codes: dict[str, dict[int, str]]) -> str | None:
    """The row's group at `level`; None when the row has no group there (a U16 referral has no
    wijk, a referral for a service outside objective V no municipality): it does not count at
    that level."""
    fields = LEVEL_FIELDS[level]
    if not fields:
        return SYSTEM_KEY
    if any(row[f] is None for f in fields):
        return None
    return ":".join(codes[f][row[f]] for f in fields)


def every_area(by_level: dict[str, dict], codes: dict[str, dict[int, str]]):
    """Give the system and every wijk a row (empty when there were no records in Q), so their
    counts are written as 0 rather than left out (module docstring)."""
    if "system" in by_level:
        by_level["system"].setdefault(SYSTEM_KEY, {})
    if "district" in by_level:
        for code in codes["district_id"].values():
            by_level["district"].setdefault(code, {})
    return by_level


def _postgres(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _fields_of(levels) -> list[str]:
    return list(dict.fromkeys(f for level in levels for f in LEVEL_FIELDS[level]))


def _grouping_mask(fields, level) -> int:
    # GROUPING(...) has bit 1 for each field left out of a row's grouping set, first field first.
    return sum(
        1 << (len(fields) - 1 - i) for i, f in enumerate(fields) if f not in LEVEL_FIELDS[level]
    )


def grouped(queryset, level: str, codes=None, **aggregates) -> dict[str, dict]:
    """One GROUP BY query for a level: level_key -> {aggregate name: value}."""
    fields = LEVEL_FIELDS[level]
    if not fields:
        return {SYSTEM_KEY: queryset.aggregate(**aggregates)}
    rows = queryset.order_by().values(*fields).annotate(**aggregates)
    codes = codes or key_codes()
    keyed = ((level_key(level, row, codes), row) for row in rows)
    return {key: row for key, row in keyed if key is not None}


def grouped_levels(queryset, levels, codes=None, **aggregates) -> dict[str, dict[str, dict]]:
    """level -> level_key -> {aggregate: value} for several levels. PostgreSQL answers in one
    pass with GROUPING SETS; other databases (SQLite) get one GROUP BY query per level. Both
    return the same rows, so definitions need not know which database they run on."""
    codes = codes or key_codes()
    if not _postgres(queryset) or len(levels) < 2:
        return {level: grouped(queryset, level, codes, **aggregates) for level in levels}
    fields = _fields_of(levels)
    query = queryset.order_by().values(*fields).annotate(**aggregates).query
    compiler = query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    # A level field is a column or an annotation without parameters (referral_sets'
    # municipality_key), written again in GROUPING SETS below.
    concrete = [name for name in fields if name not in query.annotation_select]
    columns = {
        name: compiler.compile(col)[0] for name, col in zip(concrete, query.select, strict=True)
    }
    for name in fields:
        if name in query.annotation_select:
            columns[name], own = compiler.compile(query.annotation_select[name])
            if own:
                raise RuntimeError("grouped_levels: a level annotation may not take parameters")
    head, found, _ = sql.rpartition(" GROUP BY ")
    if not found or not head.startswith("SELECT "):
        raise RuntimeError("grouped_levels expects a plain grouped SELECT")
    masks = {_grouping_mask(fields, level): level for level in levels}
    flag = f"GROUPING({', '.join(columns[f] for f in fields)}) AS wmo_grouping, "
    sets = ", ".join(
        "(" + ", ".join(columns[f] for f in LEVEL_FIELDS[level]) + ")" for level in levels
    )
    sql = f"SELECT {flag}{head[len('SELECT ') :]} GROUP BY GROUPING SETS ({sets})"
    # By position: several level fields share a column name ("code").
    names = ["wmo_grouping", *concrete, *query.annotation_select]
    return _read_sets(queryset.db, sql, params, names, masks, levels, codes)


def _read_sets(alias, sql, params, names, masks, levels, codes):
    result: dict[str, dict[str, dict]] = {level: {} for level in levels}
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        if len(names) != len(cursor.description):
            raise RuntimeError("grouped query: unexpected columns")
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            level = masks[row.pop("wmo_grouping")]
            key = level_key(level, row, codes)
            if key is not None:
                result[level][key] = row
    return result


def rolled_up(queryset, levels, codes=None, *, distinct=None, **measures):
    """Counts and sums at several levels: level -> level_key -> {name: int}.

    The rows are grouped once at the finest grain the levels share (wijk × voorziening ×
    aanbieder × opdrachtnemer: a few thousand groups), and those groups are summed per level.
    Far cheaper than aggregating every row once per level, and exact, because counts and sums
    add up. `distinct` maps a name to (column, measure): how many distinct values of `column`
    (itself a level column, so part of the fine grain) have `measure` > 0 — e.g. providers
    with a referral in care. PostgreSQL sums with GROUPING SETS, other databases per level."""
    codes = codes or key_codes()
    distinct = distinct or {}
    fields = _fields_of(levels)
    if not fields:
        row = queryset.aggregate(**measures)
        return {"system": {SYSTEM_KEY: {name: int(row[name] or 0) for name in measures}}}
    inner = queryset.order_by().values(*fields).annotate(**measures)
    inner_sql, params = inner.query.sql_with_params()
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    col = {name: f"fine.{quote(name)}" for name in [*fields, *measures]}
    outputs = [f"SUM({col[name]})" for name in measures] + [
        f"COUNT(DISTINCT CASE WHEN {col[measure]} > 0 THEN {col[column]} END)"
        for column, measure in distinct.values()
    ]
    names = [*measures, *distinct]
    source = f"FROM ({inner_sql}) fine"
    if _postgres(queryset) and len(levels) > 1:
        masks = {_grouping_mask(fields, level): level for level in levels}
        keys = ", ".join(col[f] for f in fields)
        sets = ", ".join(
            "(" + ", ".join(col[f] for f in LEVEL_FIELDS[level]) + ")" for level in levels
        )
        flag = f"GROUPING({keys})" if fields else "0"
        sql = (f"SELECT {flag}, {keys + ', ' if fields else ''}{', '.join(outputs)} {source} "
               f"GROUP BY GROUPING SETS ({sets})")  # fmt: skip
        result = _read_sets(queryset.db, sql, params, ["wmo_grouping", *fields, *names], masks,
                            levels, codes)  # fmt: skip
    else:
        result = {}
        for level in levels:
            keys = [col[f] for f in LEVEL_FIELDS[level]]
            head = ", ".join([*keys, *outputs])
            group = f" GROUP BY {', '.join(keys)}" if keys else ""
            result[level] = {}
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {head} {source}{group}", params)
                for values in cursor.fetchall():
                    row = dict(zip([*LEVEL_FIELDS[level], *names], values, strict=True))
                    key = level_key(level, row, codes)
                    if key is not None:
                        result[level][key] = row
    for groups in result.values():
        for row in groups.values():
            for name in names:
                row[name] = int(row[name] or 0)
    return result


def distinct_counts(
    queryset, levels, column: str, codes=None, rows=None
) -> dict[str, dict[str, int]]:
    """level -> level_key -> how many distinct values of `column` (a client) the queryset's rows
    hold in the group.

    PostgreSQL's `COUNT(DISTINCT)` sorts every group's rows once per grouping set, the most
    expensive step of a run. Most clients have one row in a period, and they add exactly one to
    each of their groups; only the rows of the few clients with several rows can repeat a client
    within a group. So the distinct count is the group's row count minus what those rows repeat,
    and only those rows are sorted. `rows` is the queryset's row count per level and key when
    the caller has it already (a `rolled_up` measure); otherwise one pass counts them."""
    codes = codes or key_codes()
    if not _postgres(queryset):
        found = grouped_levels(queryset, levels, codes, _n=Count(column, distinct=True))
        return {level: {k: int(r["_n"] or 0) for k, r in groups.items()}
                for level, groups in found.items()}  # fmt: skip
    if rows is None:
        counted = rolled_up(queryset, levels, codes, _rows=Count("pk"))
        rows = {
            level: {k: r["_rows"] for k, r in groups.items()} for level, groups in counted.items()
        }
    fields = _fields_of(levels)
    inner_sql, params = queryset.order_by().values(*fields, column).query.sql_with_params()
    quote = connections[queryset.db].ops.quote_name
    value = quote(column)
    keys = ", ".join(f"m.{quote(f)}" for f in fields)
    sets = ", ".join(
        "(" + ", ".join(f"m.{quote(f)}" for f in LEVEL_FIELDS[level]) + ")" for level in levels
    )
    flag = f"GROUPING({keys})" if fields else "0"
    head = f"SELECT {flag}, {keys + ', ' if fields else ''}COUNT(*) - COUNT(DISTINCT m.{value})"
    sql = (f"{head} FROM ({inner_sql}) m WHERE m.{value} IN (SELECT s.{value} FROM ({inner_sql}) s "
           f"GROUP BY s.{value} HAVING COUNT(*) > 1) GROUP BY GROUPING SETS ({sets})")  # fmt: skip
    masks = {_grouping_mask(fields, level): level for level in levels}
    repeated = _read_sets(queryset.db, sql, (*params, *params),
                          ["wmo_grouping", *fields, "repeated"], masks, levels, codes)  # fmt: skip
    return {
        level: {key: n - ((repeated[level].get(key) or {}).get("repeated") or 0)
                for key, n in rows.get(level, {}).items()}
        for level in levels
    }  # fmt: skip


class Median(Aggregate):
    """The median, with the mean of the two middle values for an even count (INDICATORS.md),
    which is what PostgreSQL's continuous percentile gives. SQLite has none: use histogram()."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def medians(queryset, levels, value_expr, codes=None) -> dict[str, dict[str, Fraction]]:
    """level -> level_key -> exact median of `value_expr` (an integer) over the queryset's rows.
    Pass only the rows that count: sorting them for the percentile is the expensive part."""
    codes = codes or key_codes()
    if _postgres(queryset):
        rows = grouped_levels(queryset.annotate(_median_of=value_expr), levels, codes,
                              median=Median("_median_of"))  # fmt: skip
        # The percentile of integers is a whole or half number, exact in a float.
        return {
            level: {k: Fraction(r["median"]) for k, r in groups.items() if r["median"] is not None}
            for level, groups in rows.items()
        }
    result = {}
    for level in levels:
        result[level] = {
            key: median_from_histogram(counts)
            for key, counts in histogram(queryset, level, value_expr, codes).items()
        }
    return result


def histogram(queryset, level: str, value_expr, codes=None) -> dict[str, dict[int, int]]:
    """level_key -> {value: count}, from one GROUP BY (level fields, value) query."""
    fields = LEVEL_FIELDS[level]
    rows = (
        queryset.order_by().annotate(_v=value_expr).values(*fields, "_v").annotate(_n=Count("pk"))
    )
    result: dict[str, dict[int, int]] = {}
    codes = codes or key_codes()
    for row in rows:
        key = level_key(level, row, codes)
        if row["_v"] is None or key is None:
            continue
        bucket = result.setdefault(key, {})
        bucket[row["_v"]] = bucket.get(row["_v"], 0) + row["_n"]
    return result


def rounded(value: Fraction | None) -> Decimal | None:
    return round_one_decimal(value) if value is not None else None


def mean_value(total: int | None, count: int | None) -> Decimal | None:
    if not count:
        return None
    return ratio(total or 0, count)


def rows_for(keys: Iterable[str], make) -> list[Value]:
    out = []
    for key in keys:
        out.extend(make(key))
    return out

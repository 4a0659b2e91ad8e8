"""Issue 5's engine benchmark, on the data `seed_demo --referrals N` put in PostgreSQL:

  (a) one pass `SELECT count(DISTINCT client_id)` over the referrals table;
  (b) `compute_quarter` for one quarter (every family, every level) in a real Celery worker,
      timed from the run's own start/finish stamps, with the worker's peak memory (VmHWM);
  (c) DuckDB computing the referral indicators (bereik, beschikbaarheid) of the same quarter at
      every level from the same referrals exported to Parquet.

Prints the figures, the ratios b/a and b/c, and whether DuckDB's numbers (counts, means, medians
and percentages, rounded like the app rounds) equal the stored ones.
Run inside tests/harness/with-services.sh: `python tests/bench/engine.py --quarter 2026Q3`."""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wmo.settings.test")

import django  # noqa: E402

django.setup()

import duckdb  # noqa: E402
from django.db import connection  # noqa: E402

from indicators.models import IndicatorRun, IndicatorValue  # noqa: E402
from wmo.periods import Quarter  # noqa: E402
from wmo.referrals.models import Referral  # noqa: E402

LEVELS = {  # level -> DuckDB grouping columns, in LEVEL_FIELDS order
    "system": (),
    "district": ("district",),
    "service_type": ("service",),
    "provider": ("provider",),
    "district_service": ("district", "service"),
    "contractor": ("contractor",),
}

EXPORT_SQL = """
    SELECT r.client_id, d.code AS district, s.code AS service,
           -- The service's latest waiting norm: the bench data lie under one norm per service.
           (SELECT n.value FROM {norm} n WHERE n.kind = 'waiting_days' AND n.service_type_id = s.id
            ORDER BY n.valid_from DESC LIMIT 1) AS norm,
           p.agb_code AS provider, c.agb_code AS contractor, r.referral_date, r.start_date,
           r.end_date, r.cancelled_date, r.group_based
    FROM {referral} r
    -- A U16 client from outside Utrecht has no wijk: counted everywhere but the wijk levels.
    LEFT JOIN {district} d ON d.id = r.district_id
    JOIN {service} s ON s.id = r.service_type_id
    JOIN {provider} p ON p.id = r.provider_id
    JOIN {provider} c ON c.id = r.contractor_id
"""

# INDICATORS.md's referral sets in DuckDB SQL: one pre-filter, one GROUPING SETS pass.
DUCKDB_SQL = """
WITH r AS (
    SELECT *, datediff('day', referral_date, start_date) AS wait FROM read_parquet($path)
    WHERE referral_date <= $q_end
      AND (end_date IS NULL OR end_date >= $q_start)
      AND (cancelled_date IS NULL OR cancelled_date >= $q_start)
), f AS (
    SELECT *,
        start_date BETWEEN $q_start AND $q_end AS started,
        referral_date <= $q_end AND (start_date IS NULL OR start_date > $q_end)
            AND (cancelled_date IS NULL OR cancelled_date > $q_end) AS waiting_end,
        {waiting_months}
    FROM r
)
SELECT grouping(district, service, provider, contractor) AS g, district, service, provider,
    contractor,
    count(DISTINCT client_id) FILTER (WHERE start_date <= $q_end
        AND (end_date IS NULL OR end_date >= $q_start)) AS clients_in_care,
    count(*) FILTER (WHERE referral_date BETWEEN $q_start AND $q_end) AS new_referrals,
    count(*) FILTER (WHERE started) AS started,
    count(*) FILTER (WHERE end_date BETWEEN $q_start AND $q_end) AS ended,
    sum(wait) FILTER (WHERE started) AS wait_total,
    quantile_cont(wait, 0.5) FILTER (WHERE started) AS median_wait,
    count(*) FILTER (WHERE started AND norm IS NOT NULL) AS norm_n,
    count(*) FILTER (WHERE started AND wait <= norm) AS within_n,
    count(*) FILTER (WHERE started AND group_based) AS group_n,
    count(*) FILTER (WHERE waiting_end) AS waiting_at_end,
    sum(datediff('day', referral_date, $q_end)) FILTER (WHERE waiting_end) AS waiting_days,
    {waiting_month_sums}
FROM f
GROUP BY GROUPING SETS ((), (district), (service), (provider), (district, service), (contractor))
"""


def seconds(action):
    began = time.perf_counter()
    result = action()
    return time.perf_counter() - began, result


def count_distinct():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(DISTINCT client_id) FROM {Referral._meta.db_table}")
        return cursor.fetchone()[0]


def worker_env():
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "wmo.settings.test"}


def compute_in_worker(quarter: Quarter):
    """Queue the quarter like the app's recompute button, in a fresh solo worker; return the
    run's own duration (start/finish stamps) and the worker's peak resident memory in MiB."""
    from celery import current_app

    from indicators.services import request_run
    from indicators.tasks import compute_quarter

    hostname = f"bench-{os.getpid()}@localhost"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "wmo", "worker", "--pool=solo", "--concurrency=1",
         "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat",
         f"--hostname={hostname}", "-Q", "bench"],
        cwd=ROOT, env=worker_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not current_app.control.ping(destination=[hostname], timeout=0.5):
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit("celery worker did not start")
        run, _ = request_run(quarter, trigger="benchmark")
        compute_quarter.apply_async((str(quarter),), {"run_id": run.pk}, queue="bench")
        while True:
            run.refresh_from_db()
            if not run.is_active:
                break
            time.sleep(0.2)
        if run.status != IndicatorRun.Status.DONE:
            raise SystemExit(f"run failed: {run.error}")
        peak_kib = 0
        for line in Path(f"/proc/{worker.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak_kib = int(line.split()[1])
        return (run.finished_at - run.started_at).total_seconds(), peak_kib / 1024, run
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def referral_families(quarter: Quarter):
    """Only what (c) computes: stage the quarter, then bereik and beschikbaarheid at every level."""
    from indicators.definitions import bereik, beschikbaarheid
    from indicators.definitions.base import Context
    from indicators.definitions.referral_sets import staged_referrals

    with staged_referrals(quarter) as referrals:
        context = Context(period=quarter, referrals=referrals)
        return len(bereik.compute(context)) + len(beschikbaarheid.compute(context))


def export_parquet(directory: Path) -> Path:
    from districts.models import District
    from providers.models import Provider
    from wmo.catalogue.models import Norm, ServiceType

    csv_path, parquet_path = directory / "referrals.csv", directory / "referrals.parquet"
    sql = EXPORT_SQL.format(
        referral=Referral._meta.db_table, district=District._meta.db_table,
        service=ServiceType._meta.db_table, provider=Provider._meta.db_table,
        norm=Norm._meta.db_table,
    )  # fmt: skip
    copy_sql = f"COPY ({sql}) TO STDOUT WITH CSV HEADER"
    with connection.cursor() as cursor, open(csv_path, "wb") as out, \
            cursor.connection.cursor().copy(copy_sql) as copy:  # fmt: skip
        for chunk in copy:
            out.write(chunk)
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{csv_path}', header=true, types={{'district': 'VARCHAR', "
        f"'service': 'VARCHAR', 'provider': 'VARCHAR', 'contractor': 'VARCHAR'}})) "
        f"TO '{parquet_path}' (FORMAT parquet)"
    )
    csv_path.unlink()
    return parquet_path


def duckdb_indicators(parquet: Path, quarter: Quarter):
    months = quarter.month_ends
    waiting_months = ",\n        ".join(
        f"referral_date <= DATE '{day}' AND (start_date IS NULL OR start_date > DATE '{day}') "
        f"AND (cancelled_date IS NULL OR cancelled_date > DATE '{day}') AS waiting_m{i}"
        for i, day in enumerate(months)
    )
    sums = ",\n    ".join(
        f"count(*) FILTER (WHERE waiting_m{i}) AS waiting_m{i}" for i in range(len(months))
    )
    sql = DUCKDB_SQL.format(waiting_months=waiting_months, waiting_month_sums=sums)
    db = duckdb.connect()
    return db.execute(
        sql, {"path": str(parquet), "q_start": quarter.start, "q_end": quarter.end}
    ).fetchall(), [column[0] for column in db.description]


# grouping(district, service, provider, contractor): a bit is 1 where the column is rolled up.
GROUPING_LEVELS = {15: "system", 7: "district", 11: "service_type", 13: "provider",
                   3: "district_service", 14: "contractor"}  # fmt: skip


def level_of(row: dict) -> tuple[str, str] | None:
    """The row's level and key; None for the wijk groups of referrals without a wijk (U16)."""
    level = GROUPING_LEVELS[row["g"]]
    columns = LEVELS[level]
    if any(row[c] is None for c in columns):
        return None
    return level, ":".join(row[c] for c in columns) or "all"


COUNTS = ("clients_in_care", "new_referrals", "started", "ended", "waiting_at_end")
MEANS = ("mean_wait_days", "median_wait_days", "pct_within_norm", "mean_days_waiting_at_end",
         "mean_waiting_per_month", "group_share")  # fmt: skip


def duckdb_figures(row: dict) -> dict:
    """DuckDB's sums turned into the indicators with the app's exact rounding (rounding.py), so
    means, medians and percentages can be compared to the tenth, not only the counts."""
    from fractions import Fraction

    from indicators.rounding import ratio, round_one_decimal

    def mean(total, n):
        return round_one_decimal(Fraction(int(total or 0), n)) if n else None

    waiting = sum(row[name] for name in row if name.startswith("waiting_m"))
    months = sum(1 for name in row if name.startswith("waiting_m"))
    median = row["median_wait"]
    return {
        **{code: row[code] for code in COUNTS},
        "mean_wait_days": mean(row["wait_total"], row["started"]),
        # The median of whole days is a whole or half number: exact in a float.
        "median_wait_days": round_one_decimal(Fraction(median)) if median is not None else None,
        "pct_within_norm": ratio(row["within_n"], row["norm_n"], 100),
        "mean_days_waiting_at_end": mean(row["waiting_days"], row["waiting_at_end"]),
        "mean_waiting_per_month": mean(waiting, months),
        "group_share": ratio(row["group_n"], row["started"], 100),
    }


def compare(rows, columns, quarter: Quarter) -> tuple[int, list[str]]:
    """DuckDB's counts, means, medians and percentages against the stored values."""
    stored = {
        (v.level, v.level_key, v.indicator): v.value
        for v in IndicatorValue.objects.filter(quarter=str(quarter), indicator__in=COUNTS + MEANS)
    }
    checked, differences = 0, []
    for values in rows:
        row = dict(zip(columns, values, strict=True))
        where = level_of(row)
        if where is None:
            continue
        level, key = where
        for indicator, expected in duckdb_figures(row).items():
            found = stored.get((level, key, indicator))
            checked += 1
            if found != expected:
                differences.append(f"{level}:{key} {indicator} stored={found} duckdb={expected}")
    return checked, differences


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quarter", default="2026Q3")
    args = parser.parse_args()
    quarter = Quarter.parse(args.quarter)
    total = Referral.objects.count()
    print(f"referrals in PostgreSQL: {total:,}; quarter {quarter}")

    count_distinct()  # warm the cache, so (a) and (b) both read from memory
    a, clients = seconds(count_distinct)
    print(f"(a) count(DISTINCT client_id) over all referrals: {a:.2f} s ({clients:,} clients)")

    b, peak_mib, run = compute_in_worker(quarter)
    print(f"(b) compute_quarter {quarter} in a Celery worker: {b:.2f} s, {run.rows_written:,} "
          f"values; worker peak memory {peak_mib:.0f} MiB")  # fmt: skip

    same, count = seconds(lambda: referral_families(quarter))
    print(f"(b') only what (c) computes (bereik, beschikbaarheid), in PostgreSQL: {same:.2f} s, "
          f"{count:,} values")  # fmt: skip

    with tempfile.TemporaryDirectory() as directory:
        export, parquet = seconds(lambda: export_parquet(Path(directory)))
        print(f"    (export to Parquet, not timed in c: {export:.1f} s, "
              f"{parquet.stat().st_size / 2**20:.0f} MiB)")  # fmt: skip
        duckdb_indicators(parquet, quarter)  # warm DuckDB's file cache like (a) warmed PostgreSQL
        c, (rows, columns) = seconds(lambda: duckdb_indicators(parquet, quarter))
    print(
        f"(c) DuckDB, referral indicators at all levels from Parquet: {c:.2f} s ({len(rows)} groups)"
    )
    checked, differences = compare(rows, columns, quarter)
    print(f"    DuckDB vs stored values: {checked - len(differences)}/{checked} equal (counts, means, "
          "medians, percentages)")  # fmt: skip
    for line in differences[:10]:
        print(f"    verschil: {line}")
    print(f"ratios: b/a = {b / a:.1f} (target ≤ 10), b/c = {b / c:.1f} (target ≤ 3), "
          f"b'/c = {same / c:.1f}; "
          f"b = {b:.2f} s (target ≤ 10 s); peak = {peak_mib:.0f} MiB (target ≤ 1024 MiB)")  # fmt: skip


if __name__ == "__main__":
    main()

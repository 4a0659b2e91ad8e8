"""Issue 5's and issue 19's engine benchmark, on the data `seed_demo --referrals N` put in
PostgreSQL:

  (a) one pass `SELECT count(DISTINCT client_id)` over the referrals table;
  (b) `compute_quarter` for one quarter (every family, every level) in a real Celery worker,
      timed from the run's own start/finish stamps, with the worker's peak memory (VmHWM);
  (b') only what (c) computes (bereik, beschikbaarheid), in this process, timed warm like (c);
  (c) DuckDB computing the referral indicators (bereik, beschikbaarheid) of the same quarter at
      every level from the same referrals exported to Parquet;
  the same b, b' and c for the quarter's calendar year; and the incremental case: an import of
  new referrals in two quarters (the quarter and the one before), which recomputes only those
  quarters, their half-years and their year, timed from the import's start until the last of
  those runs is done in the worker.

Prints the figures, each ratio against its target, and whether DuckDB's numbers (counts, means,
medians and percentages, rounded like the app rounds) equal the stored ones.
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


class Worker:
    """A fresh solo Celery worker on the bench queue and the default one (where an import's
    recomputes go). The test settings run tasks in-process (eager): turned off here, so the runs
    really go to this worker and its peak memory is theirs."""

    def __enter__(self):
        from celery import current_app

        # The app reads Django's CELERY_* names: `conf.task_always_eager` would be shadowed.
        current_app.conf["CELERY_TASK_ALWAYS_EAGER"] = False
        self.hostname = f"bench-{os.getpid()}@localhost"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "wmo", "worker", "--pool=solo", "--concurrency=1",
             "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat",
             f"--hostname={self.hostname}", "-Q", "bench,celery"],
            cwd=ROOT, env=worker_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not current_app.control.ping(destination=[self.hostname], timeout=0.5):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.__exit__()
                raise SystemExit("celery worker did not start")
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def compute(self, period):
        """Queue the period like the app's recompute button; return (seconds from the run's
        own start/finish stamps, run)."""
        from indicators.services import request_run
        from indicators.tasks import compute_quarter

        run, _ = request_run(period, trigger="benchmark")
        compute_quarter.apply_async((str(period),), {"run_id": run.pk}, queue="bench")
        wait_for([run])
        return (run.finished_at - run.started_at).total_seconds(), run

    def peak_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0


def wait_for(runs, timeout=600):
    deadline = time.monotonic() + timeout
    for run in runs:
        while True:
            run.refresh_from_db()
            if not run.is_active:
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"run {run.pk} ({run.quarter}) did not finish")
            time.sleep(0.05)
        if run.status != IndicatorRun.Status.DONE:
            raise SystemExit(f"run {run.quarter} failed: {run.error}")


def referral_families(period):
    """Only what (c) computes: stage the period, then bereik and beschikbaarheid at every level."""
    from indicators.definitions import bereik, beschikbaarheid
    from indicators.definitions.base import Context
    from indicators.definitions.referral_sets import period_referrals

    with period_referrals(period) as referrals:
        context = Context(period=period, referrals=referrals)
        return len(bereik.compute(context)) + len(beschikbaarheid.compute(context))


def incremental_file(path: Path, quarters, per_quarter: int = 1000) -> int:
    """New referrals that begin and end (or are cancelled) within each of `quarters`: an import
    that changes referrals of exactly those quarters."""
    import csv
    import datetime
    import random

    from districts.models import District
    from providers.models import Provider
    from wmo.catalogue.models import ServiceType
    from wmo.referrals.demo import demo_bsn

    rng = random.Random(19)
    # New ids on every run, so a second run on the same database imports new referrals too.
    run = int(time.time())
    districts = list(District.objects.values_list("code", flat=True))
    providers = list(Provider.objects.values_list("agb_code", flat=True))
    services = list(ServiceType.objects.all())
    rows = 0
    with open(path, "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["referral_id", "bsn", "district", "service_type", "provider_agb",
                         "contractor_agb", "referral_date", "start_date", "end_date", "end_reason",
                         "cancelled_date", "group_based"])  # fmt: skip
        for quarter in quarters:
            for _ in range(per_quarter):
                day = quarter.start + datetime.timedelta(days=rng.randrange(quarter.days - 30))
                service = rng.choice([s for s in services if s.is_valid_on(day)])
                provider = rng.choice(providers)
                start = end = reason = cancelled = ""
                if rng.random() < 0.2:
                    cancelled = day + datetime.timedelta(days=rng.randrange(1, 20))
                else:
                    start = day + datetime.timedelta(days=rng.randrange(0, 10))
                    end, reason = start + datetime.timedelta(days=rng.randrange(1, 20)), "19"
                writer.writerow([f"INCR{run}-{rows:05d}", demo_bsn(1_200_000 + rows), rng.choice(districts),
                                 service.code, provider, provider, day, start, end, reason,
                                 cancelled, "false"])  # fmt: skip
                rows += 1
    return rows


def incremental(worker: Worker, quarter: Quarter, directory: Path):
    """Import new referrals of `quarter` and the one before; the import queues the recompute of
    the stored periods they count in. Returns (seconds from the import's start until the last
    run is done, import seconds, the periods recomputed, runs' own seconds, stored periods)."""
    from indicators.models import IndicatorRun
    from wmo.referrals.imports import ReferralImporter

    quarters = [quarter.previous(), quarter]
    path = directory / "incremental.csv"
    rows = incremental_file(path, quarters)
    stored = IndicatorValue.objects.order_by().values("quarter").distinct().count()
    latest = IndicatorRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    began = time.perf_counter()
    result = ReferralImporter().run(path, path.name)
    imported = time.perf_counter() - began
    if not result.ok:
        raise SystemExit(result.report)
    runs = list(IndicatorRun.objects.filter(pk__gt=latest).order_by("pk"))
    wait_for(runs)
    total = time.perf_counter() - began
    own = sum((run.finished_at - run.started_at).total_seconds() for run in runs)
    return rows, result, total, imported, [str(run.quarter) for run in runs], own, stored


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


def judged(ratio: float, target: float) -> str:
    return f"{ratio:.1f} (target ≤ {target:g}: {'met' if ratio <= target else 'NOT met'})"


def duckdb_side(parquet: Path, period):
    duckdb_indicators(parquet, period)  # warm DuckDB's file cache like (a) warmed PostgreSQL
    return seconds(lambda: duckdb_indicators(parquet, period))


def main():
    from wmo.periods import HalfYear, Year

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quarter", default="2026Q3")
    args = parser.parse_args()
    quarter = Quarter.parse(args.quarter)
    year = Year(quarter.year)
    total = Referral.objects.count()
    print(f"referrals in PostgreSQL: {total:,}; quarter {quarter}, year {year}")

    count_distinct()  # warm the cache, so (a) and (b) both read from memory
    a, clients = seconds(count_distinct)
    print(f"(a) count(DISTINCT client_id) over all referrals: {a:.2f} s ({clients:,} clients)")

    with Worker() as worker, tempfile.TemporaryDirectory() as directory:
        b, run = worker.compute(quarter)
        print(f"(b) compute_quarter {quarter} in a Celery worker: {b:.2f} s, {run.rows_written:,} "
              f"values")  # fmt: skip
        # Timed warm, like (c): the first call in this process also imports the definitions and
        # reads the codes and norms once (shown, not judged).
        first, _ = seconds(lambda: referral_families(quarter))
        same, count = seconds(lambda: referral_families(quarter))
        print(f"(b') only what (c) computes (bereik, beschikbaarheid), in PostgreSQL: {same:.2f} s, "
              f"{count:,} values (first call in the process {first:.2f} s)")  # fmt: skip
        export, parquet = seconds(lambda: export_parquet(Path(directory)))
        print(f"    (export to Parquet, not timed in c: {export:.1f} s, "
              f"{parquet.stat().st_size / 2**20:.0f} MiB)")  # fmt: skip
        c, (rows, columns) = duckdb_side(parquet, quarter)
        print(f"(c) DuckDB, referral indicators at all levels from Parquet: {c:.2f} s "
              f"({len(rows)} groups)")  # fmt: skip
        checked, differences = compare(rows, columns, quarter)

        year_b, year_run = worker.compute(year)
        year_same, _ = seconds(lambda: referral_families(year))
        year_c, (year_rows, year_columns) = duckdb_side(parquet, year)
        print(f"year {year}: (b) in the worker {year_b:.2f} s, {year_run.rows_written:,} values; "
              f"(b') {year_same:.2f} s; (c) DuckDB {year_c:.2f} s")  # fmt: skip
        year_checked, year_differences = compare(year_rows, year_columns, year)

        # The incremental case: the periods it recomputes are stored beforehand (an import
        # recomputes only stored periods), the rest of the quarters are not.
        for period in (quarter.previous().previous(), quarter.previous(),
                       HalfYear.containing(quarter.previous().start),
                       HalfYear.containing(quarter.start)):  # fmt: skip
            worker.compute(period)
        rows_n, result, incr_total, incr_import, recomputed, incr_own, stored = incremental(
            worker, quarter, Path(directory)
        )
        # The steady state: a recompute of the quarter once its year's other periods are
        # stored, as after every edit in production: its council marks are decided with them.
        steady_b, _ = worker.compute(quarter)
        peak_mib = worker.peak_mib()
    print(f"incremental: import of {rows_n:,} new referrals in {quarter.previous()} and {quarter} "
          f"({incr_import:.2f} s) recomputed {', '.join(recomputed)} — {len(recomputed)} of "
          f"{stored} stored periods — all done {incr_total:.2f} s after the import began "
          f"(the runs themselves {incr_own:.2f} s)")  # fmt: skip
    print(f"    the import's summary: {result.summary}")
    for label, (n, diffs) in ((str(quarter), (checked, differences)),
                              (str(year), (year_checked, year_differences))):  # fmt: skip
        print(f"    DuckDB vs stored values, {label}: {n - len(diffs)}/{n} equal (counts, means, "
              "medians, percentages)")  # fmt: skip
        for line in diffs[:10]:
            print(f"    verschil: {line}")
    expected = {str(quarter.previous()), str(quarter), str(year),
                *(str(HalfYear.containing(q.start)) for q in (quarter.previous(), quarter))}  # fmt: skip
    print(f"ratios: b'/c = {judged(same / c, 1.5)} (aim ≤ 1.0); b/c = {judged(b / c, 3)}; "
          f"b/a = {judged(b / a, 10)}")  # fmt: skip
    print(f"        year b'/c = {judged(year_same / year_c, 2)}; year b/c = "
          f"{judged(year_b / year_c, 2)}")  # fmt: skip
    print(f"        steady state, {quarter} again with {stored - 1} other periods of {year} stored: "
          f"b = {steady_b:.2f} s, b/c = {steady_b / c:.1f} (not judged: the targets are for "
          f"the first run)")  # fmt: skip
    print(f"        b = {b:.2f} s (target ≤ 10 s); peak = {peak_mib:.0f} MiB (target ≤ 1024 MiB: "
          f"{'met' if peak_mib <= 1024 else 'NOT met'}); values equal DuckDB: "
          f"{'yes' if not differences and not year_differences else 'NO'}; incremental "
          f"recomputed exactly the two quarters, their half-years and year: "
          f"{'yes' if set(recomputed) == expected and len(recomputed) == 5 else 'NO'}")  # fmt: skip


if __name__ == "__main__":
    main()

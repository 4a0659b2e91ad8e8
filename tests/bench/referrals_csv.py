"""Writes an INTERCHANGE.md referrals file of N rows for the import benchmark, using the wijken,
voorzieningen and aanbieders in the database, so every row is valid and the importer does the
work it does in production (eleven-test, hashing, date rules, upsert).

    python tests/bench/referrals_csv.py 100000 > referrals.csv
    python tests/bench/referrals_csv.py 50MB > referrals.csv   # as many rows as fit in 50 MB
    python tests/bench/referrals_csv.py 50MB UPA > a.csv       # ids UPA0000000…, not BENCH…"""

import csv
import datetime
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wmo.settings.test")

import django  # noqa: E402

django.setup()

from districts.models import District  # noqa: E402
from providers.models import Provider  # noqa: E402
from wmo.catalogue.models import ServiceType  # noqa: E402
from wmo.referrals.demo import demo_bsn  # noqa: E402

FIRST_DAY = datetime.date(2025, 1, 1)
LAST_DAY = datetime.date(2026, 9, 30)


def main(count: int | None, out=sys.stdout, max_bytes: int | None = None, prefix: str = "BENCH"):
    rng = random.Random(2027)
    districts = list(District.objects.values_list("code", flat=True))
    providers = list(Provider.objects.values_list("agb_code", flat=True))
    services = list(ServiceType.objects.all())
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["referral_id", "bsn", "district", "service_type", "provider_agb",
                     "contractor_agb", "referral_date", "start_date", "end_date", "end_reason",
                     "cancelled_date", "group_based"])  # fmt: skip
    span = (LAST_DAY - FIRST_DAY).days
    written = 0
    index = -1
    while count is None or index + 1 < count:
        index += 1
        day = FIRST_DAY + datetime.timedelta(days=rng.randrange(span))
        service = rng.choice([s for s in services if s.is_valid_on(day)])
        start = end = reason = cancelled = ""
        roll = rng.random()
        if roll < 0.05:
            cancelled = min(LAST_DAY, day + datetime.timedelta(days=rng.randrange(1, 30)))
        elif roll < 0.9:
            start = min(LAST_DAY, day + datetime.timedelta(days=rng.randrange(0, 60)))
            if rng.random() < 0.5:
                end = min(LAST_DAY, start + datetime.timedelta(days=rng.randrange(1, 200)))
                reason = "19"
        provider = rng.choice(providers)
        row = [f"{prefix}{index:07d}", demo_bsn(1_000_000 + index % 60_000), rng.choice(districts),
               service.code, provider, provider, day, start, end, reason, cancelled,
               "true" if rng.random() < 0.2 else "false"]  # fmt: skip
        if max_bytes is not None:
            # Every value is ASCII: the row's length in characters is its size in bytes.
            size = sum(len(str(value)) for value in row) + len(row)
            if written + size > max_bytes:
                return
            written += size
        writer.writerow(row)


if __name__ == "__main__":
    target = sys.argv[1]
    prefix = sys.argv[2] if len(sys.argv) > 2 else "BENCH"
    if target.upper().endswith("MB"):
        # Leave room for the header line: the file stays within the limit of INTERCHANGE.md.
        main(None, max_bytes=int(float(target[:-2]) * 1024 * 1024) - 200, prefix=prefix)
    else:
        main(int(target), prefix=prefix)

"""Prints locust's per-URL figures (requests, failures, req/s, p50/p95/p99 in ms) from its
`--csv` stats file, one line per URL, skipping set-up requests such as the login."""

import argparse
import csv


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("stats_csv")
    parser.add_argument("--skip", nargs="*", default=[])
    args = parser.parse_args()
    with open(args.stats_csv, newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] in args.skip:
                continue
            print(f"{row['Type'] or '':<5}{row['Name']:<36} n={row['Request Count']:<6} "
                  f"fail={row['Failure Count']:<4} {float(row['Requests/s']):7.1f} req/s  "
                  f"p50={row['50%']} p95={row['95%']} p99={row['99%']} ms")  # fmt: skip


if __name__ == "__main__":
    main()

"""Prints locust's per-URL figures (requests, failures, req/s, p50/p95/p99 in ms) from its
`--csv` stats file, one line per URL, skipping set-up requests such as the login, then the total
over the URLs shown. With --target-p95 each line says whether its p95 meets the target; with
--server-cpu-ms (the CPU time the server's workers used during the run) the CPU per request,
a figure that depends far less on what else the machine is doing than the latencies do."""

import argparse
import csv


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("stats_csv")
    parser.add_argument("--skip", nargs="*", default=[])
    parser.add_argument("--target-p95", type=float, help="ms")
    parser.add_argument("--server-cpu-ms", type=float)
    args = parser.parse_args()
    with open(args.stats_csv, newline="") as handle:
        rows = list(csv.DictReader(handle))
    aggregated = next((row for row in rows if row["Name"] == "Aggregated"), None)
    shown = [row for row in rows if row["Name"] not in (*args.skip, "Aggregated")]

    def line(name, count, failures, rate, p50, p95, p99, kind=""):
        verdict = ""
        if args.target_p95 is not None and p95.replace(".", "", 1).isdigit():
            verdict = "  p95 ok" if float(p95) <= args.target_p95 else "  p95 > target"
        print(f"{kind:<5}{name:<36} n={count:<6} fail={failures:<4} {rate:7.1f} req/s  "
              f"p50={p50} p95={p95} p99={p99} ms{verdict}")  # fmt: skip

    for row in shown:
        line(row["Name"], row["Request Count"], row["Failure Count"], float(row["Requests/s"]),
             row["50%"], row["95%"], row["99%"], row["Type"] or "")  # fmt: skip
    if len(shown) > 1:
        count = sum(int(row["Request Count"]) for row in shown)
        failures = sum(int(row["Failure Count"]) for row in shown)
        rate = sum(float(row["Requests/s"]) for row in shown)
        # Percentiles cannot be combined from the lines; locust's own total has them, but only
        # holds for these URLs when no skipped request (a login) is in it.
        skipped = any(row["Name"] in args.skip for row in rows)
        p = aggregated if aggregated and not skipped else {"50%": "-", "95%": "-", "99%": "-"}
        line("totaal", count, failures, rate, p["50%"], p["95%"], p["99%"])
    if args.server_cpu_ms is not None and aggregated and int(aggregated["Request Count"]):
        per_request = args.server_cpu_ms / int(aggregated["Request Count"])
        print(
            f"     server CPU: {args.server_cpu_ms / 1000:.1f} s for "
            f"{aggregated['Request Count']} requests = {per_request:.1f} ms per request"
        )


if __name__ == "__main__":
    main()

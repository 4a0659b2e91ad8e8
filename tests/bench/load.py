"""A small, bounded load generator for loopback benchmarks (stdlib only).

    python tests/bench/load.py --base http://127.0.0.1:PORT --users 20 --seconds 10 \
        --login USER:PASSWORD /wijken/ /api/v1/wijken

Each simulated user logs in once (own session), then requests the URLs round-robin until the time
is up. Prints count, errors, requests/s and p50/p95/p99 latency in ms per URL, and as JSON."""

import argparse
import http.client
import json
import re
import statistics
import threading
import time
import urllib.parse


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Session:
    def __init__(self, base):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies = {}
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def _cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = self._cookie_header()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def login(self, username, password):
        status, page = self.request("GET", "/account/inloggen/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        status, _ = self.request(
            "POST",
            "/account/inloggen/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{self.host}:{self.port}/account/inloggen/",
            },
        )
        if status != 302:
            raise SystemExit(f"login as {username} failed with HTTP {status}")


def run(base, users, seconds, login, paths):
    latencies = {path: [] for path in paths}
    errors = dict.fromkeys(paths, 0)
    lock = threading.Lock()
    start_barrier = threading.Barrier(users + 1)
    deadline = [0.0]

    def worker(offset):
        session = Session(base)
        if login:
            session.login(*login.split(":", 1))
        start_barrier.wait()
        i = offset
        while time.monotonic() < deadline[0]:
            path = paths[i % len(paths)]
            i += 1
            began = time.perf_counter()
            status, _ = session.request("GET", path)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                latencies[path].append(elapsed)
                if status != 200:
                    errors[path] += 1

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + seconds
    start_barrier.wait()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    report = {}
    for path in paths:
        values = latencies[path]
        report[path] = {
            "requests": len(values),
            "errors": errors[path],
            "rps": round(len(values) / seconds, 1),
            "p50_ms": round(statistics.median(values), 1) if values else None,
            "p95_ms": round(percentile(values, 0.95), 1) if values else None,
            "p99_ms": round(percentile(values, 0.99), 1) if values else None,
        }
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", required=True)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--login", help="USER:PASSWORD")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    report = run(args.base, args.users, min(args.seconds, 120), args.login, args.paths)
    for path, row in report.items():
        print(
            f"{path:<40} n={row['requests']:<6} err={row['errors']:<4} {row['rps']:>7} req/s  "
            f"p50={row['p50_ms']} ms  p95={row['p95_ms']} ms  p99={row['p99_ms']} ms"
        )
    print(json.dumps(report))


if __name__ == "__main__":
    main()

"""Load scenarios for `make bench` (locust, headless, bounded by --run-time; loopback only).

Each simulated user logs in once with its own session. The class picks the scenario:
  PagesUser           contract manager reading pages and the API (BENCH_PAGES)
  RegisterUser        buurtteam worker posting the registration form (one new referral each)
  StaffDashboardUser  contract manager on the staff dashboard (BENCH_STAFF_URLS)
  CouncilDashboardUser council member on the council dashboard (BENCH_COUNCIL_URLS)
BENCH_PACING (seconds, default 0): each user starts a request at most once per that many seconds,
like a person reading the page; 0 means back to back, a stress figure for the whole machine."""

import datetime
import itertools
import os
import random
import sys
import time
import uuid
from pathlib import Path

from locust import HttpUser, constant, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from wmo.referrals.pseudonyms import valid_bsn_from  # noqa: E402

PACING = float(os.environ.get("BENCH_PACING", "0"))


def steady_pacing(seconds: float):
    """One task every `seconds` per user, on the user's own schedule. Locust's constant_pacing
    counts its first pause from the moment the user was spawned, which pulls every user back
    into step with its spawn batch; this one counts from the user's first task."""

    def wait(user) -> float:
        now = time.monotonic()
        due = max(getattr(user, "_bench_due", now) + seconds, now)
        user._bench_due = due
        return due - now

    return wait


WAIT = steady_pacing(PACING) if PACING else constant(0)


def _urls(name, default):
    return [url for url in os.environ.get(name, default).split() if url]


class LoggedInUser(HttpUser):
    abstract = True
    wait_time = WAIT
    username = password = ""

    def on_start(self):
        self.client.get("/account/inloggen/", name="login")
        response = self.client.post(
            "/account/inloggen/",
            data={"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
                  "username": self.username, "password": self.password},
            headers={"Referer": f"{self.host}/account/inloggen/"},
            allow_redirects=False, name="login",
        )  # fmt: skip
        if response.status_code != 302:
            raise RuntimeError(f"inloggen als {self.username} mislukt: HTTP {response.status_code}")

    def start_reading(self):
        """Paced users begin at a random moment within one pause, so they read at different
        moments, as people do. Locust spawns users in whole batches per second; without this,
        constant pacing keeps each batch in step and the server sees bursts of the whole batch
        at once (measured: all requests within 0.2 s of every 2 s) instead of a steady stream."""
        if PACING:
            time.sleep(random.uniform(0, PACING))  # gevent-patched: only this user waits


class RotatingUser(LoggedInUser):
    """Requests its URLs in turn, starting at a random one so users spread over them."""

    abstract = True
    urls: list[str] = []

    def on_start(self):
        super().on_start()
        start = random.randrange(len(self.urls))
        self._next = itertools.islice(itertools.cycle(self.urls), start, None)
        self.start_reading()

    @task
    def read(self):
        self.client.get(next(self._next))


class PagesUser(RotatingUser):
    username, password = "accounthouder", "Utrecht-accounthouder-2027"
    urls = _urls("BENCH_PAGES", "/ /wijken/ /wijken/WK034403/ /api/v1/wijken /api/v1/voorzieningen")


class StaffDashboardUser(RotatingUser):
    username, password = "accounthouder", "Utrecht-accounthouder-2027"
    urls = _urls("BENCH_STAFF_URLS", "/dashboard/")


class CouncilDashboardUser(RotatingUser):
    username, password = "raadslid", "Utrecht-raadslid-2027"
    urls = _urls("BENCH_COUNCIL_URLS", "/dashboard/raad/")


class RegisterBase(LoggedInUser):
    """A buurtteam worker on the registration form, with the choices the form itself offers today."""

    abstract = True
    username, password = "buurtteam", "Utrecht-buurtteam-2027"
    url = "/verwijzingen/registreren/"

    def on_start(self):
        super().on_start()
        page = self.client.get(self.url, name="formulier")
        self.district = _selected_option(page.text, "district")
        choices = self.client.get(
            self.url, params={"keuzes": 1, "district": self.district}, name="keuzes"
        ).json()
        self.service = next(c["value"] for c in choices["service_type"] if c["value"])
        choices = self.client.get(
            self.url, name="keuzes",
            params={"keuzes": 1, "district": self.district, "service_type": self.service},
        ).json()  # fmt: skip
        self.provider = next(c["value"] for c in choices["provider"] if c["value"])
        self.serial = random.randrange(10**6)
        self.start_reading()


class RegisterUser(RegisterBase):
    """Registers one new referral per task."""

    @task
    def register(self):
        self.serial += 1
        # catch_response: only then does failure() count; a 200 (the form back with errors)
        # is otherwise a success to locust while nothing was registered.
        with self.client.post(
            self.url,
            data={"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
                  "bsn": _bsn(self.serial), "district": self.district,
                  "referral_date": datetime.date.today().strftime("%d-%m-%Y"),
                  "service_type": self.service, "provider": self.provider,
                  "contractor": "", "idempotency_key": str(uuid.uuid4())},
            headers={"Referer": f"{self.host}{self.url}"},
            allow_redirects=False, name="POST registreren", catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 302:
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}: geen verwijzing geregistreerd")


def _selected_option(html: str, name: str) -> str:
    import re

    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="([^"]+)" selected', select).group(1)


def _bsn(serial: int) -> str:
    """A BSN passing the eleven-test (8xxxxxxxx: outside the demo series and issued range)."""
    return valid_bsn_from(80_000_000 + serial % 9_000_000)


# --- issue 14: a mixed crowd while large files come in; registrations sent twice at once -------

MIXED_PACING = float(os.environ.get("BENCH_MIXED_PACING", "2"))


class MixedUser(RotatingUser):
    """One of the crowd: every role reads its own pages, one every BENCH_MIXED_PACING seconds."""

    abstract = True
    wait_time = steady_pacing(MIXED_PACING)

    def start_reading(self):
        time.sleep(random.uniform(0, MIXED_PACING))


class MixedCouncilUser(MixedUser):
    weight = 15
    username, password = "raadslid", "Utrecht-raadslid-2027"
    urls = _urls("BENCH_COUNCIL_URLS", "/dashboard/raad/") + ["/aanbesteding/"]


class MixedStaffUser(MixedUser):
    weight = 15
    username, password = "accounthouder", "Utrecht-accounthouder-2027"
    urls = _urls("BENCH_STAFF_URLS", "/dashboard/") + ["/contracten/", "/aanbieders/",
                                                       "/importen/"]  # fmt: skip


class MixedBuurtteamUser(MixedUser):
    weight = 10
    username, password = "buurtteam", "Utrecht-buurtteam-2027"
    urls = ["/verwijzingen/", "/verwijzingen/registreren/", "/"]


class MixedApiUser(MixedUser):
    weight = 10
    username, password = "accounthouder", "Utrecht-accounthouder-2027"
    urls = ["/api/v1/verwijzingen?paginaGrootte=50", "/api/v1/aanbieders",
            "/api/v1/contracten", "/api/v1/wijken"]  # fmt: skip


UPLOADS = [path for path in os.environ.get("BENCH_UPLOAD_FILES", "").split() if path]


class UploadUser(LoggedInUser):
    """A contract manager uploading one large referrals file (BENCH_UPLOAD_FILES, one per
    user) at the start of the run; the import runs in the Celery worker, not in the request."""

    fixed_count = len(UPLOADS)
    username, password = "accounthouder", "Utrecht-accounthouder-2027"
    wait_time = constant(3600)
    _files = itertools.count()

    def on_start(self):
        """Uploads once the crowd is in (BENCH_UPLOAD_DELAY seconds: bench_load.sh lets the 50
        users arrive over a few seconds and counts from then), so the uploads fall inside the
        measured minute."""
        super().on_start()
        time.sleep(float(os.environ.get("BENCH_UPLOAD_DELAY", "0")))

    @task
    def upload(self):
        path = UPLOADS[next(self._files) % len(UPLOADS)]
        with open(path, "rb") as handle, self.client.post(
            "/verwijzingen/importeren/",
            data={"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
            files={"file": (Path(path).name, handle, "text/csv")},
            headers={"Referer": f"{self.host}/verwijzingen/importeren/"},
            allow_redirects=False, name="POST upload (groot bestand)", catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 302 and "/importen/" in response.headers.get("Location", ""):
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}: upload niet aangenomen")


REGISTERED_KEYS: set[str] = set()


class DoubleClickRegisterUser(RegisterBase):
    """Registers like RegisterUser, but sends every form twice at the same moment with the
    same idempotency key (a double click, a retried request): exactly one referral must come of
    it. The keys that were answered with a redirect are written to BENCH_KEYS_FILE at the end."""

    # Only this task: locust would otherwise also run RegisterUser's single-send task.
    @task
    def double_register(self):
        import gevent

        self.serial += 1
        key = str(uuid.uuid4())
        data = {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
                "bsn": _bsn(self.serial), "district": self.district,
                "referral_date": datetime.date.today().strftime("%d-%m-%Y"),
                "service_type": self.service, "provider": self.provider, "contractor": "",
                "idempotency_key": key}  # fmt: skip

        def send():
            with self.client.post(
                self.url, data=data, headers={"Referer": f"{self.host}{self.url}"},
                allow_redirects=False, name="POST registreren (2× tegelijk)", catch_response=True,
            ) as response:  # fmt: skip
                if response.status_code == 302:
                    response.success()
                    REGISTERED_KEYS.add(key)
                else:
                    response.failure(f"HTTP {response.status_code}: geen verwijzing geregistreerd")

        gevent.joinall([gevent.spawn(send), gevent.spawn(send)])


# BENCH_REQUEST_LOG: every request as "seconds since start, name, milliseconds", to see when
# the slow ones came (all at once: a stall of the machine; spread: the page itself).
REQUEST_LOG = os.environ.get("BENCH_REQUEST_LOG")
STARTED = time.time()
LOGGED: list[str] = []


@events.request.add_listener
def _log_request(request_type, name, response_time, **kwargs):
    if REQUEST_LOG:
        LOGGED.append(
            f"{time.time() - STARTED - response_time / 1000:.2f},{request_type} {name},"
            f"{response_time:.0f}"
        )


@events.test_stop.add_listener
def _write_request_log(environment, **kwargs):
    if REQUEST_LOG:
        Path(REQUEST_LOG).write_text("\n".join(LOGGED))


@events.test_stop.add_listener
def _write_registered_keys(environment, **kwargs):
    target = os.environ.get("BENCH_KEYS_FILE")
    if target:
        Path(target).write_text("\n".join(sorted(REGISTERED_KEYS)))

"""Synthetic buurtteam cases and referrals, 2020 Q1 up to the last completed quarter.

The volumes are those of `.demo_baseline`, scaled to the number of referrals asked for: per
voorziening and year the people in care (who started that year, or were in care the year
before), the mean wait of that year's starts, and for the buurtteams the new and the open cases
and the working days to first contact. At the default size (`full_size`: about 112,000 up to
2026 Q3) the yearly figures are the published ones. Whoever is in care (or has an open case) on
1 January 2020 comes with the referral (case) from before, so 2020 counts them as the baseline
does.

People recur: across voorzieningen, after an earlier referral of the same voorziening ended,
and a fifth of the cases lead to a referral of the same person. Some referrals are cancelled
and some people are still waiting on the last day. Providers and contractors follow the seeded
contracts on the referral date (`.demo_contracts`), the wijk is one where the voorziening is
contracted. Deterministic for a seed; rows go in by COPY on PostgreSQL, without model instances,
so a million referrals take a minute or two."""

import bisect
import datetime
import random
from array import array
from collections import defaultdict

from django.db import connections, router, transaction
from django.utils import timezone

from districts.models import (
    UTRECHT_GEMEENTE_CODE,
    Buurtteam,
    District,
    DistrictPopulation,
    Municipality,
)
from wmo.calendar import BUURTTEAM
from wmo.catalogue.models import NormKind, Objective, ServiceType
from wmo.catalogue.norms import norm_on
from wmo.imports.database import copy_rows, fetch_by_keys, next_ids
from wmo.imports.demo_rows import clear_demo_rows, truncate

from . import care_history
from .demo_baseline import FIRST_YEAR, case_plan, referral_plan
from .demo_contracts import ContractBook
from .demo_transition import seed_successors
from .models import (
    BuurtteamCase,
    Client,
    EndReason,
    Referral,
    ReferralEvent,
    SupportForm,
)
from .pseudonyms import client_key, valid_bsn_from

BATCH = 20_000
DEMO_PREFIX = "DEMO-"
CANCELLED_SHARE = 0.06  # of each year's starts, a referral cancelled before it started
RETURNING_SHARE = 0.10  # starts by someone whose earlier referral of the voorziening ended
KNOWN_SHARE = 0.25  # starts by someone already known for another voorziening
# Registered at the Wmo-loket or the Stadsteam Back Up, not by a buurtteam.
WITHOUT_TEAM = {"vervoersvoorziening", "woonvoorziening", "rolstoelvoorziening",
                "maatschappelijke_opvang"}  # fmt: skip
# Every so many objective V referrals is one for a client from another U16 municipality
# (opvang en verblijf is commissioned for the region): chosen by number, not drawn, so the
# random stream and with it every other referral stay as they were.
U16_EVERY = 8
GROUP_SHARE = {"dagbegeleiding": 0.35, "arbeidsmatige_activering": 0.35, "living_lab": 0.2,
               "vervoersvoorziening": 0.0, "woonvoorziening": 0.0, "rolstoelvoorziening": 0.0}  # fmt: skip
END_REASONS = [(EndReason.AS_PLANNED, 60), (EndReason.BY_CLIENT, 8), (EndReason.AGREED_EARLY, 8),
               (EndReason.MOVED, 6), (EndReason.DEATH, 4), (EndReason.OTHER_PROVIDER, 5),
               (EndReason.OTHER_DOMAIN, 4), (EndReason.BY_PROVIDER, 3), (EndReason.TEMPORARY, 2)]  # fmt: skip
SUPPORT_FORMS = [(SupportForm.INDIVIDUAL, 6), (SupportForm.GROUP, 2), (SupportForm.BLENDED, 2)]
REFERRAL_COLUMNS = ["external_id", "client_id", "district_id", "service_type_id", "provider_id",
                    "contractor_id", "referral_date", "assignment_date", "start_date", "end_date",
                    "end_reason", "cancelled_date", "group_based", "team_id",
                    "municipality_id"]  # fmt: skip
CASE_COLUMNS = ["external_id", "client_id", "district_id", "buurtteam_id", "registration_date",
                "first_contact_date", "closed_date", "support_form"]  # fmt: skip
# Row positions (REFERRAL_COLUMNS order).
CLIENT, REFERRAL_DAY, START, END, END_REASON = 1, 6, 8, 9, 10


def last_completed_quarter_end(today: datetime.date) -> datetime.date:
    first_month = 3 * ((today.month - 1) // 3) + 1
    return datetime.date(today.year, first_month, 1) - datetime.timedelta(days=1)


def demo_bsn(index: int) -> str:
    """A BSN that passes the eleven-test, derived from an index (never a real person's on
    purpose: the series starts at 9xxxxxxx, outside the issued range)."""
    return valid_bsn_from(90_000_000 + index * 7)


def exact_mean_draws(rng: random.Random, count: int, mean: float) -> list[int]:
    """`count` whole numbers ≥ 0, skewed like waiting times (a gamma of shape 2: most short, a
    few long), whose mean is `mean` up to rounding of the total."""
    if count <= 0:
        return []
    raw = [rng.gammavariate(2.0, 1.0) for _ in range(count)]
    factor = mean * count / sum(raw)
    scaled = [x * factor for x in raw]
    values = [int(x) for x in scaled]
    short = round(mean * count) - sum(values)
    for i in sorted(range(count), key=lambda i: values[i] - scaled[i])[: max(0, short)]:
        values[i] += 1
    return values


# --- the plan in whole numbers ----------------------------------------------------------------


def _covered(year: int, end: datetime.date) -> float:
    """The share of `year` up to the last day of the demo."""
    if year < end.year:
        return 1.0
    first = datetime.date(year, 1, 1)
    return ((end - first).days + 1) / ((datetime.date(year, 12, 31) - first).days + 1)


def _referral_counts(plans, end: datetime.date, scale: float) -> dict[str, dict]:
    """Per voorziening: stock (in care on 1 January 2020), starts, continuing, cancelled per
    year, and still waiting at the end — whole numbers at `scale`."""
    counts = {}
    for code, plan in plans.items():
        years = [y for y in sorted(plan.starts) if y <= end.year]
        starts = {y: plan.starts[y] * _covered(y, end) * scale for y in years}
        rate = plan.starts.get(end.year, 0.0) / 365 * scale
        counts[code] = {
            "stock": round(plan.continuing.get(FIRST_YEAR, 0.0) * scale),
            "starts": {y: round(v) for y, v in starts.items()},
            "continuing": {
                y: round(plan.continuing[y] * scale)
                for y in years + [end.year + 1]
                if y in plan.continuing
            },  # fmt: skip
            "cancelled": {y: round(v * CANCELLED_SHARE) for y, v in starts.items()},
            # Little's law again: still waiting ≈ inflow per day × mean wait.
            "waiting": round(rate * plan.wait.get(end.year, 0.0)),
        }
    return counts


def _total(counts) -> int:
    return sum(c["stock"] + sum(c["starts"].values()) + sum(c["cancelled"].values())
               + c["waiting"] for c in counts.values())  # fmt: skip


def full_size(end: datetime.date) -> int:
    """The number of referrals whose yearly volumes are the published ones."""
    return _total(_referral_counts(referral_plan(end.year + 1), end, 1.0))


def _counts_for(referrals: int, end: datetime.date):
    plans = referral_plan(end.year + 1)
    counts = _referral_counts(plans, end, referrals / full_size(end))
    # Rounding per voorziening and year leaves the total a little off: the largest group of
    # starts takes the difference, so `--referrals N` writes N referrals.
    short = referrals - _total(counts)
    code, year = max(((c, y) for c in counts for y in counts[c]["starts"]),
                     key=lambda cy: counts[cy[0]]["starts"][cy[1]])  # fmt: skip
    counts[code]["starts"][year] = max(0, counts[code]["starts"][year] + short)
    return plans, counts


# --- people -------------------------------------------------------------------------------------


class Clients:
    """Demo clients by index (their made-up BSN), created in growing blocks as the seed needs
    them. After a seed that emptied the tables every client is new and gets its id drawn from
    the sequence (no look-up); otherwise an earlier seed's clients are found, not duplicated."""

    def __init__(self, fresh: bool):
        self.fresh = fresh
        self.pks: list[int] = []
        self._block: list[int] = []
        self._block_start = 0

    def new(self) -> int:
        index = len(self.pks)
        if index >= self._block_start + len(self._block):
            self._create_block(index, min(50_000, max(2_000, index)))
        pk = self._block[index - self._block_start]
        self.pks.append(pk)
        return pk

    def _create_block(self, first: int, size: int):
        keys = [client_key(demo_bsn(i)) for i in range(first, first + size)]
        ids = next_ids(Client, size) if self.fresh else None
        if ids is not None:
            copy_rows(Client, ["id", "key", "birth_year"],
                      ((pk, k, _birth_year(k)) for pk, k in zip(ids, keys, strict=True)))  # fmt: skip
            self._block, self._block_start = ids, first
            return
        known = dict(fetch_by_keys(Client, "key", keys, ["key", "pk"]))
        missing = [k for k in keys if k not in known]
        if missing:
            copy_rows(Client, ["key", "birth_year"], ((k, _birth_year(k)) for k in missing))
            known.update(fetch_by_keys(Client, "key", missing, ["key", "pk"]))
        self._block, self._block_start = [known[k] for k in keys], first

    def known(self, rng: random.Random) -> int | None:
        return self.pks[int(rng.random() * len(self.pks))] if self.pks else None


def _birth_year(key: str) -> int:
    return 1930 + int(key[:6], 16) % 80


# --- referrals ----------------------------------------------------------------------------------


class ReferralWriter:
    """Generates one voorziening's referrals year by year and writes them in batches."""

    def __init__(self, rng, end, book, clients, districts, weights, teams_in, teams):
        self.rng, self.end = rng, end
        self.last = end.toordinal()
        self.book, self.clients = book, clients
        self.districts, self.weights = districts, weights
        self.teams_in, self.teams = teams_in, teams
        self.written = 0
        self.pending: list[list] = []
        self.referral_days = array("l")  # (day, client) of every referral after the stock,
        self.referral_clients = array("l")  # for the cases that lead to one
        self.reasons, self.reason_weights = zip(*END_REASONS, strict=True)
        self.municipalities = list(
            Municipality.objects.exclude(code=UTRECHT_GEMEENTE_CODE)
            .order_by("code").values_list("pk", flat=True)
        )  # fmt: skip

    # one referral ------------------------------------------------------------------------------
    def referral(self, service, day: int, client: int) -> list:
        rng = self.rng
        wijken = self.book.wijken(service.pk, day) or self.districts
        district = rng.choices(wijken, [self.weights[d] for d in wijken])[0]
        parties = self.book.parties(service.pk, district, day) or self.book.open_pool(day)
        provider, contractor, _ = rng.choices(parties, [w for *_, w in parties])[0]
        team = None
        if service.code not in WITHOUT_TEAM:
            local = self.teams_in.get(district)
            team = rng.choice(local if local and rng.random() < 0.9 else self.teams)
        group = rng.random() < GROUP_SHARE.get(service.code, 0.05)
        self.written += 1
        municipality = None
        if (service.objective == Objective.V and self.municipalities
                and self.written % U16_EVERY == 0):  # fmt: skip
            municipality = self.municipalities[self.written // U16_EVERY % len(self.municipalities)]
            district = team = None  # a U16 client: no wijk, no buurtteam of Utrecht
        return [f"{DEMO_PREFIX}R{self.written:07d}", client, district, service.pk, provider,
                contractor, day, None, None, None, "", None, group, team, municipality]  # fmt: skip

    def assign(self, row, latest: int, share: float):
        """An assignment date between the referral and `latest`, for `share` of referrals."""
        if self.rng.random() < share:
            day = row[REFERRAL_DAY] + self.rng.randint(
                0, max(0, min(10, latest - row[REFERRAL_DAY]))
            )
            row[7] = min(day, latest)

    def end_in(self, row, year: int):
        """End the support within `year` (not before it started); after the last day it runs on."""
        first = max(row[START] + 1, datetime.date(year, 1, 1).toordinal())
        last = datetime.date(year, 12, 31).toordinal()
        day = self.rng.randint(first, max(first, last))
        if day <= self.last:
            row[END] = day
            row[END_REASON] = self.rng.choices(self.reasons, self.reason_weights)[0]

    # one voorziening ---------------------------------------------------------------------------
    def service(self, service, counts: dict, plan):
        rng, clients = self.rng, self.clients
        valid_from = service.valid_from.toordinal() if service.valid_from else None
        in_care: list[list] = []
        returning: list[int] = []  # clients whose referral of this voorziening ended
        years = sorted(counts["starts"])
        for year in years:
            first_day = datetime.date(year, 1, 1).toordinal()
            last_day = min(datetime.date(year, 12, 31).toordinal(), self.last)
            if year == FIRST_YEAR:
                waits = exact_mean_draws(rng, counts["stock"], plan.wait[year])
                for wait in waits:
                    start = first_day - rng.randint(1, 730)
                    row = self.referral(service, start - wait, clients.new())
                    self.remember(row)
                    row[START] = start
                    self.assign(row, start, 0.85)
                    in_care.append(row)
            else:
                keep = min(counts["continuing"].get(year, 0), len(in_care))
                kept = set(rng.sample(range(len(in_care)), keep))
                for i, row in enumerate(in_care):
                    if i not in kept:
                        self.end_in(row, year - 1)
                        returning.append(row[CLIENT])
                        self.pending.append(row)
                in_care = [row for i, row in enumerate(in_care) if i in kept]
                self.flush(force=False)
            busy = {row[CLIENT] for row in in_care}
            starts = counts["starts"][year]
            for wait in exact_mean_draws(rng, starts, plan.wait[year]):
                start = rng.randint(first_day, last_day)
                day = start - wait
                if valid_from and day < valid_from:
                    day, start = valid_from, valid_from + wait  # a new voorziening: not before it
                row = self.referral(service, day, self.client_for(busy, returning))
                self.remember(row)
                if start > self.last:
                    self.assign(row, self.last, 0.5)  # referred, waits beyond the last day
                    self.pending.append(row)
                    continue
                row[START] = start
                self.assign(row, start, 0.85)
                in_care.append(row)
            for _ in range(counts["cancelled"].get(year, 0)):
                day = rng.randint(max(first_day, valid_from or first_day), last_day)
                row = self.referral(service, day, self.other_client())
                cancelled = day + rng.randint(1, max(2, min(90, 2 * round(plan.wait[year]))))
                if cancelled <= self.last:
                    self.assign(row, cancelled, 0.3)
                    row[11] = cancelled
                self.remember(row)
                self.pending.append(row)
        # The last year: who is not in care next year ends within it (or runs on past the end).
        keep = min(counts["continuing"].get(self.end.year + 1, 0), len(in_care))
        kept = set(rng.sample(range(len(in_care)), keep))
        for i, row in enumerate(in_care):
            if i not in kept:
                self.end_in(row, self.end.year)
        self.pending.extend(in_care)
        self.waiting(service, counts["waiting"], plan.wait.get(self.end.year, 0.0), valid_from)
        self.flush(force=True)

    def waiting(self, service, count: int, mean: float, valid_from: int | None):
        """People referred before the last day who have not started: the live waiting list.
        The time waited so far is the residual of the wait (memoryless: mean `mean`)."""
        rng = self.rng
        for _ in range(count):
            day = self.last - min(730, int(rng.expovariate(1 / max(mean, 1.0))))
            if valid_from and day < valid_from:
                day = valid_from + rng.randint(0, max(0, self.last - valid_from))
            row = self.referral(service, day, self.other_client())
            self.assign(row, self.last, 0.5)
            self.remember(row)
            self.pending.append(row)

    def client_for(self, busy: set, returning: list) -> int:
        """Someone not yet in care of this voorziening this year: returning, known for another
        voorziening, or new. So each year counts every person in care once."""
        rng = self.rng
        roll = rng.random()
        for _ in range(3):
            if roll < RETURNING_SHARE and returning:
                client = returning[int(rng.random() * len(returning))]
            elif roll < RETURNING_SHARE + KNOWN_SHARE:
                client = self.clients.known(rng)
            else:
                break
            if client is not None and client not in busy:
                busy.add(client)
                return client
        client = self.clients.new()
        busy.add(client)
        return client

    def other_client(self) -> int:
        """For a referral that never starts: half of them someone already known."""
        known = self.clients.known(self.rng) if self.rng.random() < 0.5 else None
        return known if known is not None else self.clients.new()

    def remember(self, row):
        self.referral_days.append(row[REFERRAL_DAY])
        self.referral_clients.append(row[CLIENT])

    def flush(self, force: bool):
        # Rows still in care may get an end date later: only finished rows are written early.
        if not self.pending or (not force and len(self.pending) < BATCH):
            return
        fromordinal = datetime.date.fromordinal
        copy_rows(Referral, REFERRAL_COLUMNS, (
            [row[0], row[1], row[2], row[3], row[4], row[5], fromordinal(row[6]),
             row[7] and fromordinal(row[7]), row[8] and fromordinal(row[8]),
             row[9] and fromordinal(row[9]), row[10], row[11] and fromordinal(row[11]), row[12],
             row[13], row[14]]
            for row in self.pending
        ))  # fmt: skip
        self.pending = []


# --- cases --------------------------------------------------------------------------------------


def _working_days(first: datetime.date, last: datetime.date) -> array:
    days = array("l")
    day = first
    while day <= last:
        if BUURTTEAM.is_working_day(day):
            days.append(day.toordinal())
        day += datetime.timedelta(days=1)
    return days


def _seed_cases(rng, end, scale, clients, referrals: ReferralWriter, teams, districts, weights):
    plan = case_plan(end.year + 1)
    last = end.toordinal()
    workdays = _working_days(datetime.date(FIRST_YEAR - 4, 1, 1), end + datetime.timedelta(60))
    order = sorted(range(len(referrals.referral_days)), key=referrals.referral_days.__getitem__)
    referral_days = array("l", (referrals.referral_days[i] for i in order))
    referral_clients = array("l", (referrals.referral_clients[i] for i in order))
    forms, form_weights = zip(*SUPPORT_FORMS, strict=True)
    written = 0
    pending: list[list] = []
    closed_clients: list[int] = []

    # Cases that lead to a referral: the buurtteam's target ratio (80/20) valid at the end.
    linked_share = float(norm_on(NormKind.BT_REFERRAL_PCT, None, end)) / 100

    def workday_index(day: int) -> int:
        return bisect.bisect_left(workdays, day)

    def case(registration: int, wait: float) -> list:
        nonlocal written
        team = rng.choice(teams)
        district = team.district_id if rng.random() < 0.85 else rng.choices(districts, weights)[0]
        index = workday_index(registration)
        first = workdays[min(index + wait, len(workdays) - 1)]
        client = None
        if rng.random() < linked_share:
            # A referral of the same person, made while the case runs.
            low = bisect.bisect_right(referral_days, registration)
            high = bisect.bisect_right(referral_days, registration + 90)
            if high > low:
                pick = rng.randrange(low, high)
                client = referral_clients[pick]
                linked = referral_days[pick]
        if client is None:
            linked = None
            if closed_clients and rng.random() < 0.1:
                client = closed_clients[int(rng.random() * len(closed_clients))]
            else:
                client = clients.new()
        written += 1
        form = rng.choices(forms, form_weights)[0]
        return [f"{DEMO_PREFIX}C{written:07d}", client, district, team.pk, registration,
                first if first <= last else None, None, form, linked]  # fmt: skip

    def close_in(row, year: int):
        if row[5] is None:
            return  # never contacted yet: still open
        low = max(row[5], row[8] or 0, datetime.date(year, 1, 1).toordinal())
        day = rng.randint(low, max(low, datetime.date(year, 12, 31).toordinal()))
        if day <= last:
            row[6] = day
            closed_clients.append(row[1])

    open_cases: list[list] = []
    for year in range(FIRST_YEAR, end.year + 1):
        first_day = datetime.date(year, 1, 1).toordinal()
        last_day = min(datetime.date(year, 12, 31).toordinal(), last)
        if year == FIRST_YEAR:
            stock = round(plan.continuing[year] * scale)
            low, high = workday_index(first_day - 3 * 365), workday_index(first_day) - 1
            for wait in exact_mean_draws(rng, stock, plan.wait[year]):
                open_cases.append(case(workdays[rng.randint(low, high)], wait))
        else:
            keep = min(round(plan.continuing[year] * scale), len(open_cases))
            kept = set(rng.sample(range(len(open_cases)), keep))
            for i, row in enumerate(open_cases):
                if i not in kept:
                    close_in(row, year - 1)
                    pending.append(row)
            open_cases = [row for i, row in enumerate(open_cases) if i in kept]
        new = round(plan.new[year] * scale * _covered(year, end))
        low, high = workday_index(first_day), workday_index(last_day + 1) - 1
        for wait in exact_mean_draws(rng, new, plan.wait[year]):
            open_cases.append(case(workdays[rng.randint(low, high)], wait))
        if len(pending) >= BATCH:
            _write_cases(pending)
            pending = []
    keep = min(round(plan.continuing[end.year + 1] * scale), len(open_cases))
    kept = set(rng.sample(range(len(open_cases)), keep))
    for i, row in enumerate(open_cases):
        if i not in kept:
            close_in(row, end.year)
    _write_cases(pending + open_cases)
    return written


def _write_cases(rows):
    fromordinal = datetime.date.fromordinal
    copy_rows(BuurtteamCase, CASE_COLUMNS, (
        [row[0], row[1], row[2], row[3], fromordinal(row[4]), row[5] and fromordinal(row[5]),
         row[6] and fromordinal(row[6]), row[7]]
        for row in rows
    ))  # fmt: skip


# --- the seed -----------------------------------------------------------------------------------


def _drop_orphan_clients() -> bool:
    """With no referral and no case left, no client is referenced: empty the table (it holds
    only earlier seeds' and imports' pseudonyms) so every demo client is new. True if emptied."""
    if Referral.objects.exists() or BuurtteamCase.objects.exists():
        return False
    connection = connections[router.db_for_write(Client)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE needs every table with a foreign key to it in the same statement.
            truncate(cursor, [m._meta.db_table for m in (ReferralEvent, Referral, BuurtteamCase,
                                                         Client)])  # fmt: skip
        else:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(Client._meta.db_table)}")
    return True


def seed_referrals(rng: random.Random, referrals: int | None = None,
                   today: datetime.date | None = None) -> dict[str, int]:  # fmt: skip
    """Replace the demo cases and referrals; returns counts. Needs providers to exist.
    `referrals` None: the published size (`full_size`)."""
    today = today or timezone.localdate()
    end = last_completed_quarter_end(today)
    if referrals is None:
        referrals = full_size(end)
    services = {s.code: s for s in ServiceType.objects.all()}
    districts = list(District.objects.order_by("code").values_list("pk", flat=True))
    teams = list(Buurtteam.objects.order_by("code"))
    if referrals <= 0 or not districts or not teams:
        return {"referrals": 0, "cases": 0, "clients": 0}
    population = dict(DistrictPopulation.objects.order_by("year")
                      .values_list("district_id", "population"))  # fmt: skip
    weights = {d: population.get(d, 1) for d in districts}
    teams_in = defaultdict(list)
    for team in teams:
        teams_in[team.district_id].append(team.pk)
    plans, counts = _counts_for(referrals, end)
    scale = referrals / full_size(end)
    with transaction.atomic():
        care_history.defer()
        clear_demo_rows(Referral, DEMO_PREFIX, [(ReferralEvent, "referral_id")])
        clear_demo_rows(BuurtteamCase, DEMO_PREFIX)
        fresh = _drop_orphan_clients()
        book = ContractBook(districts)
        clients = Clients(fresh)
        writer = ReferralWriter(rng, end, book, clients, districts, weights, teams_in,
                                [t.pk for t in teams])  # fmt: skip
        for code in sorted(counts):
            if code in services:
                writer.service(services[code], counts[code], plans[code])
        cases = _seed_cases(rng, end, scale, clients, writer, teams, districts,
                            [weights[d] for d in districts])  # fmt: skip
        successors = seed_successors(book, today, DEMO_PREFIX)
        care_history.catch_up()
    return {
        "referrals": writer.written + successors,
        "cases": cases,
        "clients": len(set(clients.pks)),
        "successors": successors,
    }

"""Synthetic buurtteam cases and referrals, 2020 Q1 up to the last completed quarter.

Yearly volumes and mean waits follow domain/baseline_2020_2022.csv (later years continue the
trend); clients recur, some referrals are cancelled and some people are still waiting on the
last day. Deterministic for a seed; bulk_create in batches, so a million rows take minutes."""

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from districts.models import Buurtteam, District
from providers.models import Contract, Provider, Subcontract

from .models import BuurtteamCase, Client, EndReason, Referral, ServiceType, SupportForm
from .pseudonyms import client_key, valid_bsn_from
from .workdays import is_working_day

BATCH = 5000
START = datetime.date(2020, 1, 1)
DEMO_PREFIX = "DEMO-"

# unique clients 2022 (relative volume) and mean wait in days 2020, 2021, 2022 (baseline).
BASELINE = {
    "individuele_begeleiding": (2144, (28, 40, 51)),
    "thuisbegeleiding": (396, (50, 22, 66)),
    "arbeidsmatige_activering": (654, (7, 7, 16)),
    "dagbegeleiding": (643, (15, 11, 14)),
    "hulp_bij_huishouden": (5888, (12, 14, 16)),
    "vervoersvoorziening": (12685, (10, 10, 12)),
    "woonvoorziening": (3458, (30, 35, 40)),
    "rolstoelvoorziening": (2362, (20, 22, 25)),
    "beschermd_thuis": (982, (75, 89, 130)),
    "beschermd_verblijf": (691, (125, 199, 179)),
    "beschermd_wonen_bovenregionaal": (122, (54, 87, 95)),
    "living_lab": (162, (16, 24, 30)),
    "maatschappelijke_opvang": (2079, (5, 6, 7)),
}
REPLACED_BY = {"individuele_begeleiding": "ambulante_begeleiding",
               "thuisbegeleiding": "ambulante_begeleiding"}  # fmt: skip
END_REASONS = [(EndReason.AS_PLANNED, 60), (EndReason.BY_CLIENT, 8), (EndReason.AGREED_EARLY, 8),
               (EndReason.MOVED, 6), (EndReason.DEATH, 4), (EndReason.OTHER_PROVIDER, 5),
               (EndReason.OTHER_DOMAIN, 4), (EndReason.BY_PROVIDER, 3), (EndReason.TEMPORARY, 2)]  # fmt: skip


def last_completed_quarter_end(today: datetime.date) -> datetime.date:
    first_month = 3 * ((today.month - 1) // 3) + 1
    return datetime.date(today.year, first_month, 1) - datetime.timedelta(days=1)


def demo_bsn(index: int) -> str:
    """A BSN that passes the eleven-test, derived from an index (never a real person's on
    purpose: the series starts at 9xxxxxxx, outside the issued range)."""
    return valid_bsn_from(90_000_000 + index * 7)


def _mean_wait(code: str, year: int) -> float:
    waits = BASELINE.get(code, (0, (14, 14, 14)))[1]
    if year <= 2022:
        return waits[max(0, year - 2020)]
    return waits[2] * (1 - 0.05 * (year - 2022))  # slow improvement after the baseline


def _add_working_days(day: datetime.date, count: int) -> datetime.date:
    while count > 0:
        day += datetime.timedelta(days=1)
        count -= is_working_day(day)
    return day


def _dates_between(rng, start, end, count):
    """`count` days in [start, end], volume growing ~4 % a year, sorted."""
    span = (end - start).days
    days = []
    for _ in range(count):
        # inverse of a linearly rising density: later days a little more likely
        x = rng.random() ** 0.93
        days.append(start + datetime.timedelta(days=min(span, int(x * (span + 1)))))
    days.sort()
    return days


def _provider_pools(services):
    """service id -> providers contracted for it (contractors and subcontractors); else all."""
    everyone = list(
        Provider.objects.filter(active=True).order_by("agb_code").values_list("id", flat=True)
    )
    pools = defaultdict(set)
    for service_id, provider_id in Contract.service_types.through.objects.values_list(
        "servicetype_id", "contract__contractor_id"
    ):  # fmt: skip
        pools[service_id].add(provider_id)
    for service_id, provider_id in Subcontract.service_types.through.objects.values_list(
        "servicetype_id", "subcontract__subcontractor_id"
    ):  # fmt: skip
        pools[service_id].add(provider_id)
    return {s.pk: sorted(pools.get(s.pk) or everyone) for s in services}


def _bulk(model, rows):
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH])


def seed_referrals(rng: random.Random, referrals: int = 20_000, today: datetime.date | None = None):
    """Replace the demo cases and referrals; returns counts. Needs providers to exist."""
    today = today or timezone.localdate()
    end = last_completed_quarter_end(today)
    services = {s.code: s for s in ServiceType.objects.all()}
    pools = _provider_pools(services.values())
    if not any(pools.values()) or referrals <= 0:
        return {"referrals": 0, "cases": 0, "clients": 0}
    districts = list(District.objects.order_by("code"))
    teams = list(Buurtteam.objects.order_by("code"))
    teams_in = defaultdict(list)
    for team in teams:
        teams_in[team.district_id].append(team)
    weighted = [(code, BASELINE[code][0]) for code in BASELINE if code in services]
    codes, weights = zip(*weighted, strict=True)
    cases = referrals // 2

    with transaction.atomic():
        Referral.objects.filter(external_id__startswith=DEMO_PREFIX).delete()
        BuurtteamCase.objects.filter(external_id__startswith=DEMO_PREFIX).delete()
        # Clients: a pool smaller than the number of records, so people recur.
        client_count = max(1, int((referrals + cases) * 0.55))
        wanted = [client_key(demo_bsn(i)) for i in range(client_count)]
        known = set()
        for start in range(0, len(wanted), BATCH):
            known.update(Client.objects.filter(key__in=wanted[start : start + BATCH])
                         .values_list("key", flat=True))  # fmt: skip
        _bulk(Client, [Client(key=k, birth_year=1930 + int(k[:6], 16) % 80) for k in wanted
                       if k not in known])  # fmt: skip
        client_ids = {}
        for start in range(0, len(wanted), BATCH):
            client_ids.update(Client.objects.filter(key__in=wanted[start : start + BATCH])
                              .values_list("key", "pk"))  # fmt: skip
        client_pks = [client_ids[k] for k in wanted]

        def some_client():
            # skewed: a quarter of the people account for about half of the records
            return client_pks[int(len(client_pks) * rng.random() ** 1.6)]

        rows = []
        for index, day in enumerate(_dates_between(rng, START, end, referrals)):
            code = rng.choices(codes, weights)[0]
            service = services[code]
            if not service.is_valid_on(day) and REPLACED_BY.get(code) in services:
                service = services[REPLACED_BY[code]]
            district = rng.choice(districts)
            team = (
                rng.choice(teams_in[district.pk] or teams)
                if rng.random() < 0.9
                else rng.choice(teams)
            )
            provider_id = rng.choice(pools[service.pk])
            mean = _mean_wait(service.code, day.year)
            wait = max(0, int(rng.expovariate(1 / mean))) if mean else 0
            start = day + datetime.timedelta(days=wait)
            referral = Referral(
                external_id=f"{DEMO_PREFIX}R{index:07d}", client_id=some_client(),
                district=district, service_type=service, provider_id=provider_id,
                contractor_id=provider_id, referral_date=day, team=team,
                group_based=rng.random() < (0.35 if service.code in ("dagbegeleiding",
                                                                      "arbeidsmatige_activering") else 0.05),
            )  # fmt: skip
            if rng.random() < 0.8:
                assigned = day + datetime.timedelta(days=rng.randrange(0, 6))
                if assigned <= min(start, today):
                    referral.assignment_date = assigned
            if rng.random() < 0.06:
                cancelled = day + datetime.timedelta(days=rng.randrange(1, max(2, wait + 1)))
                if cancelled <= today:
                    referral.cancelled_date = cancelled
            elif start > end and rng.random() < 0.6:
                pass  # still waiting today: part of the live waiting list
            elif start <= today:
                referral.start_date = start
                stop = start + datetime.timedelta(days=int(rng.expovariate(1 / 300)))
                if stop <= today:
                    referral.end_date = stop
                    referral.end_reason = rng.choices(*zip(*END_REASONS, strict=True))[0]
            rows.append(referral)
            if len(rows) >= BATCH:
                Referral.objects.bulk_create(rows)
                rows = []
        Referral.objects.bulk_create(rows)

        rows = []
        forms = [SupportForm.INDIVIDUAL] * 6 + [SupportForm.GROUP] * 2 + [SupportForm.BLENDED] * 2
        for index, day in enumerate(_dates_between(rng, START, end, cases)):
            team = rng.choice(teams)
            mean = {2020: 6.4, 2021: 7.6, 2022: 7.2}.get(day.year, 6.5)
            first = _add_working_days(day, max(0, round(rng.expovariate(1 / mean))))
            closed = first + datetime.timedelta(days=int(rng.expovariate(1 / 120)))
            rows.append(BuurtteamCase(
                external_id=f"{DEMO_PREFIX}C{index:07d}", client_id=some_client(),
                district=team.district if rng.random() < 0.85 else rng.choice(districts),
                buurtteam=team, registration_date=day,
                first_contact_date=first if first <= today else None,
                closed_date=closed if closed <= today else None,
                support_form=rng.choice(forms),
            ))  # fmt: skip
            if len(rows) >= BATCH:
                BuurtteamCase.objects.bulk_create(rows)
                rows = []
        BuurtteamCase.objects.bulk_create(rows)
    return {"referrals": referrals, "cases": cases, "clients": client_count}

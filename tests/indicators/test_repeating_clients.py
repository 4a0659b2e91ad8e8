"""The database's `earlier_in_care_until` columns (migration referrals 0010) and the distinct
clients in care the engine counts with them (referral_sets.repeat_measures, clients_in_care),
against the same worked out in Python from the referral rows, at every level, through every kind
of write: create, bulk insert, update of dates, groups and client, delete, a changed objective.
PostgreSQL only: SQLite counts distinct clients directly."""

import datetime
import random

import pytest
from django.db import connection, transaction

from districts.models import Municipality
from indicators.definitions.base import ALL_LEVELS, Context, key_codes, level_key
from indicators.definitions.referral_sets import (
    EARLIER_IN_CARE,
    clients_in_care,
    in_care,
    period_referrals,
    referral_counts,
    relevant_referrals,
)
from providers.models import Provider
from tests.indicators.scenario import build
from wmo.catalogue.models import Objective, ServiceType
from wmo.periods import HalfYear, Quarter, Year
from wmo.referrals import care_history
from wmo.referrals.models import Client, Referral

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL keeps the column"),
]
D = datetime.date
FAR = D(9999, 12, 31)


LEVEL_OF = {  # level -> what, besides the client, puts two referrals in the same group
    "system": lambda r: (),
    "district": lambda r: (r["district_id"],),
    "service_type": lambda r: (r["service_type_id"],),
    "provider": lambda r: (r["provider_id"],),
    "district_service": lambda r: (r["district_id"], r["service_type_id"]),
    "contractor": lambda r: (r["contractor_id"],),
    "municipality": lambda r: (
        r["service_type__objective"] == "V",
        r["municipality_id"] or Municipality.objects.get(code="GM0344").pk,
    ),
}
FIELDS = ("id", "client_id", "start_date", "end_date", "cancelled_date", "district_id",
          "service_type_id", "provider_id", "contractor_id", "municipality_id",
          "service_type__objective")  # fmt: skip


def stored() -> dict[tuple[int, str], datetime.date | None]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(EARLIER_IN_CARE.values())} FROM referrals_referral")
        return {(row[0], level): value for row in cursor.fetchall()
                for level, value in zip(EARLIER_IN_CARE, row[1:], strict=True)}  # fmt: skip


def expected() -> dict[tuple[int, str], datetime.date | None]:
    """Per referral and level: the latest closing day of the client's referrals in the same
    group that started before it (start date, then id), for a started referral; else None."""
    rows = list(Referral.objects.values(*FIELDS))
    result = {}
    for level, group_of in LEVEL_OF.items():
        by_group = {}
        for row in rows:
            by_group.setdefault((row["client_id"], *group_of(row)), []).append(row)
        for referrals in by_group.values():
            started = sorted((r for r in referrals if r["start_date"] is not None),
                             key=lambda r: (r["start_date"], r["id"]))  # fmt: skip
            latest = None
            for r in started:
                result[(r["id"], level)] = latest
                closed = min(d for d in (r["end_date"], r["cancelled_date"], FAR) if d is not None)
                latest = closed if latest is None else max(latest, closed)
            result.update({(r["id"], level): None for r in referrals if r["start_date"] is None})
    return result


def clients_by_hand(period) -> dict[str, dict[str, int]]:
    """level -> key -> distinct clients in care, counted from the rows with Python sets."""
    codes = key_codes()
    with period_referrals(period) as referrals:
        rows = list(referrals.filter(in_care(period)).values(
            "client_id", "district_id", "service_type_id", "provider_id", "contractor_id",
            "level_municipality_id"))  # fmt: skip
    found = {}
    for level in ALL_LEVELS:
        groups = {}
        for row in rows:
            key = level_key(level, row, codes)
            if key is not None:
                groups.setdefault(key, set()).add(row["client_id"])
        found[level] = {key: len(clients) for key, clients in groups.items()}
    return found


def clients_of_the_engine(period) -> dict[str, dict[str, int]]:
    with period_referrals(period) as referrals:
        context = Context(period=period, referrals=referrals)
        counted = clients_in_care(context, referral_counts(context))
    return {level: {key: n for key, n in groups.items() if n} for level, groups in counted.items()}


def random_referrals(rng: random.Random, clients, template: Referral, n: int, prefix: str):
    rows = []
    for i in range(n):
        referral_date = D(2025, 1, 1) + datetime.timedelta(days=rng.randrange(700))
        start = end = cancelled = None
        kind = rng.random()
        if kind < 0.75:
            start = referral_date + datetime.timedelta(days=rng.randrange(60))
            if rng.random() < 0.6:
                end = start + datetime.timedelta(days=rng.randrange(400))
        elif kind < 0.85:
            cancelled = referral_date + datetime.timedelta(days=rng.randrange(30))
        rows.append(Referral(
            external_id=f"{prefix}{i}", client=rng.choice(clients), district=template.district,
            service_type=template.service_type, provider=template.provider,
            contractor=template.contractor, referral_date=referral_date, start_date=start,
            end_date=end, end_reason="19" if end else "", cancelled_date=cancelled,
        ))  # fmt: skip
    return rows


PERIODS = (
    [Quarter(2025, q) for q in (1, 2, 3, 4)]
    + [Quarter(2026, q) for q in (1, 2, 3, 4)]
    + [HalfYear(2025, 2), HalfYear(2026, 1), Year(2025), Year(2026)]
)


def check(periods=PERIODS):
    assert stored() == expected()
    for period in periods:
        assert clients_of_the_engine(period) == clients_by_hand(period), period


def test_the_scenario_counts_client_1_once_though_two_of_their_referrals_are_in_care():
    build()
    check([Quarter(2026, 3)])
    # c1 has R1 (P1, dagbegeleiding) and R2 (P3, vervoer) in West in care: once in West.
    west = clients_of_the_engine(Quarter(2026, 3))["district"]["WK034401"]
    assert west == 2  # c1 and c3 (R8 ended on Q's first day)
    c1 = Client.objects.get(key="sleutel-1").pk
    r2 = Referral.objects.get(external_id="R2").pk
    r1_closes = FAR  # R1 is open
    assert stored()[(r2, "system")] == r1_closes and stored()[(r2, "district")] == r1_closes
    assert stored()[(r2, "provider")] is None  # R1 is with another provider
    assert Referral.objects.filter(client_id=c1).count() == 2


def test_every_write_keeps_the_columns_and_the_counts_right():
    build()
    rng = random.Random(19)
    template = Referral.objects.get(external_id="R1")
    clients = [Client.objects.create(key=f"herhaal-{n}") for n in range(40)]
    Referral.objects.bulk_create(random_referrals(rng, clients, template, 240, "B"))
    check()
    # The data repeat clients within groups, or the check would prove nothing.
    assert any(
        clients_of_the_engine(period)["system"]["all"]
        < relevant_referrals(period).filter(in_care(period)).count()
        for period in PERIODS
    )

    # One at a time, as the form and the API write.
    for referral in random_referrals(rng, clients, template, 15, "F"):
        referral.save()
    # Dates and groups changed through save(): an earlier start, an end, a reopened referral,
    # another provider.
    started = list(Referral.objects.filter(external_id__startswith="B", start_date__isnull=False))
    providers = list(Provider.objects.all())
    for referral in rng.sample(started, 24):
        choice = rng.random()
        if choice < 0.3:
            referral.start_date = referral.referral_date
            referral.end_date = None
        elif choice < 0.55:
            referral.end_date = referral.start_date + datetime.timedelta(days=rng.randrange(90))
        elif choice < 0.8:
            referral.end_date = None
        else:
            referral.provider = rng.choice(providers)
        referral.end_reason = "19" if referral.end_date else ""
        referral.save()
    check()
    # Referrals moved to another client (a correction), many rows in one UPDATE.
    moved = [r.pk for r in rng.sample(started, 10)]
    Referral.objects.filter(pk__in=moved[:5]).update(client=clients[0])
    Referral.objects.filter(pk__in=moved[5:]).update(client=clients[1])
    check()
    # Deleted, and a stale copy of a column written back by hand.
    Referral.objects.filter(pk__in=[r.pk for r in rng.sample(started, 15)]).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE referrals_referral SET earlier_in_care_until_district = '2000-01-01'"
        )
    check()
    # A voorziening that changes objective moves its referrals in or out of the gemeente level.
    service = ServiceType.objects.get(pk=template.service_type_id)
    service.objective = Objective.V if service.objective != Objective.V else Objective.IV
    service.save()
    check()


@pytest.mark.parametrize("lookup_limit", [care_history.LOOKUP_LIMIT, 0])
def test_a_bulk_writer_defers_the_recompute_to_its_end(monkeypatch, lookup_limit):
    """The demo seed and the importers: the triggers note the clients, catch_up() recomputes
    them (looked up one by one, or with lookup_limit 0 in one pass over every referral)."""
    monkeypatch.setattr(care_history, "LOOKUP_LIMIT", lookup_limit)
    build()
    rng = random.Random(5)
    template = Referral.objects.get(external_id="R1")
    clients = [Client.objects.create(key=f"bulk-{n}") for n in range(30)]
    with transaction.atomic():
        care_history.defer()
        Referral.objects.bulk_create(random_referrals(rng, clients, template, 150, "B"))
        Referral.objects.filter(external_id="R2").delete()
        # Not yet: the new referrals have no care history, and c1's R1 still shows R2's.
        assert stored() != expected()
        assert care_history.catch_up() == 30 + 1
        check()
        # Back to recomputing after each statement.
        Referral.objects.filter(external_id__startswith="B").update(client=clients[0])
        check()
    assert care_history.catch_up() == 0

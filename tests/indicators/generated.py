"""A generated data set of a few thousand referrals, cases, answers and complaints, the same for
a given seed on every database: test_definitions.py computes it on PostgreSQL and on SQLite and
compares both with one committed export. Its own generator (not the demo data's), so the export
only changes when this file does. Dates are drawn around the quarters 2026Q2-Q4, with a share
placed exactly on quarter boundaries and month-ends, where off-by-one errors would show."""

import datetime
import random

from districts.models import Buurtteam, District, DistrictPopulation
from providers.models import Provider
from wmo.catalogue.models import ServiceType
from wmo.quality.models import Complaint, SurveyResponse
from wmo.referrals.models import BuurtteamCase, Client, Referral

D = datetime.date
FIRST, LAST = D(2024, 1, 1), D(2026, 11, 20)
EDGES = [D(2026, 3, 31), D(2026, 4, 1), D(2026, 6, 30), D(2026, 7, 1), D(2026, 7, 31),
         D(2026, 8, 31), D(2026, 9, 30), D(2026, 10, 1)]  # fmt: skip
# (AGB code, kind, size override): large and small care providers, resident organisations.
PROVIDERS = [(f"2000000{i}", kind, size) for i, (kind, size) in enumerate([
    ("care_provider", "large"), ("care_provider", "large"), ("care_provider", "small"),
    ("care_provider", "small"), ("resident_org", ""), ("resident_org", ""),
    ("care_provider", "large"), ("welfare", "small"),
])]  # fmt: skip


def _day(rng: random.Random, first=FIRST, last=LAST) -> datetime.date:
    if rng.random() < 0.1:
        return rng.choice([day for day in EDGES if first <= day <= last] or [first])
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _after(rng: random.Random, day: datetime.date, most: int) -> datetime.date:
    return min(LAST, day + datetime.timedelta(days=rng.randint(0, most)))


def build(seed: int = 2026, referrals: int = 3000) -> None:
    rng = random.Random(seed)
    districts = list(District.objects.order_by("code"))
    teams = list(Buurtteam.objects.order_by("code"))
    services = list(ServiceType.objects.order_by("code"))
    for index, district in enumerate(districts):
        DistrictPopulation.objects.create(district=district, year=2026,
                                          population=20_000 + 1_000 * index)  # fmt: skip
    providers = [
        Provider.objects.create(
            agb_code=agb, name=f"Aanbieder {agb}", kind=kind, size_override=size
        )
        for agb, kind, size in PROVIDERS
    ]
    Client.objects.bulk_create(Client(key=f"gegenereerd-{i:05d}") for i in range(referrals // 2))
    clients = list(Client.objects.filter(key__startswith="gegenereerd-").order_by("key"))

    rows = []
    for index in range(referrals):
        referred = _day(rng)
        provider = rng.choice(providers)
        # A quarter of the referrals is delivered by a subcontractor of one of the large ones.
        contractor = rng.choice(providers[:2]) if rng.random() < 0.25 else provider
        referral = Referral(
            external_id=f"G{index:05d}", client=rng.choice(clients), district=rng.choice(districts),
            service_type=rng.choice(services), provider=provider, contractor=contractor,
            referral_date=referred, group_based=rng.random() < 0.2,
        )  # fmt: skip
        draw = rng.random()
        if draw < 0.08:
            referral.cancelled_date = _after(rng, referred, 60)
        elif draw < 0.2:
            pass  # still waiting
        else:
            referral.start_date = _after(rng, referred, 90)
            if rng.random() < 0.6:
                referral.end_date = _after(rng, referral.start_date, 300)
                referral.end_reason = "19"
        rows.append(referral)
    Referral.objects.bulk_create(rows, batch_size=500)

    cases = []
    for index in range(referrals // 2):
        registered = _day(rng)
        contact = _after(rng, registered, 14) if rng.random() < 0.9 else None
        closed = _after(rng, contact, 200) if contact and rng.random() < 0.7 else None
        team = rng.choice(teams)
        cases.append(BuurtteamCase(
            external_id=f"GK{index:05d}", client=rng.choice(clients), district=team.district,
            buurtteam=team, registration_date=registered, first_contact_date=contact,
            closed_date=closed, support_form=rng.choice(["individual", "group", "blended"]),
        ))  # fmt: skip
    BuurtteamCase.objects.bulk_create(cases, batch_size=500)

    answers = [None, 1, 2, 3, 4, 5]
    SurveyResponse.objects.bulk_create([
        SurveyResponse(
            external_id=f"GE{index:05d}", date=_day(rng, D(2026, 1, 1)),
            district=rng.choice(districts), service_type=rng.choice(services),
            provider=rng.choice(providers), q_solution=rng.choice(answers),
            q_self_reliance=rng.choice(answers),
        )
        for index in range(referrals // 6)
    ], batch_size=500)  # fmt: skip
    complaints = []
    for index in range(referrals // 40):
        received = _day(rng, D(2026, 1, 1))
        complaints.append(Complaint(
            external_id=f"GC{index:05d}", provider=rng.choice(providers),
            service_type=rng.choice(services), district=rng.choice(districts),
            received_date=received,
            resolved_date=_after(rng, received, 90) if rng.random() < 0.8 else None,
        ))  # fmt: skip
    Complaint.objects.bulk_create(complaints, batch_size=500)

"""A quarter (2026Q3, with 2026Q2 before it) full of small cells: a few referrals, cases,
survey answers and complaints in particular wijken, services and providers, so that every
suppression rule has something to hide at every level. Every client has one referral or one
case, so distinct clients add up over wijken, services and providers like any count.

Per wijk × voorziening × aanbieder (aanbieder/contractpartij): referrals started in Q (of which
within the 14-day norm, group-based), waiting at the end of Q, and in care since Q2:

  West      dagbegeleiding            P1/P1  13 started (3 within: 23,1 %), 5 group, 8 waiting
  West      individuele_begeleiding   P2/P1  12 started (8 within: 66,7 %), 2 group, 6 waiting
  Overvecht dagbegeleiding            P1/P1  20 started (15 within), 6 group, 10 waiting
  Overvecht arbeidsmatige_activering  P3/P3   6 started, 1 group, 5 waiting
  Zuidwest  dagbegeleiding            P4/P4   2 started, 3 waiting
  Oost      individuele_begeleiding   P2/P1  15 started, 5 group, 12 waiting
  Oost      arbeidsmatige_activering  P3/P3  11 started (9 within), 4 group
"""

import datetime
from decimal import Decimal

from districts.models import Buurtteam, District, DistrictPopulation
from providers.models import Provider
from wmo.catalogue.models import ServiceType
from wmo.finance.models import SpendBooking
from wmo.quality.models import Complaint, SurveyResponse
from wmo.referrals.models import BuurtteamCase, Client, Referral

D = datetime.date
WEST, OVERVECHT, ZUIDWEST, OOST = "WK034401", "WK034403", "WK034408", "WK034405"
SERVICES = ("dagbegeleiding", "individuele_begeleiding", "arbeidsmatige_activering")
WIJKEN = (WEST, OVERVECHT, ZUIDWEST, OOST)
QUARTERS = ("2026Q2", "2026Q3")

# (wijk, service, provider, contractor, started, within norm, group, waiting, in care since Q2)
GROUPS = [
    (WEST, "dagbegeleiding", "P1", "P1", 13, 3, 5, 8, 4),
    (WEST, "individuele_begeleiding", "P2", "P1", 12, 8, 2, 6, 2),
    (OVERVECHT, "dagbegeleiding", "P1", "P1", 20, 15, 6, 10, 7),
    (OVERVECHT, "arbeidsmatige_activering", "P3", "P3", 6, 4, 1, 5, 0),
    (ZUIDWEST, "dagbegeleiding", "P4", "P4", 2, 1, 0, 3, 1),
    (OOST, "individuele_begeleiding", "P2", "P1", 15, 10, 5, 12, 6),
    (OOST, "arbeidsmatige_activering", "P3", "P3", 11, 9, 4, 0, 3),
]
PROVIDERS = {
    "P1": ("20000001", "Groot Zorg", "care_provider", "large"),
    "P2": ("20000002", "Buurtkracht", "resident_org", "large"),
    "P3": ("20000003", "Klein Zorg", "care_provider", "small"),
    "P4": ("20000004", "Wijkhuis Zuidwest", "resident_org", "small"),
}
POPULATION = {WEST: 26_000, OVERVECHT: 35_000, ZUIDWEST: 4_000, OOST: 30_000}


def build():
    districts = {d.code: d for d in District.objects.all()}
    for code, district in districts.items():
        DistrictPopulation.objects.create(district=district, year=2026,
                                          population=POPULATION.get(code, 10_000))  # fmt: skip
    providers = {
        name: Provider.objects.create(agb_code=agb, name=title, kind=kind, size_override=size)
        for name, (agb, title, kind, size) in PROVIDERS.items()
    }
    services = {s.code: s for s in ServiceType.objects.all()}
    numbers = iter(range(1, 10_000))
    clients, referrals = [], []

    def referral(wijk, service, provider, contractor, referred, start=None, group=False):
        number = next(numbers)
        clients.append(Client(key=f"klein-{number}"))
        referrals.append(Referral(
            external_id=f"KV{number}", district=districts[wijk], service_type=services[service],
            provider=providers[provider], contractor=providers[contractor],
            referral_date=referred, start_date=start, group_based=group,
        ))  # fmt: skip

    for wijk, service, provider, contractor, started, within, group, waiting, before in GROUPS:
        for i in range(started):
            start = D(2026, 7, 10) + datetime.timedelta(days=i)
            wait = 7 if i < within else 30  # the norm is 14 days
            referral(wijk, service, provider, contractor, start - datetime.timedelta(days=wait),
                     start, group=i < group)  # fmt: skip
        for i in range(waiting):
            referral(
                wijk, service, provider, contractor, D(2026, 8, 1) + datetime.timedelta(days=i)
            )
        for i in range(before):
            referral(wijk, service, provider, contractor, D(2026, 4, 1), D(2026, 4, 20 + i))
    Client.objects.bulk_create(clients)
    for client, item in zip(Client.objects.order_by("pk"), referrals, strict=True):
        item.client = client
    Referral.objects.bulk_create(referrals)

    teams = {t.district.code: t for t in Buurtteam.objects.select_related("district")}
    cases = []
    # (wijk, cases with first contact in Q, of which within 5 working days, group-based)
    for wijk, contacted, quick, grouped in (
        (WEST, 12, 9, 6),
        (OVERVECHT, 8, 6, 2),
        (ZUIDWEST, 3, 3, 1),
    ):
        for i in range(contacted):
            client = Client.objects.create(key=f"casus-{wijk}-{i}")
            registered = D(2026, 7, 6) + datetime.timedelta(days=i)
            contact = registered + datetime.timedelta(days=2 if i < quick else 14)
            cases.append(BuurtteamCase(
                external_id=f"KC-{wijk}-{i}", client=client, district=districts[wijk],
                buurtteam=teams[wijk], registration_date=registered, first_contact_date=contact,
                closed_date=D(2026, 9, 15) if i % 2 else None,
                support_form="group" if i < grouped else "individual",
            ))  # fmt: skip
    BuurtteamCase.objects.bulk_create(cases)

    # Ervaringwijzer: (wijk, service, provider, answers, positive)
    answers = []
    for wijk, service, provider, total, positive in (
        (WEST, "dagbegeleiding", "P1", 12, 9),
        (OVERVECHT, "dagbegeleiding", "P1", 4, 3),
        (OOST, "individuele_begeleiding", "P2", 11, 10),
    ):
        for i in range(total):
            score = 5 if i < positive else 2
            answers.append(SurveyResponse(
                external_id=f"KS-{wijk}-{provider}-{i}", date=D(2026, 8, 1),
                district=districts[wijk], service_type=services[service],
                provider=providers[provider], q_solution=score, q_self_reliance=score,
            ))  # fmt: skip
    SurveyResponse.objects.bulk_create(answers)
    complaints = []
    for wijk, service, provider, count in (
        (WEST, "dagbegeleiding", "P1", 2),
        (OVERVECHT, "dagbegeleiding", "P1", 6),
        (OOST, "individuele_begeleiding", "P2", 1),
    ):
        for i in range(count):
            complaints.append(Complaint(
                external_id=f"KK-{wijk}-{i}", provider=providers[provider],
                service_type=services[service], district=districts[wijk],
                received_date=D(2026, 8, 3), resolved_date=D(2026, 8, 20) if i % 2 else None,
            ))  # fmt: skip
    Complaint.objects.bulk_create(complaints)

    # Spend (BUDGET.md): per service for the council, per contracting party for staff only;
    # a credit note, and Wijkhuis Zuidwest's few clients.
    SpendBooking.objects.bulk_create([
        SpendBooking(booking_id=booking, quarter=quarter, objective="IV",
                     service_type=services[service], contractor=providers[contractor],
                     amount_eur=Decimal(amount))
        for booking, quarter, service, contractor, amount in (
            ("KB1", "2026Q3", "dagbegeleiding", "P1", "123456.78"),
            ("KB2", "2026Q3", "individuele_begeleiding", "P1", "54321.09"),
            ("KB3", "2026Q3", "arbeidsmatige_activering", "P3", "9876.54"),
            ("KB4", "2026Q3", "dagbegeleiding", "P4", "2500.00"),
            ("KB5", "2026Q3", "dagbegeleiding", "P1", "-1000.00"),
            ("KB6", "2026Q2", "dagbegeleiding", "P1", "100000.00"),
        )
    ])  # fmt: skip

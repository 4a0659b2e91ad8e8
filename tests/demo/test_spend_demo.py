"""The demo's spend bookings (wmo/demo/spend.py): each closed quarter books about a quarter of
the objective's budget line, IV and V spread over contractors by their clients in care, a credit
note a year; BUDGET.md's figures then show realised spend and a forecast."""

import datetime
import random
from decimal import Decimal

import pytest

from districts.models import District
from indicators.budget import budget_figures
from providers.models import Provider, ProviderKind
from wmo.catalogue.models import ServiceType
from wmo.demo.spend import seed_spend
from wmo.finance.models import SpendBooking
from wmo.referrals.models import Client, Referral

pytestmark = pytest.mark.django_db

D = datetime.date
# budget_2024_2027.csv, k€: the `budget` line of 2024
BUDGET_2024 = {"III": 33181, "IV": 85500, "V": 127594}


@pytest.fixture
def in_care(db):
    """Three clients in care with contractor A and one with B for dagbegeleiding (IV) through
    2024; one client with A in beschermd wonen (V)."""
    a = Provider.objects.create(agb_code="11111111", name="A", kind=ProviderKind.CARE_PROVIDER)
    b = Provider.objects.create(agb_code="22222222", name="B", kind=ProviderKind.CARE_PROVIDER)
    day = ServiceType.objects.get(code="dagbegeleiding")
    housing = ServiceType.objects.filter(objective="V").order_by("code").first()
    wijk = District.objects.get(code="WK034403")
    for n, (service, contractor) in enumerate([(day, a), (day, a), (day, a), (day, b),
                                               (housing, a)]):  # fmt: skip
        Referral.objects.create(
            external_id=f"R{n}", client=Client.objects.create(key=f"k{n}"), district=wijk,
            service_type=service,
            provider=contractor, contractor=contractor, referral_date=D(2023, 12, 1),
            start_date=D(2023, 12, 15),
        )  # fmt: skip
    return a, b, day


def test_closed_quarters_book_a_quarter_of_the_budget_spread_by_clients(in_care):
    a, b, day = in_care
    written = seed_spend(random.Random(1), today=D(2024, 8, 15))  # 2024Q1 and Q2 are closed
    bookings = list(SpendBooking.objects.order_by("booking_id"))
    assert written == len(bookings) == 2 * (1 + 2 + 1) + 1  # III, IV × 2 contractors, V; a note
    assert {str(b.quarter) for b in bookings} == {"2024Q1", "2024Q2"}
    for quarter in ("2024Q1", "2024Q2"):
        for objective, budget in BUDGET_2024.items():
            total = sum(b.amount_eur for b in bookings if str(b.quarter) == quarter
                        and b.objective == objective and b.amount_eur > 0)  # fmt: skip
            assert Decimal("0.95") * budget * 250 <= total <= Decimal("1.07") * budget * 250
        iv = {b.contractor_id: b.amount_eur for b in bookings
              if str(b.quarter) == quarter and b.objective == "IV" and b.amount_eur > 0}  # fmt: skip
        # Three clients with A, one with B: three quarters of IV to A, to the cent.
        assert abs(iv[a.pk] - 3 * iv[b.pk]) <= Decimal("0.03")
    note = SpendBooking.objects.get(booking_id="DEMO-2024Q2-creditnota")
    assert note.amount_eur < 0 and note.objective == "IV" and note.service_type == day
    iv_2024 = next(f for f in budget_figures(2024) if f.objective == "IV")
    assert iv_2024.quarters_realised == 2 and iv_2024.forecast_keur is not None


def test_a_reseed_replaces_the_demo_bookings_and_keeps_the_others(in_care):
    SpendBooking.objects.create(booking_id="FA-1", quarter="2024Q1", objective="III",
                                amount_eur=Decimal("10.00"))  # fmt: skip
    first = seed_spend(random.Random(1), today=D(2024, 8, 15))
    again = seed_spend(random.Random(2), today=D(2024, 8, 15))
    assert first == again
    assert SpendBooking.objects.count() == again + 1
    assert SpendBooking.objects.filter(booking_id="FA-1").exists()


def test_before_the_first_quarter_closes_nothing_is_booked(in_care):
    assert seed_spend(random.Random(1), today=D(2024, 3, 31)) == 0
    assert not SpendBooking.objects.exists()

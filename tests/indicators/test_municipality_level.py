"""The `municipality` level (INDICATORS.md, levels): a U16 referral from outside Utrecht counts
at every level but `district` and `district_service`; at the municipality level, for objective
V services only, under its own gemeente code, and a referral with a wijk under GM0344."""

import datetime
from decimal import Decimal

import pytest

from districts.models import Municipality
from indicators.definitions.base import Value
from indicators.services import compute_values
from indicators.suppression import PRIMARY, SECONDARY, marks
from providers.models import Provider
from wmo.catalogue.models import ServiceType
from wmo.periods import Quarter
from wmo.referrals.models import Client, Referral

from .scenario import build

Q3 = Quarter(2026, 3)
P1 = "10000001"
D = datetime.date


def by_cell(values) -> dict:
    return {(v.level, v.level_key, v.indicator): v.value for v in values}


@pytest.fixture
def before_and_after(db):
    """The scenario's Q3 (R4 waits for beschermd verblijf in Overvecht), then the same with R9:
    a De Bilt client (GM0310) in beschermd verblijf, referred 1 Jul, started 15 Jul, at P1."""
    build()
    before = by_cell(compute_values(Q3))
    Referral.objects.create(
        external_id="R9", client=Client.objects.create(key="sleutel-u16"), district=None,
        municipality=Municipality.objects.get(code="GM0310"),
        service_type=ServiceType.objects.get(code="beschermd_verblijf"),
        provider=Provider.objects.get(agb_code=P1), contractor=Provider.objects.get(agb_code=P1),
        referral_date=D(2026, 7, 1), start_date=D(2026, 7, 15),
    )  # fmt: skip
    return before, by_cell(compute_values(Q3))


def test_a_u16_referral_counts_everywhere_but_the_wijk_levels(before_and_after):
    before, after = before_and_after
    for level, key in [("system", "all"), ("service_type", "beschermd_verblijf"),
                       ("provider", P1), ("contractor", P1)]:  # fmt: skip
        assert after[(level, key, "clients_in_care")] == before[(level, key, "clients_in_care")] + 1
        assert after[(level, key, "started")] == before[(level, key, "started")] + 1
    # Not in any wijk: every district and district × service value is exactly as before.
    for level in ("district", "district_service"):
        assert {c: v for c, v in after.items() if c[0] == level} == {
            c: v for c, v in before.items() if c[0] == level
        }


def test_the_municipality_level_holds_objective_v_only(before_and_after):
    before, after = before_and_after
    # Before R9: only R4 (beschermd verblijf, Overvecht) is objective V → GM0344, waiting.
    assert {c[1] for c in before if c[0] == "municipality"} == {"GM0344"}
    assert before[("municipality", "GM0344", "waiting_at_end")] == 1
    assert before[("municipality", "GM0344", "clients_in_care")] == 0
    # R9 counts under De Bilt only; the dagbegeleiding and vervoer referrals nowhere.
    assert {c[1] for c in after if c[0] == "municipality"} == {"GM0344", "GM0310"}
    assert after[("municipality", "GM0310", "clients_in_care")] == 1
    assert after[("municipality", "GM0310", "started")] == 1
    assert after[("municipality", "GM0310", "mean_wait_days")] == Decimal("14.0")
    assert after[("municipality", "GM0310", "pct_within_norm")] == Decimal("100.0")
    assert after[("municipality", "GM0344", "waiting_at_end")] == 1
    assert ("municipality", "GM0310", "clients_per_1000") not in after  # wijken and system only


def test_values_without_municipalities_are_those_of_the_other_levels(before_and_after):
    before, _ = before_and_after
    # The level only adds rows: the scenario's other figures are the ones test_definitions
    # works out by hand (e.g. 3 clients in care, 4 new referrals).
    assert before[("system", "all", "clients_in_care")] == 3
    assert before[("system", "all", "new_referrals")] == 4


def counts(level, keys_and_values, indicator="started"):
    return [Value(level, key, indicator, Decimal(n)) for key, n in keys_and_values]


@pytest.mark.django_db
def test_a_hidden_municipality_cannot_be_worked_out_from_the_objective_v_services():
    # Objective V: 12 started in beschermd verblijf, 20 in beschermd thuis = 32; per municipality
    # Utrecht 29, De Bilt 3 (primary). Without protection De Bilt = 32 - 29.
    rows = [
        *counts("system", [("all", 90)]),
        *counts(
            "service_type",
            [("beschermd_verblijf", 12), ("beschermd_thuis", 20), ("dagbegeleiding", 58)],
        ),  # fmt: skip
        *counts("municipality", [("GM0344", 29), ("GM0310", 3)]),
    ]
    found = marks(rows)
    assert found[("municipality", "GM0310", "started")] == PRIMARY
    assert found[("municipality", "GM0344", "started")] == SECONDARY
    assert not any(cell[0] == "objective" for cell in found)  # the sum is no stored figure


@pytest.mark.django_db
def test_a_hidden_objective_v_service_cannot_be_worked_out_from_the_municipalities():
    # The system breakdown takes dagbegeleiding (the smallest) along, but Utrecht's 30 for
    # objective V would still give living lab as 30 - 28: beschermd verblijf goes too. And
    # the city's 40 less objective V's 30 (its municipalities) is objective IV's 10, here
    # dagbegeleiding alone: the city's figure goes as well.
    rows = [
        *counts("system", [("all", 40)]),
        *counts(
            "service_type", [("beschermd_verblijf", 28), ("living_lab", 2), ("dagbegeleiding", 10)]
        ),  # fmt: skip
        *counts("municipality", [("GM0344", 30)]),
    ]
    assert marks(rows) == {
        ("service_type", "living_lab", "started"): PRIMARY,
        ("service_type", "dagbegeleiding", "started"): SECONDARY,
        ("service_type", "beschermd_verblijf", "started"): SECONDARY,
        ("system", "all", "started"): SECONDARY,
    }


def test_a_year_with_a_u16_referral_over_its_twelve_month_ends(db):
    """A De Bilt client referred 15 Feb 2026, started 20 Mar, ended 30 Apr, and referred again
    1 Oct, still waiting at the end of the year. Over 2026 (one client, counted once), for
    beschermd verblijf at GM0310: in care 1; new referrals 2; started 1 (wait 33 days, within
    the 91-day norm); waiting at the end of the year 1 (91 days: 1 Oct → 31 Dec). Waiting at the
    twelve month-ends: Feb 1 (waiting since 15 Feb), Oct, Nov and Dec 1 each, other months 0 →
    4/12 = 0.3 a month; a quarter's three month-ends give another figure (2026Q4: 3/3 = 1.0)."""
    from wmo.periods import Year

    bilt = Municipality.objects.get(code="GM0310")
    verblijf = ServiceType.objects.get(code="beschermd_verblijf")
    provider = Provider.objects.create(agb_code="10000009", name="Opvang U16")
    client = Client.objects.create(key="sleutel-u16-jaar")
    common = {"client": client, "district": None, "municipality": bilt, "service_type": verblijf,
              "provider": provider, "contractor": provider}  # fmt: skip
    Referral.objects.create(external_id="J1", referral_date=D(2026, 2, 15),
                            start_date=D(2026, 3, 20), end_date=D(2026, 4, 30), **common)  # fmt: skip
    Referral.objects.create(external_id="J2", referral_date=D(2026, 10, 1), **common)
    year = by_cell(compute_values(Year(2026)))
    at = {indicator: year[("municipality", "GM0310", indicator)] for indicator in (
        "clients_in_care", "new_referrals", "started", "mean_wait_days", "pct_within_norm",
        "waiting_at_end", "mean_days_waiting_at_end", "mean_waiting_per_month")}  # fmt: skip
    assert at == {
        "clients_in_care": 1, "new_referrals": 2, "started": 1, "mean_wait_days": Decimal("33.0"),
        "pct_within_norm": Decimal("100.0"), "waiting_at_end": 1,
        "mean_days_waiting_at_end": Decimal("91.0"), "mean_waiting_per_month": Decimal("0.3"),
    }  # fmt: skip
    assert year[("system", "all", "clients_in_care")] == 1
    # Not in any wijk: no wijk has a client or a referral.
    assert {v for (level, _, ind), v in year.items()
            if level in ("district", "district_service") and ind in ("clients_in_care", "new_referrals")
            } <= {0}  # fmt: skip
    quarter = by_cell(compute_values(Quarter(2026, 4)))
    assert quarter[("municipality", "GM0310", "mean_waiting_per_month")] == Decimal("1.0")

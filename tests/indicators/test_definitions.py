"""Every indicator of INDICATORS.md on the hand-made quarter of scenario.py. The expected numbers
are worked out by hand in the comments; the same test runs on SQLite and on PostgreSQL."""

from decimal import Decimal

import pytest

from indicators.models import IndicatorValue
from indicators.quarters import Quarter
from indicators.services import compute_values, replace_quarter

from .scenario import build

Q3 = Quarter(2026, 3)
WEST, OVERVECHT = "WK034401", "WK034403"
P1, P2, P3 = "10000001", "10000002", "10000003"


@pytest.fixture
def values(db):
    build()
    replace_quarter(Q3, compute_values(Q3))
    return {
        (v.level, v.level_key, v.indicator): v
        for v in IndicatorValue.objects.filter(quarter="2026Q3")
    }


def value(values, level, key, indicator):
    row = values[(level, key, indicator)]
    return row.value, row.numerator, row.denominator


def test_bereik_system(values):
    # In care: R1, R2 (c1), R3 (c2), R8 (c3) → 3 clients. New: R2, R3, R5, R6. Started: R1-R3.
    # Ended: R2 (30 Sep, last day) and R8 (1 Jul, first day).
    assert value(values, "system", "all", "clients_in_care")[0] == 3
    assert value(values, "system", "all", "new_referrals")[0] == 4
    assert value(values, "system", "all", "started")[0] == 3
    assert value(values, "system", "all", "ended")[0] == 2
    # 3 clients per 141,000 inhabitants (8 × 10,000 + 26,000 + 35,000) → 0.02 → 0.0
    assert value(values, "system", "all", "clients_per_1000") == (Decimal("0.0"), 3, 141_000)


def test_bereik_per_wijk(values):
    assert value(values, "district", WEST, "clients_in_care")[0] == 2  # c1 (R1, R2), c3 (R8)
    assert value(values, "district", OVERVECHT, "clients_in_care")[0] == 1  # c2 (R3)
    assert value(values, "district", WEST, "clients_per_1000") == (Decimal("0.1"), 2, 26_000)
    assert value(values, "district", OVERVECHT, "new_referrals")[0] == 2  # R3, R6


def test_beschikbaarheid_system(values):
    # Waits of R1, R2, R3: 11, 10, 32 → mean 53/3 = 17.67, median 11.
    assert value(values, "system", "all", "mean_wait_days") == (Decimal("17.7"), 53, 3)
    assert value(values, "system", "all", "median_wait_days")[0] == Decimal("11.0")
    # With a norm: R1 (11 ≤ 14) and R3 (32 > 14); R2's service has no norm and is left out.
    assert value(values, "system", "all", "pct_within_norm") == (Decimal("50.0"), 1, 2)
    # Waiting on 30 Sep: R4 (152 days) and R6 (51 days; starts 1 Oct); R5 was cancelled.
    assert value(values, "system", "all", "waiting_at_end")[0] == 2
    assert value(values, "system", "all", "mean_days_waiting_at_end") == (Decimal("101.5"), 203, 2)
    # Month-ends: 31 Jul R3 + R4; 31 Aug R4 + R6; 30 Sep R4 + R6 → 6 / 3.
    assert value(values, "system", "all", "mean_waiting_per_month") == (Decimal("2.0"), 6, 3)
    assert value(values, "system", "all", "group_share") == (Decimal("33.3"), 1, 3)


def test_beschikbaarheid_per_wijk_and_empty_denominators(values):
    assert value(values, "district", WEST, "mean_wait_days") == (Decimal("10.5"), 21, 2)
    assert value(values, "district", WEST, "median_wait_days")[0] == Decimal("10.5")  # even count
    assert value(values, "district", WEST, "pct_within_norm") == (Decimal("100.0"), 1, 1)
    assert value(values, "district", WEST, "waiting_at_end")[0] == 0
    # Nobody waiting in West at the end: the mean is undefined, stored empty, not 0.
    assert value(values, "district", WEST, "mean_days_waiting_at_end") == (None, 0, 0)
    assert value(values, "district", OVERVECHT, "pct_within_norm") == (Decimal("0.0"), 0, 1)
    assert value(values, "district", OVERVECHT, "mean_waiting_per_month")[0] == Decimal("2.0")


def test_service_level_carries_the_norm_and_leaves_norm_less_services_out(values):
    norm = values[("service_type", "dagbegeleiding", "mean_wait_days")].norm
    assert norm == Decimal("14")
    assert value(values, "service_type", "vervoersvoorziening", "pct_within_norm") == (None, 0, 0)
    assert value(values, "service_type", "vervoersvoorziening", "mean_wait_days")[0] == Decimal(
        "10.0"
    )
    assert (
        value(values, "district_service", f"{OVERVECHT}:beschermd_verblijf", "waiting_at_end")[0]
        == 1
    )


def test_contractor_rolls_up_subcontracted_referrals(values):
    # P1 holds R1, R3 (delivered by P2), R4, R5 (P2), R8: clients in care c1, c2, c3.
    assert value(values, "contractor", P1, "clients_in_care")[0] == 3
    assert value(values, "contractor", P1, "mean_wait_days") == (Decimal("21.5"), 43, 2)
    assert value(values, "provider", P1, "clients_in_care")[0] == 2  # delivers R1 (c1), R8 (c3)
    assert value(values, "provider", P2, "clients_in_care")[0] == 1  # delivers R3 (c2)
    assert ("contractor", P2, "clients_in_care") not in values  # P2 holds no contract


def test_diversiteit(values):
    # In care: R1 (P1), R2 (P3 small), R3 (P2 resident org), R8 (P1) → 2 of 4.
    assert value(values, "system", "all", "referrals_in_care")[0] == 4
    assert value(values, "system", "all", "small_org_share") == (Decimal("50.0"), 2, 4)
    assert value(values, "system", "all", "providers_active")[0] == 3
    assert value(values, "contractor", P1, "small_org_share") == (Decimal("33.3"), 1, 3)


def test_buurtteam(values):
    assert value(values, "system", "all", "bt_clients")[0] == 3  # K1, K2, K3 (K4 closed in Q2)
    assert value(values, "system", "all", "bt_new_cases")[0] == 2  # K2, K3
    assert value(values, "system", "all", "bt_mean_wait_workdays") == (Decimal("6.5"), 13, 2)
    assert value(values, "system", "all", "bt_pct_within_norm") == (Decimal("50.0"), 1, 2)
    assert value(values, "system", "all", "bt_referral_rate") == (Decimal("50.0"), 1, 2)
    assert value(values, "system", "all", "bt_group_share") == (Decimal("100.0"), 2, 2)
    assert value(values, "district", WEST, "bt_mean_wait_workdays")[0] == Decimal("4.0")
    assert value(values, "district", OVERVECHT, "bt_mean_wait_workdays")[0] == Decimal("9.0")
    assert value(values, "district", WEST, "bt_group_share") == (None, 0, 0)
    assert ("provider", P1, "bt_clients") not in values  # buurtteam: system and wijk only


def test_kwaliteit(values):
    # S1 (5, 3), S2 (4, –), S3 (2, 4) in Q; S4 is dated 30 Jun.
    assert value(values, "system", "all", "exp_solution_pct") == (Decimal("66.7"), 2, 3)
    assert value(values, "system", "all", "exp_solution_n")[0] == 3
    assert value(values, "system", "all", "exp_self_reliance_pct") == (Decimal("50.0"), 1, 2)
    assert value(values, "system", "all", "exp_self_reliance_n")[0] == 2
    # Received in Q: C1, C3. Resolved in Q: C1 (10 days), C2 (20 days, received in June).
    assert value(values, "system", "all", "complaints")[0] == 2
    assert value(values, "system", "all", "complaints_per_100_clients") == (Decimal("66.7"), 2, 3)
    assert value(values, "system", "all", "median_complaint_days")[0] == Decimal("15.0")
    assert value(values, "district", WEST, "complaints_per_100_clients") == (Decimal("100.0"), 2, 2)
    assert value(values, "district", OVERVECHT, "median_complaint_days")[0] == Decimal("20.0")
    assert not any(level == "contractor" and ind.startswith("exp_") for level, _, ind in values)


def test_recompute_replaces_and_is_identical(values):
    before = sorted((k, v.value, v.numerator, v.denominator) for k, v in values.items())
    replace_quarter(Q3, compute_values(Q3))
    after = sorted(
        ((v.level, v.level_key, v.indicator), v.value, v.numerator, v.denominator)
        for v in IndicatorValue.objects.filter(quarter="2026Q3")
    )
    assert after == before

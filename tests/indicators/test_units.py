import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from indicators.rounding import median_from_histogram, ratio, round_one_decimal
from wmo.periods import Quarter

TOO_EARLY = (
    "Berekenen kan vanaf 2020Q1: de gepubliceerde nulmeting en de gegevens van Ervaringwijzer "
    "en klachten beginnen in 2020, dus een eerdere periode is niet volledig te berekenen of te "
    "vergelijken."
)
"""Referrals reach back to 2017: the reason is the baseline and the quality data, not missing
records (a tester read 'van eerdere kwartalen zijn geen gegevens' beside referrals of 2017)."""


def test_quarter_bounds_and_month_ends():
    q = Quarter.parse("2026q3")
    assert (q.start, q.end) == (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    assert q.month_ends == [
        datetime.date(2026, 7, 31),
        datetime.date(2026, 8, 31),
        datetime.date(2026, 9, 30),
    ]
    assert str(Quarter.parse("2024Q1").previous()) == "2023Q4"
    assert Quarter.parse("2024Q1").month_ends[1] == datetime.date(2024, 2, 29)
    assert Quarter.last_completed(datetime.date(2026, 11, 23)) == Quarter(2026, 3)
    assert Quarter.last_completed(datetime.date(2027, 1, 1)) == Quarter(2026, 4)


@pytest.mark.parametrize("text", ["2026Q5", "2026-3", "", "Q3 2026"])
def test_quarter_rejects_bad_text_in_dutch(text):
    with pytest.raises(ValueError, match="is geen kwartaal; gebruik de vorm 2026Q3"):
        Quarter.parse(text)


def test_rounding_is_half_away_from_zero_on_exact_values():
    assert round_one_decimal(Fraction(1, 4)) == Decimal("0.3")  # 0.25 → 0.3 (not banker's 0.2)
    assert round_one_decimal(Fraction(-1, 4)) == Decimal("-0.3")
    assert round_one_decimal(Fraction(1, 8)) == Decimal("0.1")
    assert ratio(1, 3, 100) == Decimal("33.3")
    assert ratio(2, 3, 100) == Decimal("66.7")
    assert ratio(5, 0, 100) is None


def test_median_from_histogram():
    assert median_from_histogram({}) is None
    assert median_from_histogram({3: 1, 10: 1, 11: 1}) == 10
    assert median_from_histogram({10: 1, 11: 1}) == Fraction(21, 2)
    assert median_from_histogram({5: 3, 100: 1}) == 5


@pytest.mark.parametrize(
    ("quarter", "error"),
    [
        ("2026Q4", None),  # the running quarter: its figures so far
        ("2020Q1", None),
        ("2027Q1", "2027Q1 ligt in de toekomst en kan nog niet berekend worden."),
        ("2019Q4", TOO_EARLY),
    ],
)
def test_which_quarters_can_be_computed(quarter, error):
    from django.core.exceptions import ValidationError

    from indicators.services import check_quarter_computable

    today = datetime.date(2026, 12, 1)
    if error is None:
        check_quarter_computable(Quarter.parse(quarter), today)
        return
    with pytest.raises(ValidationError) as raised:
        check_quarter_computable(Quarter.parse(quarter), today)
    assert raised.value.messages == [error]


def _work_mem():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_period_referrals_are_the_relevant_ones_and_the_run_settings_end_with_the_run():
    from django.db import connection

    from districts.models import Municipality
    from indicators.definitions.referral_sets import period_referrals, relevant_referrals
    from tests.indicators.scenario import build
    from wmo.catalogue.models import Objective

    build()
    postgres = connection.vendor == "postgresql"
    before = _work_mem() if postgres else None
    quarter = Quarter.parse("2026Q3")
    utrecht = Municipality.objects.get(code="GM0344").pk
    with period_referrals(quarter) as referrals:
        if postgres:
            assert _work_mem() == "64MB"
        rows = {r.external_id: r for r in referrals.select_related("service_type")}
    assert set(rows) == {"R1", "R2", "R3", "R4", "R5", "R6", "R8"}
    assert {r.pk for r in rows.values()} == set(
        relevant_referrals(quarter).values_list("pk", flat=True)
    )
    # The municipality level: Utrecht for an objective V service in a wijk, none otherwise.
    assert {key: r.level_municipality_id for key, r in rows.items()} == {
        key: utrecht if r.service_type.objective == Objective.V else None for key, r in rows.items()
    }
    assert rows["R4"].level_municipality_id == utrecht  # beschermd verblijf: objective V
    if postgres:
        assert _work_mem() == before
    with pytest.raises(RuntimeError), period_referrals(quarter):
        raise RuntimeError("job killed")
    if postgres:
        assert _work_mem() == before

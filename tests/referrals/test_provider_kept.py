"""Why a provider cannot be removed (wmo.versions.why_kept), counted in the database: a busy
provider's 150,000 referrals were loaded one by one by Django's deletion collector (2.9 s and
100 MiB for one confirmation page on the benchmark's million referrals)."""

import datetime
from decimal import Decimal

import pytest

from wmo.finance.models import SpendBooking
from wmo.versions import RemovalRefused, delete_versioned, why_kept


def test_what_keeps_a_provider_is_counted_not_loaded(
    providers, make_referral, django_assert_max_num_queries
):
    provider = providers["13063077"]
    for day in range(1, 6):
        make_referral(referral_date=datetime.date(2026, 3, day))
    # One referral names the provider twice (provider and contractor): one referral.
    make_referral(referral_date=datetime.date(2026, 3, 9), contractor_id=provider.pk)
    for number in range(3):  # a relation without a name back (related_name="+")
        SpendBooking.objects.create(booking_id=f"B-{number}", quarter="2026Q1", objective="IV",
                                    contractor=provider, amount_eur=Decimal("10.00"))  # fmt: skip
    expected = ("Aanbieder Aanbieder 13063077 kan niet worden verwijderd: andere gegevens "
                "verwijzen ernaar (6 verwijzingen, 3 uitgavenboekingen).")  # fmt: skip
    # One count per kind of record that can refer to a provider, however many there are.
    with django_assert_max_num_queries(20) as counted:
        assert why_kept(provider) == expected
    assert not any("SELECT" in q["sql"] and "COUNT(" not in q["sql"].upper()
                   and "referrals_referral" in q["sql"] for q in counted.captured_queries)  # fmt: skip
    with pytest.raises(RemovalRefused, match="6 verwijzingen, 3 uitgavenboekingen"):
        delete_versioned(type(provider), provider.pk, None)

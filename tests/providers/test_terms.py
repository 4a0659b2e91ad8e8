"""When a contract or subcontract is in force (providers/terms.py): the queryset methods on the
edge days, and the SQL form agreeing with the Python form day by day."""

import datetime

import pytest

from providers.models import Contract, Subcontract
from providers.terms import add_months, interval_contains

from .factories import ContractFactory, SubcontractFactory

pytestmark = pytest.mark.django_db
day = datetime.date
ONE = datetime.timedelta(days=1)


def in_force(model, on):
    return set(model.objects.in_force_on(on).values_list("pk", flat=True))


def test_interval_contains_both_ends_and_an_open_end():
    assert interval_contains(day(2025, 1, 1), day(2025, 12, 31), day(2025, 1, 1))
    assert interval_contains(day(2025, 1, 1), day(2025, 12, 31), day(2025, 12, 31))
    assert not interval_contains(day(2025, 1, 1), day(2025, 12, 31), day(2024, 12, 31))
    assert not interval_contains(day(2025, 1, 1), day(2025, 12, 31), day(2026, 1, 1))
    assert interval_contains(day(2031, 1, 1), None, day(2099, 1, 1))
    assert not interval_contains(day(2031, 1, 1), None, day(2030, 12, 31))
    assert interval_contains(10, 20, 20) and not interval_contains(10, 20, 21)  # ordinals


def test_contract_in_force_from_its_start_day_through_its_end_day():
    contract = ContractFactory(start_date=day(2025, 1, 1), end_date=day(2026, 12, 31))
    assert in_force(Contract, day(2024, 12, 31)) == set()
    assert in_force(Contract, day(2025, 1, 1)) == {contract.pk}
    assert in_force(Contract, day(2026, 12, 31)) == {contract.pk}
    assert in_force(Contract, day(2027, 1, 1)) == set()


def test_exercised_extensions_count_and_open_options_do_not():
    contract = ContractFactory(start_date=day(2027, 1, 1), end_date=day(2030, 12, 31),
                               extension_count=2, extension_months=24, extensions_exercised=1)  # fmt: skip
    assert contract.effective_end == day(2032, 12, 31)
    assert contract.latest_possible_end == day(2034, 12, 31)
    assert in_force(Contract, day(2032, 12, 31)) == {contract.pk}
    assert in_force(Contract, day(2033, 1, 1)) == set()
    Contract.objects.filter(pk=contract.pk).update(extensions_exercised=2)
    assert in_force(Contract, day(2034, 12, 31)) == {contract.pk}
    assert in_force(Contract, day(2035, 1, 1)) == set()


def test_an_extension_from_a_month_end_ends_on_the_last_day_of_a_shorter_month():
    # 31 August + 6 months: no 31 February, so the last day of February (2028 is a leap year).
    contract = ContractFactory(start_date=day(2026, 1, 1), end_date=day(2027, 8, 31),
                               extension_count=1, extension_months=6, extensions_exercised=1)  # fmt: skip
    assert contract.effective_end == day(2028, 2, 29)
    assert in_force(Contract, day(2028, 2, 29)) == {contract.pk}
    assert in_force(Contract, day(2028, 3, 1)) == set()


def test_subcontract_in_force_from_its_start_day_through_its_end_day():
    contract = ContractFactory(start_date=day(2025, 1, 1), end_date=day(2026, 12, 31))
    sub = SubcontractFactory(contract=contract, start_date=day(2025, 7, 1),
                             end_date=day(2025, 12, 31))  # fmt: skip
    assert in_force(Subcontract, day(2025, 6, 30)) == set()
    assert in_force(Subcontract, day(2025, 7, 1)) == {sub.pk}
    assert in_force(Subcontract, day(2025, 12, 31)) == {sub.pk}
    assert in_force(Subcontract, day(2026, 1, 1)) == set()


def test_in_force_during_a_year_means_on_at_least_one_day_of_it():
    contract = ContractFactory(start_date=day(2025, 12, 31), end_date=day(2026, 1, 1))
    sub = SubcontractFactory(contract=contract)
    for model, pk in ((Contract, contract.pk), (Subcontract, sub.pk)):
        for year, expected in ((2024, set()), (2025, {pk}), (2026, {pk}), (2027, set())):
            found = model.objects.in_force_during(day(year, 1, 1), day(year, 12, 31))
            assert set(found.values_list("pk", flat=True)) == expected, (model, year)


def test_the_queryset_and_the_record_agree_on_every_edge_day():
    """The SQL form (month arithmetic without date functions) against the Python form, on the
    days around every contract's ends, month-end clamping and a leap day included."""
    contracts = [
        ContractFactory(start_date=day(2025, 1, 31), end_date=day(2025, 1, 31)),
        ContractFactory(start_date=day(2025, 3, 15), end_date=day(2025, 11, 30),
                        extension_count=3, extension_months=3, extensions_exercised=1),
        ContractFactory(start_date=day(2024, 1, 1), end_date=day(2025, 5, 31),
                        extension_count=2, extension_months=9, extensions_exercised=2),
        ContractFactory(start_date=day(2024, 1, 1), end_date=day(2026, 1, 29),
                        extension_count=1, extension_months=1, extensions_exercised=1),
        ContractFactory(start_date=day(2024, 1, 1), end_date=day(2025, 12, 31),
                        extension_count=2, extension_months=None, extensions_exercised=0),
    ]  # fmt: skip
    days = set()
    for contract in contracts:
        for edge in (contract.start_date, contract.end_date, contract.effective_end,
                     add_months(contract.end_date, 1)):  # fmt: skip
            days.update((edge - ONE, edge, edge + ONE))
    days.add(day(2028, 2, 29))
    for on in sorted(days):
        expected = {c.pk for c in contracts if c.is_in_force_on(on)}
        assert in_force(Contract, on) == expected, on

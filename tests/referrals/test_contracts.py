"""The contract rule (wmo/referrals/contracts.py): who may deliver a referral and who holds its
contract, as the form's lists show it and as register_referral enforces it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from districts.models import Buurtteam, District
from providers.models import Contract, Subcontract
from wmo.catalogue.models import ServiceType
from wmo.referrals import contracts as rule
from wmo.referrals.models import Referral
from wmo.referrals.selectors import contracted_providers
from wmo.referrals.services import register_referral

from .conftest import VALID_BSN

D = datetime.date
DAY = D(2026, 3, 2)


def agbs(queryset):
    return [p.agb_code for p in queryset]


def service(code="dagbegeleiding"):
    return ServiceType.objects.get(code=code)


def wijk(code="WK034403"):
    return District.objects.get(code=code)


def register(providers, provider, contractor=None, district="WK034403", day=DAY):
    return register_referral(
        user=None, bsn=VALID_BSN, district=wijk(district), service_type=service(),
        provider=providers[provider], contractor=providers[contractor] if contractor else None,
        referral_date=day, team=Buurtteam.objects.get(code="BT05"),
    )  # fmt: skip


def test_without_any_contract_for_the_service_every_active_provider(providers):
    providers["98094829"].active = False
    providers["98094829"].save()
    delivering, contracting = contracted_providers(service(), wijk(), DAY)
    assert len(agbs(delivering)) == 8 and "98094829" not in agbs(delivering)
    assert agbs(contracting) == agbs(delivering)
    referral = register(providers, "75039087", contractor="63003158")
    assert (referral.provider.agb_code, referral.contractor.agb_code) == ("75039087", "63003158")
    with pytest.raises(ValidationError) as refused:
        register(providers, "98094829")
    assert refused.value.message_dict == {"provider": [rule.PROVIDER_INACTIVE]}


def test_contract_data_but_none_in_force_offers_nobody(contracts, providers):
    # Before the contract starts, and in a wijk it does not cover: no fallback to everyone.
    for district, day in [("WK034403", D(2024, 12, 31)), ("WK034405", DAY)]:
        delivering, contracting = contracted_providers(service(), wijk(district), day)
        assert agbs(delivering) == [] and agbs(contracting) == []


def test_subcontract_wijken_and_voorzieningen_are_honoured(contracts, providers):
    delivering, contracting = contracted_providers(service(), wijk("WK034403"), DAY)
    assert agbs(delivering) == ["13063077", "83058805"]
    assert agbs(contracting) == ["13063077"]
    delivering, _ = contracted_providers(service(), wijk("WK034401"), DAY)
    assert agbs(delivering) == ["13063077", "28073946", "83058805"]
    # A subcontract that has ended no longer counts, the main contract still does.
    Subcontract.objects.filter(subcontractor=providers["83058805"]).update(end_date=D(2026, 3, 1))
    delivering, _ = contracted_providers(service(), wijk("WK034403"), DAY)
    assert agbs(delivering) == ["13063077"]


def test_extension_exercised_keeps_the_contract_in_force(contracts, providers):
    Contract.objects.filter(pk=contracts.pk).update(end_date=D(2025, 12, 31), extension_count=2,
                                                    extension_months=12, extensions_exercised=0)  # fmt: skip
    assert agbs(contracted_providers(service(), wijk(), DAY)[0]) == []
    Contract.objects.filter(pk=contracts.pk).update(extensions_exercised=1)
    assert agbs(contracted_providers(service(), wijk(), DAY)[0]) == ["13063077", "83058805"]


def test_contractor_list_follows_the_chosen_provider(contracts, providers):
    other = Contract.objects.create(
        reference="DB-2026", name="Dagbegeleiding-2", contractor=providers["98094829"],
        instrument="public_contract", financing="lump_sum", city_wide=True,
        start_date=D(2026, 1, 1), end_date=D(2027, 12, 31),
    )  # fmt: skip
    other.service_types.add(service())
    _, contracting = contracted_providers(service(), wijk(), DAY)
    assert agbs(contracting) == ["13063077", "98094829"]
    _, contracting = contracted_providers(service(), wijk(), DAY, providers["83058805"])
    assert agbs(contracting) == ["13063077"]
    _, contracting = contracted_providers(service(), wijk(), DAY, providers["98094829"])
    assert agbs(contracting) == ["98094829"]


def test_empty_contractor_becomes_the_main_contractor_of_a_subcontractor(contracts, providers):
    sub = register(providers, "83058805")
    assert (sub.provider.agb_code, sub.contractor.agb_code) == ("83058805", "13063077")
    own = register(providers, "13063077")
    assert own.contractor.agb_code == "13063077"
    explicit = register(providers, "83058805", contractor="13063077")
    assert explicit.contractor.agb_code == "13063077"


@pytest.mark.parametrize(
    "provider, contractor, district, field, message",
    [
        ("98094829", None, "WK034403", "provider", rule.PROVIDER_NOT_CONTRACTED),
        ("28073946", None, "WK034403", "provider", rule.PROVIDER_NOT_CONTRACTED),
        ("87137463", None, "WK034403", "provider", rule.PROVIDER_NOT_CONTRACTED),
        ("13063077", None, "WK034405", "provider", rule.NO_CONTRACT_IN_WIJK),
        # the subcontractor is no contract holder itself, and an outsider is none at all
        ("13063077", "83058805", "WK034403", "contractor", rule.CONTRACTOR_NOT_HOLDER),
        ("83058805", "83058805", "WK034403", "contractor", rule.CONTRACTOR_NOT_HOLDER),
        ("83058805", "98094829", "WK034403", "contractor", rule.CONTRACTOR_NOT_HOLDER),
    ],
)  # fmt: skip
def test_register_refuses_parties_without_a_contract(contracts, providers, provider, contractor,
                                                     district, field, message):  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        register(providers, provider, contractor=contractor, district=district)
    # The refusal names the contractor (the one chosen, else the provider) and the date.
    party = providers[contractor if field == "contractor" else provider]
    assert refused.value.message_dict == {field: [rule.named(message, party, DAY)]}
    assert party.name in refused.value.message_dict[field][0] and "02-03-2026" in str(refused.value)
    assert Referral.objects.count() == 0


def test_subcontractor_of_two_contract_holders_must_name_one(contracts, providers):
    other = Contract.objects.create(
        reference="DB-2026", name="Dagbegeleiding-2", contractor=providers["98094829"],
        instrument="public_contract", financing="lump_sum", city_wide=True,
        start_date=D(2026, 1, 1), end_date=D(2027, 12, 31),
    )  # fmt: skip
    other.service_types.add(service())
    Subcontract.objects.create(contract=other, subcontractor=providers["83058805"],
                               annual_value=1, start_date=D(2026, 1, 1), end_date=D(2027, 12, 31))  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        register(providers, "83058805")
    assert refused.value.message_dict == {"contractor": [rule.CONTRACTOR_AMBIGUOUS]}
    assert register(providers, "83058805", contractor="98094829").contractor.agb_code == "98094829"

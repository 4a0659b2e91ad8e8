"""Factories for providers/: small, valid records; tests override what they check."""

import datetime
from decimal import Decimal

import factory

from districts.models import District
from providers.models import (
    Consortium,
    ConsortiumForm,
    Contract,
    ContractValue,
    DistrictTeam,
    Financing,
    Instrument,
    Provider,
    ProviderKind,
    Subcontract,
)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("agb_code",)

    agb_code = factory.Sequence(lambda n: f"{11000000 + n:08d}")
    kvk_number = factory.Sequence(lambda n: f"{50000000 + n:08d}")
    name = factory.Sequence(lambda n: f"Testaanbieder {n}")
    kind = ProviderKind.CARE_PROVIDER


class ConsortiumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consortium

    name = factory.Sequence(lambda n: f"Samenwerkingsverband {n}")
    form = ConsortiumForm.MAIN_CONTRACTOR
    main_contractor = factory.SubFactory(ProviderFactory)


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"TEST-{n:04d}")
    name = "Testcontract"
    contractor = factory.SubFactory(ProviderFactory)
    instrument = Instrument.PUBLIC_CONTRACT
    financing = Financing.LUMP_SUM
    start_date = datetime.date(2025, 1, 1)
    end_date = datetime.date(2026, 12, 31)

    @factory.post_generation
    def wijken(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(District.objects.filter(code__in=extracted))

    @factory.post_generation
    def jaarwaarden(self, create, extracted, **kwargs):
        if create and extracted:
            for year, amount in extracted.items():
                ContractValue.objects.create(contract=self, year=year, amount=Decimal(amount))


class SubcontractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subcontract
        skip_postgeneration_save = True

    contract = factory.SubFactory(ContractFactory)
    subcontractor = factory.SubFactory(ProviderFactory)
    annual_value = Decimal("50000")
    start_date = factory.LazyAttribute(lambda o: o.contract.start_date)
    end_date = factory.LazyAttribute(lambda o: o.contract.end_date)

    @factory.post_generation
    def wijken(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(District.objects.filter(code__in=extracted))


class DistrictTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistrictTeam

    contract = factory.SubFactory(ContractFactory)
    district = factory.LazyFunction(lambda: District.objects.get(code="WK034401"))
    name = factory.Sequence(lambda n: f"Wijkteam {n}")
    provider = factory.LazyAttribute(lambda o: o.contract.contractor)

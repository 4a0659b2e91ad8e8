"""Demo landscape: ~50 providers on 2025–2026 contracts (and on the 2017–2024 contracts before,
so the demo referrals since 2020 fall under one), and a fictitious 2027 consortium with a main
contractor, district teams in all ten wijken and subcontractors. All names are invented.

Deterministic for a given random.Random and idempotent: keys (AGB codes, contract references)
do not depend on the seed, so a second run updates rather than duplicates."""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from districts.models import District
from wmo.catalogue.models import ServiceType

from .models import (
    Consortium,
    ConsortiumForm,
    Contract,
    ContractOption,
    ContractValue,
    DistrictTeam,
    Financing,
    Instrument,
    OptionStatus,
    Provider,
    ProviderKind,
    Subcontract,
    TargetGroup,
)

CP, RO, WF = ProviderKind.CARE_PROVIDER, ProviderKind.RESIDENT_ORG, ProviderKind.WELFARE

# (name, kind, large?, target groups)
PROVIDERS = [
    ("Zorggroep Domstad", CP, True, ["ggz", "lvb"]),
    ("Stichting Vechtoever Begeleiding", CP, True, ["ggz", "verslaving"]),
    ("Kromme Rijn Zorg", CP, True, ["ouderen", "nah"]),
    ("Stichting De Singel", CP, True, ["lvb"]),
    ("Amaliazorg Utrecht", CP, True, ["ggz", "jongvolwassenen"]),
    ("Stichting Wijkkracht Begeleiding", CP, True, ["ggz", "lvb"]),
    ("Catharijne Zorgcollectief", CP, True, ["ouderen"]),
    ("Stichting Lombok Werkt", CP, True, ["ggz"]),
    ("Dagbesteding De Werkplaats", CP, True, ["lvb", "nah"]),
    ("Stichting Onderdak Utrecht", CP, True, ["dak_en_thuislozen", "verslaving"]),
    ("Huishoudhulp Domstreek", CP, True, ["ouderen"]),
    ("Thuishulp Centraal", CP, True, ["ouderen"]),
    ("Welzijn Stad Utrecht", WF, True, ["ouderen", "mantelzorgers"]),
    ("Stichting Buurtwerk Oost", WF, True, ["jongvolwassenen"]),
    ("Welzijnshuis Leidsche Rijn", WF, False, ["ouderen"]),
    ("Stichting Ontmoeting Zuidwest", WF, False, ["migranten"]),
    ("Vrijwilligerscentrale Vleuten", WF, False, ["mantelzorgers"]),
    ("Zorgpraktijk Tuindorp", CP, False, ["ggz"]),
    ("Begeleiding Op Maat Utrecht", CP, False, ["lvb"]),
    ("Stichting Kleinzorg", CP, False, ["ouderen"]),
    ("Jongerenbegeleiding Het Anker", CP, False, ["jongvolwassenen"]),
    ("Stichting Hersenwerk", CP, False, ["nah"]),
    ("Zorgboerderij De Meern", CP, False, ["lvb"]),
    ("Praktijk Nieuwe Start", CP, False, ["verslaving"]),
    ("Stichting Balans in Huis", CP, False, ["ggz"]),
    ("Kookatelier Zuilen", CP, False, ["lvb"]),
    ("Atelier Kanaleneiland", CP, False, ["ggz", "migranten"]),
    ("Fietsenwerkplaats Overvecht", CP, False, ["jongvolwassenen"]),
    ("Stichting Regenboogzorg", CP, False, ["lhbtiq"]),
    ("Thuiszorg Aan Huis", CP, False, ["ouderen"]),
    ("Stichting Al-Noor Ouderenzorg", RO, False, ["ouderen", "turks_marokkaans"]),
    ("Vrouwencentrum Zuilen", RO, False, ["migranten"]),
    ("Stichting Saamhorig Overvecht", RO, False, ["turks_marokkaans"]),
    ("Bewonersinitiatief Hoograven", RO, False, ["ouderen"]),
    ("Surinaamse Zorgkring Utrecht", RO, False, ["ouderen", "migranten"]),
    ("Stichting Yarin Jongeren", RO, False, ["jongvolwassenen", "turks_marokkaans"]),
    ("Eritrese Gemeenschap Utrecht", RO, False, ["migranten"]),
    ("Buurtkracht Kanaleneiland", RO, False, ["migranten", "jongvolwassenen"]),
    ("Stichting Moluks Ouderenhuis", RO, False, ["ouderen", "migranten"]),
    ("Ouderenvereniging De Bilt-Zuid", RO, False, ["ouderen"]),
    ("Stichting Zorg van Dichtbij", RO, False, ["ouderen"]),
    ("Herstelgroep Ervaringskracht", RO, False, ["ggz"]),
    ("Mantelzorgcafé Lunetten", RO, False, ["mantelzorgers"]),
    ("Stichting Dar es Salaam Begeleiding", RO, False, ["turks_marokkaans", "ggz"]),
    ("Poolse Steunpunt Utrecht", RO, False, ["migranten"]),
    ("Stichting Wijkvrouwen Ondiep", RO, False, ["migranten"]),
    ("Lotgenotenhuis Hersenletsel", RO, False, ["nah"]),
    ("Stichting Jong en Wijs", RO, False, ["jongvolwassenen"]),
    ("Antilliaanse Zorgcirkel", RO, False, ["migranten", "ouderen"]),
    ("Stichting Thuis in de Wijk", RO, False, ["ouderen"]),
]
HBH_PROVIDERS = ("Huishoudhulp", "Thuishulp")
HBH_LAST = [name for name, *_ in PROVIDERS if name.startswith(HBH_PROVIDERS)][-1]
MAIN_CONTRACTOR = ("Wijkzorgalliantie Utrecht", CP, True, ["ggz", "lvb", "ouderen"])
# 2027 subcontractors: indices into PROVIDERS (large care providers, welfare, resident orgs).
SUBCONTRACTORS_2027 = [0, 1, 2, 3, 5, 8, 12, 30, 32, 34, 37, 41]
# 2027 district teams: wijk index → provider index (None = the main contractor).
TEAM_RUNNERS = [0, None, 1, 2, None, 3, 5, None, 0, 2]

AB_2025 = ["individuele_begeleiding", "thuisbegeleiding"]
# Not hulp bij het huishouden: its own contracts (HBH-2021-*) run on to 2031, and it may join the
# city contract only then, through the heroverwegingsclausule (the contract option below).
CONTRACT_SERVICES_2027 = ["ambulante_begeleiding", "arbeidsmatige_activering", "dagbegeleiding",
                          "beschermd_thuis"]  # fmt: skip


def agb_for(index: int) -> str:
    """Fictitious but well-formed AGB codes, stable across seeds."""
    return f"98{index + 1:06d}"


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low // 1000, high // 1000) * 1000)


def _earlier_values(yearly: Decimal, years, base_year: int) -> dict[int, Decimal]:
    """A contract's yearly values before `base_year`: 2 % less for each year back."""
    return {year: (yearly * Decimal("0.98") ** (base_year - year)).quantize(Decimal(1))
            for year in years}  # fmt: skip


def _validated(obj):
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()
    return obj


class _ContractBook:
    """Writes the demo's contracts as update_or_create would, but reads what exists once and
    writes the yearly values in bulk (flush): some 600 values each took a savepoint, a locking
    read and a write, most of a seed's 5,700 queries."""

    def __init__(self):
        self.contracts = {contract.reference: contract for contract in Contract.objects.all()}
        self.values = {(value.contract_id, value.year): value
                       for value in ContractValue.objects.all()}  # fmt: skip
        self.new_values: list[ContractValue] = []
        self.changed_values: list[ContractValue] = []

    def write(self, reference, defaults, districts=(), services=(), values=None) -> Contract:
        contract = self.contracts.get(reference) or Contract(reference=reference)
        for name, value in defaults.items():
            setattr(contract, name, value)
        # The contractor and consortium were written just before: no query to see they exist.
        contract.full_clean(exclude=["contractor", "consortium"], validate_unique=False)
        contract.save()
        self.contracts[reference] = contract
        contract.districts.set(districts)
        contract.service_types.set(services)
        for year, amount in (values or {}).items():
            value = self.values.get((contract.pk, year))
            if value is None:
                value = ContractValue(contract=contract, year=year, amount=amount)
                self.new_values.append(value)
            elif value.amount != amount:
                value.amount = amount
                self.changed_values.append(value)
            else:
                continue
            value.full_clean(exclude=["contract"], validate_unique=False,
                             validate_constraints=False)  # fmt: skip
            self.values[contract.pk, year] = value
        return contract

    def flush(self) -> None:
        ContractValue.objects.bulk_create(self.new_values)
        ContractValue.objects.bulk_update(self.changed_values, ["amount"])
        self.new_values, self.changed_values = [], []


@transaction.atomic
def seed_providers(rng: random.Random) -> dict[str, int]:
    districts = list(District.objects.order_by("code"))
    services = {s.code: s for s in ServiceType.objects.all()}
    groups = {g.code: g for g in TargetGroup.objects.all()}
    providers = []
    book = _ContractBook()
    for index, (name, kind, _large, target_groups) in enumerate(PROVIDERS):
        provider, _ = Provider.objects.update_or_create(
            agb_code=agb_for(index),
            defaults={"name": name, "kind": kind, "kvk_number": f"{70_000_000 + index * 7919:08d}",
                      "active": True},
        )  # fmt: skip
        provider.target_groups.set([groups[g] for g in target_groups if g in groups])
        providers.append(provider)

    # --- 2025–2026: many providers, each on its own contract ---------------------------------
    hbh_wijken: set = set()
    period = {"start_date": datetime.date(2025, 1, 1), "end_date": datetime.date(2026, 12, 31)}
    contract_count = 0
    for index, (provider, (_, kind, large, _groups)) in enumerate(zip(providers, PROVIDERS,
                                                                      strict=True)):  # fmt: skip
        if large:
            wijken = rng.sample(districts, rng.randint(4, 10))
            yearly = _money(rng, 150_000, 3_000_000)
        else:
            wijken = rng.sample(districts, rng.randint(1, 3))
            yearly = _money(rng, 15_000, 95_000)
        if provider.name.startswith(HBH_PROVIDERS):
            # Hulp bij het huishouden is there for every resident: the last of its providers
            # also takes the wijken the others leave open.
            hbh_wijken.update(wijken)
            if provider.name == HBH_LAST:
                wijken = wijken + [d for d in districts if d not in hbh_wijken]
        provider.districts.set(wijken)
        if provider.name.startswith(HBH_PROVIDERS):
            hbh = [services["hulp_bij_huishouden"]] if "hulp_bij_huishouden" in services else []
            book.write(
                f"HBH-2016-{index + 1:03d}",
                {"name": f"Hulp bij het huishouden 2016–2020 — {provider.name}",
                 "contractor": provider, "instrument": Instrument.PUBLIC_CONTRACT,
                 "financing": Financing.PER_UNIT, "start_date": datetime.date(2016, 1, 1),
                 "end_date": datetime.date(2020, 12, 31), "extension_count": 0,
                 "extension_months": None, "city_wide": False},
                wijken, hbh, _earlier_values(yearly, range(2016, 2021), 2021),
            )  # fmt: skip
            contract_count += 1
            book.write(
                f"HBH-2021-{index + 1:03d}",
                {"name": f"Hulp bij het huishouden — {provider.name}", "contractor": provider,
                 "instrument": Instrument.PUBLIC_CONTRACT, "financing": Financing.PER_UNIT,
                 "start_date": datetime.date(2021, 1, 1), "end_date": datetime.date(2030, 12, 31),
                 "extension_count": 1, "extension_months": 12, "city_wide": False},
                wijken, [services["hulp_bij_huishouden"]] if "hulp_bij_huishouden" in services else [],
                dict.fromkeys(range(2021, 2031), yearly),
            )  # fmt: skip
            contract_count += 1
            continue
        if kind == ProviderKind.RESIDENT_ORG and index % 3 == 0:
            instrument, financing = Instrument.SUBSIDY, Financing.LUMP_SUM
        elif large:
            instrument, financing = Instrument.PUBLIC_CONTRACT, Financing.LUMP_SUM
        else:
            instrument, financing = Instrument.FRAMEWORK_AGREEMENT, Financing.PER_UNIT
        service_codes = list(AB_2025)
        if provider.name.startswith(("Dagbesteding", "Kookatelier", "Atelier", "Fietsen",
                                     "Zorgboerderij", "Stichting Lombok")):  # fmt: skip
            service_codes = ["arbeidsmatige_activering", "dagbegeleiding"]
            if not large:
                financing = Financing.PERSON_FOLLOWING
        if provider.name.startswith("Stichting Onderdak"):
            service_codes = ["beschermd_thuis", "maatschappelijke_opvang"]
            # The opvang of the U16 region: city-wide, and after 2026 outside the city contract.
            wijken = districts
            provider.districts.set(wijken)
            book.write(
                f"OPV-2027-{index + 1:03d}",
                {"name": f"Maatschappelijke opvang 2027–2030 — {provider.name}",
                 "contractor": provider, "instrument": instrument, "financing": financing,
                 "start_date": datetime.date(2027, 1, 1), "end_date": datetime.date(2030, 12, 31),
                 "extension_count": 0, "extension_months": None, "city_wide": False},
                wijken, [services["maatschappelijke_opvang"]]
                if "maatschappelijke_opvang" in services else [],
                {year: (yearly * Decimal("0.4")).quantize(Decimal(1)) for year in range(2027, 2031)},
            )  # fmt: skip
            contract_count += 1
        # The contract period before (after the 2016 procurement strategy, both extensions
        # used): the same organisation, wijken and voorzieningen, so the demo referrals since
        # 2020, and those of the people already in care then, fall under a contract.
        book.write(
            f"AZ-2017-{index + 1:03d}",
            {"name": f"Aanvullende zorg 2017–2024 — {provider.name}", "contractor": provider,
             "instrument": instrument, "financing": financing,
             "start_date": datetime.date(2017, 1, 1), "end_date": datetime.date(2022, 12, 31),
             "extension_count": 2, "extension_months": 12, "extensions_exercised": 2,
             "city_wide": False},
            wijken, [services[c] for c in service_codes if c in services],
            _earlier_values(yearly, range(2017, 2025), 2025),
        )  # fmt: skip
        contract_count += 1
        book.write(
            f"AZ-2025-{index + 1:03d}",
            {"name": f"Aanvullende zorg 2025–2026 — {provider.name}", "contractor": provider,
             "instrument": instrument, "financing": financing, **period,
             "extension_count": 0, "extension_months": None, "city_wide": False},
            wijken, [services[c] for c in service_codes if c in services],
            {2025: yearly, 2026: (yearly * Decimal("1.03")).quantize(Decimal(1))},
        )  # fmt: skip
        contract_count += 1

    # --- 2027: one city-wide contractor with district teams and subcontractors --------------------
    main_name, main_kind, _, main_groups = MAIN_CONTRACTOR
    main, _ = Provider.objects.update_or_create(
        agb_code=agb_for(len(PROVIDERS)),
        defaults={"name": main_name, "kind": main_kind, "kvk_number": "79990001", "active": True},
    )
    main.target_groups.set([groups[g] for g in main_groups if g in groups])
    main.districts.set(districts)
    subcontractors = [providers[i] for i in SUBCONTRACTORS_2027]
    consortium, _ = Consortium.objects.update_or_create(
        name="Samenwerkingsverband Wijkzorg Utrecht",
        defaults={"form": ConsortiumForm.MAIN_CONTRACTOR, "main_contractor": main},
    )
    consortium.members.set([main, *subcontractors])
    contract_2027 = book.write(
        "AZ-2027-STAD",
        {"name": "Stedelijke contractpartij aanvullende zorg 2027–2030", "contractor": main,
         "consortium": consortium, "instrument": Instrument.PUBLIC_CONTRACT,
         "financing": Financing.LUMP_SUM, "start_date": datetime.date(2027, 1, 1),
         "end_date": datetime.date(2030, 12, 31), "extension_count": 2, "extension_months": 24,
         "extensions_exercised": 0, "city_wide": True,
         "notes": "Dialooggerichte aanbesteding (SAS-regime). Eén aanspreekbare organisatie per wijk."},
        districts, [services[c] for c in CONTRACT_SERVICES_2027 if c in services],
        {year: Decimal(61_500_000 + (year - 2027) * 900_000) for year in range(2027, 2031)},
    )  # fmt: skip
    book.flush()
    ContractOption.objects.update_or_create(
        contract=contract_2027, name="Pilots Beschermd Thuis met nieuwe instroom",
        defaults={"service_type": services.get("beschermd_thuis"),
                  "trigger": "24/7 ambulante begeleiding (nu Beschermd Thuis) alleen als pilots met "
                             "nieuwe instroom in 2027–2028; de koers voor 2029 en later wordt met de "
                             "U16 besloten.",
                  "start_date": datetime.date(2027, 1, 1), "end_date": datetime.date(2028, 12, 31),
                  # Decided with the award; the course from 2029 is a timeline step of its own
                  # (procurement: u16_decision_2029). An option is decided before it begins.
                  "decision_date": datetime.date(2026, 4, 1), "status": OptionStatus.OPEN},
    )  # fmt: skip
    ContractOption.objects.update_or_create(
        contract=contract_2027, name="Heroverwegingsclausule hulp bij het huishouden",
        defaults={"service_type": services.get("hulp_bij_huishouden"),
                  "trigger": "Hulp bij het huishouden kan aan het contract worden toegevoegd bij het "
                             "einde van de huidige HbH-contracten (streven 2031), of eerder als "
                             "evaluaties daartoe aanleiding geven.",
                  "start_date": datetime.date(2031, 1, 1), "end_date": None,
                  "decision_date": datetime.date(2030, 4, 1), "status": OptionStatus.OPEN},
    )  # fmt: skip
    risk = ("Hoofdaannemer blijft eindverantwoordelijk; onderaannemer volgt de kwaliteitseisen "
            "van het hoofdcontract; betaling binnen 30 dagen; bij discontinuïteit neemt de "
            "hoofdaannemer de cliënten over.")  # fmt: skip
    shares = [Decimal(s) for s in (9, 8, 8, 7, 6, 5, 4)]
    for position, provider in enumerate(subcontractors):
        large = PROVIDERS[SUBCONTRACTORS_2027[position]][2]
        existing = Subcontract.objects.filter(
            contract=contract_2027, subcontractor=provider
        ).first()
        sub = existing or Subcontract(contract=contract_2027, subcontractor=provider)
        sub.start_date = datetime.date(2027, 1, 1)
        sub.end_date = datetime.date(2030, 12, 31)
        sub.approved_on = datetime.date(2026, 11, 2 + position)
        sub.risk_provisions = risk
        if large and position < len(shares):
            sub.share_percent, sub.annual_value = shares[position], None
            wijken = rng.sample(districts, rng.randint(3, 6))
        else:
            sub.share_percent, sub.annual_value = None, _money(rng, 40_000, 140_000)
            wijken = rng.sample(districts, rng.randint(2, 4))
        _validated(sub)
        sub.districts.set(wijken)
        sub.service_types.set([services[c] for c in CONTRACT_SERVICES_2027[:2] if c in services])
    for district, runner in zip(districts, TEAM_RUNNERS, strict=False):
        provider = main if runner is None else providers[runner]
        team = DistrictTeam.objects.filter(contract=contract_2027, district=district).first()
        team = team or DistrictTeam(contract=contract_2027, district=district)
        team.name = f"Specialistisch wijkteam {district.name}"
        team.provider = provider
        _validated(team)
    return {
        "providers": len(providers) + 1,
        "contracts": contract_count + 1,
        "subcontracts": len(subcontractors),
        "district_teams": len(districts),
    }

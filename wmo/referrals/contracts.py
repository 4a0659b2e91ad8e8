"""Who may deliver a referral and who holds its contract, for one voorziening, wijk and date.

INDICATORS.md: the provider delivers (possibly as subcontractor); the contractor holds the
municipal contract and equals the provider only without subcontracting. One rule for the form's
choice lists (selectors.contracted_providers) and for every registration (services), so the form
and the API refuse the same referrals. Without any contract for the voorziening (the contract
data is not entered yet) every active provider may deliver and holds its own contract."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext, gettext_noop

from providers.models import Contract, Provider, Subcontract
from providers.terms import interval_contains

NO_CONTRACT_IN_WIJK = gettext_noop(
    "Voor deze voorziening is op de verwijsdatum in deze wijk geen aanbieder gecontracteerd."
)
PROVIDER_NOT_CONTRACTED = gettext_noop(
    "Deze aanbieder heeft op de verwijsdatum geen contract voor deze voorziening in deze wijk, "
    "ook niet als onderaannemer."
)
PROVIDER_INACTIVE = gettext_noop("Deze aanbieder is niet actief.")
CONTRACTOR_NOT_HOLDER = gettext_noop(
    "Deze opdrachtnemer heeft op de verwijsdatum geen contract voor deze voorziening in deze "
    "wijk waaronder de aanbieder levert."
)
CONTRACTOR_AMBIGUOUS = gettext_noop(
    "De aanbieder levert hier als onderaannemer van meer dan één contracthouder: kies de "
    "opdrachtnemer."
)


def named(message: str, party, day: datetime.date) -> str:
    """A refusal names who holds (or would hold) the contract and the day (TRANSITION.md), so
    a worker can tell the contract manager exactly what is missing."""
    return gettext("%(message)s (%(name)s, AGB %(agb_code)s; verwijsdatum %(date)s).") % {
        "message": gettext(message), "name": party.name, "agb_code": party.agb_code,
        "date": f"{day:%d-%m-%Y}",
    }  # fmt: skip


def later_contract(start: datetime.date) -> str:
    return gettext(
        "Het contract gaat in op %(date)s: registreer de verwijzing vanaf die dag, of lever een "
        "opvolger eerder aan met de import van verwijzingen (kolom previous_referral_id)."
    ) % {"date": f"{start:%d-%m-%Y}"}


def named_with_later_start(message: str, party, service_type, district, day) -> str:
    """`named`, and when the party's contract for the voorziening in the wijk only starts after
    the referral date (the 2027 contractor during the implementation period), when it does and
    how a handover can be prepared before then (TRANSITION.md: a successor is imported with a
    warning, the form and API refuse it)."""
    later = Contract.objects.filter(service_types=service_type, start_date__gt=day).filter(
        Q(contractor=party) | Q(subcontracts__subcontractor=party)
    )
    if district is not None:
        later = later.filter(Q(city_wide=True) | Q(districts=district))
    start = later.order_by("start_date").values_list("start_date", flat=True).first()
    text = named(message, party, day)
    return f"{text} {later_contract(start)}" if start else text


@dataclass(frozen=True)
class ContractsInForce:
    """The contracts of one voorziening that cover the wijk on the day (contract id → the
    contracting provider's id); `has_data` says whether the voorziening has contracts at all."""

    service_type_id: int
    district_id: int | None
    day: datetime.date
    has_data: bool
    contractor_of: dict[int, int]

    @property
    def contractor_ids(self) -> set[int]:
        return set(self.contractor_of.values())

    def subcontracts(self):
        """Subcontracts in force under these contracts for this voorziening and wijk; an empty
        wijk or voorziening list on a subcontract means all of the contract's."""
        districts = Subcontract.districts.through.objects.filter(subcontract_id=OuterRef("pk"))
        services = Subcontract.service_types.through.objects.filter(subcontract_id=OuterRef("pk"))
        subcontracts = Subcontract.objects.in_force_on(self.day).filter(
            contract_id__in=list(self.contractor_of)
        ).filter(
            ~Exists(services) | Exists(services.filter(servicetype_id=self.service_type_id))
        )  # fmt: skip
        if self.district_id is not None:
            subcontracts = subcontracts.filter(
                ~Exists(districts) | Exists(districts.filter(district_id=self.district_id))
            )
        return subcontracts.order_by()

    def holders_for(self, provider) -> dict[int, Provider]:
        """The contract holders (id → provider) under whose contract `provider` may deliver: the
        provider itself when it holds one, and the main contractors it subcontracts for."""
        holders = {provider.pk: provider} if provider.pk in self.contractor_ids else {}
        if self.contractor_of:
            for sub in (
                self.subcontracts()
                .filter(subcontractor_id=provider.pk)
                .select_related("contract__contractor")
            ):
                holders[sub.contract.contractor_id] = sub.contract.contractor
        return holders


def contracts_in_force(service_type, district, day: datetime.date) -> ContractsInForce:
    """The voorziening's contracts in force on `day` (`Contract.objects.in_force_on`) in the
    wijk; `district` None: in any wijk. One query, two when none is in force there."""
    contracts = Contract.objects.filter(service_types=service_type).order_by()
    in_force = contracts.in_force_on(day)
    if district is not None:
        in_force = in_force.filter(
            Q(city_wide=True)
            | Exists(Contract.districts.through.objects.filter(contract_id=OuterRef("pk"),
                                                               district_id=district.pk))
        )  # fmt: skip
    contractor_of = dict(in_force.values_list("pk", "contractor_id"))
    return ContractsInForce(
        service_type_id=service_type.pk, district_id=getattr(district, "pk", None), day=day,
        has_data=bool(contractor_of) or contracts.exists(), contractor_of=contractor_of,
    )  # fmt: skip


def check_parties(service_type, district, day, provider, contractor=None):
    """(contractor, {field: Dutch message}) for a referral's provider and contractor.

    An empty contractor becomes the provider when it holds a contract itself, else the one main
    contractor it delivers for as subcontractor."""
    in_force = contracts_in_force(service_type, district, day)
    if not in_force.has_data:
        if not provider.active:
            return contractor or provider, {"provider": gettext(PROVIDER_INACTIVE)}
        return contractor or provider, {}
    if not in_force.contractor_of:
        return contractor, {"provider": named(NO_CONTRACT_IN_WIJK, contractor or provider, day)}
    if provider.pk in in_force.contractor_ids and contractor in (None, provider):
        return provider, {}  # the common case needs no look at the subcontracts
    holders = in_force.holders_for(provider)
    if not holders:
        return contractor, {
            "provider": named_with_later_start(
                PROVIDER_NOT_CONTRACTED, provider, service_type, district, day
            )
        }
    if contractor is None:
        if len(holders) > 1:
            return None, {"contractor": gettext(CONTRACTOR_AMBIGUOUS)}
        return next(iter(holders.values())), {}
    if contractor.pk not in holders:
        return contractor, {
            "contractor": named_with_later_start(
                CONTRACTOR_NOT_HOLDER, contractor, service_type, district, day
            )
        }
    return contractor, {}


# --- referrals without a contract in force (TRANSITION.md) -------------------------------------


def without_contract_message(contractor, service_type, day: datetime.date) -> str:
    return (f"Opdrachtnemer {contractor.name} (AGB {contractor.agb_code}) heeft op {day:%d-%m-%Y} "
            f"geen contract voor {service_type.name}.")  # fmt: skip


class ContractTerms:
    """The terms (first day, effective last day: `Contract.effective_end`, the rule of
    providers/terms.py) of every contract per (contractor, voorziening), read in one query, to
    check many referrals without a query each: an import, the "zonder contract" list. As the
    registration rule (`check_parties`), a voorziening without any contract counts as covered:
    its contracts are not entered yet."""

    def __init__(self):
        self.terms: dict[tuple[int, int], list[tuple]] = defaultdict(list)
        self.services: set[int] = set()
        contracts = Contract.objects.prefetch_related("service_types").only(
            "pk", "contractor_id", "start_date", "end_date", "extensions_exercised",
            "extension_months",
        )  # fmt: skip
        for contract in contracts:
            for service in contract.service_types.all():
                self.services.add(service.pk)
                self.terms[contract.contractor_id, service.pk].append(
                    (contract.start_date, contract.effective_end)
                )

    def covers(self, contractor_id: int, service_type_id: int, day: datetime.date) -> bool:
        if service_type_id not in self.services:
            return True
        return any(interval_contains(start, end, day)
                   for start, end in self.terms.get((contractor_id, service_type_id), ()))  # fmt: skip


def referrals_without_contract(referrals=None):
    """The referrals (of `referrals`, default all) whose contractor had no contract in force for
    their voorziening on the referral date, oldest first."""
    from .models import Referral

    terms = ContractTerms()
    referrals = referrals if referrals is not None else Referral.objects.all()
    referrals = referrals.with_details().order_by("referral_date", "external_id")
    return [r for r in referrals.iterator(chunk_size=2000)
            if not terms.covers(r.contractor_id, r.service_type_id, r.referral_date)]  # fmt: skip

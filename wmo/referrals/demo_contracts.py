"""Who may deliver a demo referral: the seeded contracts, read once and held in memory.

The rule is the one of `wmo.referrals.contracts` (INDICATORS.md: the provider delivers, possibly
as subcontractor; the contractor holds the municipal contract): a provider holding a contract in
force for the voorziening in that wijk on that day delivers under its own contract; a
subcontractor of such a contract delivers with the contract's holder as contractor. A voorziening
without any contract lets every active care provider deliver that has begun (its first contract,
if it holds any, has started). Answers are cached per stretch of days between contract
boundaries, so a million referrals cost a few thousand look-ups.
"""

import bisect
from collections import defaultdict

from providers.models import Contract, DistrictTeam, Provider, ProviderKind, Subcontract
from providers.terms import interval_contains

TEAM_WEIGHT = 3  # the wijk's own specialist team takes most of the referrals in its wijk
HOLDER_WEIGHT = 2  # a city-wide contract's holder delivers much itself


class ContractBook:
    def __init__(self, district_ids: list[int]):
        self.district_ids = district_ids
        self.contracts = []  # (id, holder, first ordinal, last ordinal, wijken, services, city-wide)
        for contract in Contract.objects.prefetch_related("districts", "service_types").order_by(
            "pk"
        ):
            self.contracts.append((
                contract.pk, contract.contractor_id, contract.start_date.toordinal(),
                contract.effective_end.toordinal(),
                {d.pk for d in contract.districts.all()}, {s.pk for s in contract.service_types.all()},
                contract.city_wide,
            ))  # fmt: skip
        self.subcontracts = defaultdict(
            list
        )  # contract id → (provider, first, last, wijken, services)
        for sub in Subcontract.objects.prefetch_related("districts", "service_types").order_by(
            "pk"
        ):
            self.subcontracts[sub.contract_id].append((
                sub.subcontractor_id, sub.start_date.toordinal(), sub.end_date.toordinal(),
                {d.pk for d in sub.districts.all()}, {s.pk for s in sub.service_types.all()},
            ))  # fmt: skip
        self.teams = {(t.contract_id, t.district_id): t.provider_id
                      for t in DistrictTeam.objects.all()}  # fmt: skip
        self.with_contracts = {s for *_, services, _ in self.contracts for s in services}
        self.care_providers = list(
            Provider.objects.filter(active=True, kind=ProviderKind.CARE_PROVIDER)
            .order_by("agb_code").values_list("pk", flat=True)
        )  # fmt: skip
        # A provider that holds contracts delivers from the first of them on: the city-wide
        # contractor of 2027 took no referrals in 2017.
        self.first_day: dict[int, int] = {}
        for _, holder, first, *_ in self.contracts:
            self.first_day[holder] = min(first, self.first_day.get(holder, first))
        # The answers change only on a term's first day and on the day after its last
        # (providers.terms: both ends are in the term).
        edges = set()
        for _, _, first, last, *_ in self.contracts:
            edges.update((first, last + 1))
        for subs in self.subcontracts.values():
            for _, first, last, _, _ in subs:
                edges.update((first, last + 1))
        self.edges = sorted(edges)
        self._parties: dict[tuple, list] = {}
        self._open_pools: dict[int, list] = {}
        self._wijken: dict[tuple, list] = {}

    def parties(self, service_id: int, district_id: int, day: int) -> list[tuple[int, int, int]]:
        """[(provider id, contractor id, weight)] allowed on ordinal `day`; empty: nobody is
        contracted for this voorziening in this wijk then."""
        key = (service_id, district_id, bisect.bisect_right(self.edges, day))
        found = self._parties.get(key)
        if found is None:
            found = self._parties[key] = self._find(service_id, district_id, day)
        return found

    def open_pool(self, day: int) -> list[tuple[int, int, int]]:
        """Who delivers a voorziening nobody is contracted for on `day`: every active care
        provider that has begun."""
        key = bisect.bisect_right(self.edges, day)
        found = self._open_pools.get(key)
        if found is None:
            found = self._open_pools[key] = [
                (pk, pk, 1) for pk in self.care_providers if self.first_day.get(pk, day) <= day
            ]
        return found

    def wijken(self, service_id: int, day: int) -> list[int]:
        """The wijken where someone may deliver this voorziening on `day`."""
        key = (service_id, bisect.bisect_right(self.edges, day))
        found = self._wijken.get(key)
        if found is None:
            found = self._wijken[key] = [d for d in self.district_ids
                                         if self.parties(service_id, d, day)]  # fmt: skip
        return found

    def _find(self, service_id, district_id, day):
        if service_id not in self.with_contracts:
            return self.open_pool(day)
        weights: dict[tuple[int, int], int] = {}
        for pk, holder, first, last, wijken, services, city_wide in self.contracts:
            if not (interval_contains(first, last, day) and service_id in services
                    and (city_wide or district_id in wijken)):  # fmt: skip
                continue
            weights[(holder, holder)] = HOLDER_WEIGHT if city_wide else 1
            for provider, sub_first, sub_last, sub_wijken, sub_services in self.subcontracts[pk]:
                if (interval_contains(sub_first, sub_last, day)
                        and (not sub_services or service_id in sub_services)
                        and (not sub_wijken or district_id in sub_wijken)):  # fmt: skip
                    weights.setdefault((provider, holder), 1)
            runner = self.teams.get((pk, district_id))
            if runner is not None and (runner, holder) in weights:
                weights[(runner, holder)] = TEAM_WEIGHT
        # A provider holding its own contract delivers under it, not as someone's subcontractor.
        holders = {holder for (provider, holder) in weights if provider == holder}
        return sorted((provider, holder, weight) for (provider, holder), weight in weights.items()
                      if provider == holder or provider not in holders)  # fmt: skip

"""Reads for the provider pages and the API."""

import datetime

from django.db.models import Count, Prefetch, Q

from wmo.api.prefetched import Prefetched

from .models import (
    Consortium,
    Contract,
    ContractOption,
    ContractValue,
    DistrictTeam,
    Provider,
    Subcontract,
)
from .services import provider_sizes


def providers_filtered(params: dict, year: int | None = None):
    """Providers matching the filter values (q, soort, omvang, wijk, voorziening, doelgroep,
    actief); `omvang` is the derived-or-overridden size in `year`."""
    year = year or datetime.date.today().year
    queryset = Provider.objects.prefetch_related("target_groups", "districts").order_by("name")
    q = (params.get("q") or "").strip()
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q) | Q(agb_code__startswith=q) | Q(kvk_number__startswith=q)
        )
    if params.get("soort"):
        queryset = queryset.filter(kind=params["soort"])
    if params.get("wijk"):
        queryset = queryset.filter(districts=params["wijk"])
    if params.get("doelgroep"):
        queryset = queryset.filter(target_groups=params["doelgroep"])
    if params.get("voorziening"):
        service_type = params["voorziening"]
        queryset = queryset.filter(
            Q(contracts__service_types=service_type) | Q(subcontracts__service_types=service_type)
        )
    actief = params.get("actief")
    if actief in ("ja", "nee", True, False):
        queryset = queryset.filter(active=actief in ("ja", True))
    queryset = queryset.distinct()
    if params.get("omvang"):
        sizes = provider_sizes(year, queryset.only("id", "size_override"))
        queryset = queryset.filter(id__in=[i for i, s in sizes.items() if s == params["omvang"]])
    return queryset


def _contracts_and_parties():
    return Contract.objects.select_related("contractor", "consortium")


def _values_by_year():
    return ContractValue.objects.order_by("year")


def _options_with_services():
    return ContractOption.objects.select_related("service_type")


def contracts_with_parties():
    return _contracts_and_parties().prefetch_related(
        "districts", "service_types", Prefetch("values", queryset=_values_by_year())
    )


def contracts_for_api():
    """What the API's contract answers show, each relation as a plain list (wmo.api.prefetched):
    the options and wijkteams read with what they name, one query per relation."""
    return _contracts_and_parties().prefetch_related(
        Prefetched("districts"),
        Prefetched("service_types"),
        Prefetched("values", _values_by_year()),
        Prefetched("options", _options_with_services()),
        Prefetched("district_teams", DistrictTeam.objects.select_related("district", "provider")),
    )


def contracts_for_table():
    """What the contract tables show (contract list, a provider's page): the parties and the
    number of wijken, counted by the database instead of prefetching every contract's wijken,
    services and yearly values (the list of a hundred contracts took 150 ms, mostly that)."""
    return _contracts_and_parties().annotate(district_count=Count("districts", distinct=True))


def contract_detail(pk):
    return (
        contracts_with_parties()
        .prefetch_related(
            Prefetch("options", queryset=_options_with_services()),
            Prefetch(
                "subcontracts",
                queryset=Subcontract.objects.select_related("subcontractor").prefetch_related(
                    "districts", "service_types"
                ),
            ),
        )
        .get(pk=pk)
    )


def consortia_with_members():
    return Consortium.objects.select_related("main_contractor").prefetch_related(
        "members", "contracts"
    )

"""Providers, consortia, contracts, subcontracts and district teams.

The rules that every entry point must obey (forms, API, importer, demo data) live here, in field
validators and `clean()` methods, with their Dutch messages; `terms.py` says when a contract or
subcontract is in force (`Contract.objects.in_force_on(day)`); `services.py` holds the derived
figures (size, coverage check, landscape). The models, by what they hold: `organisations`
(providers, consortia, the version stamps), `contracts` (contracts, their values and options)
and `subcontracts` (subcontracts and district teams)."""

from .contracts import (
    LAST_CONTRACT_DAY,
    WMO_2015,
    Contract,
    ContractOption,
    ContractValue,
    Financing,
    Instrument,
    OptionStatus,
)
from .organisations import (
    AGB_CODE,
    KVK_NUMBER,
    LARGE_THRESHOLD,
    Consortium,
    ConsortiumForm,
    Provider,
    ProviderKind,
    ProviderSize,
    TargetGroup,
)
from .subcontracts import DistrictTeam, Subcontract

__all__ = [
    "AGB_CODE",
    "KVK_NUMBER",
    "LARGE_THRESHOLD",
    "LAST_CONTRACT_DAY",
    "WMO_2015",
    "Consortium",
    "ConsortiumForm",
    "Contract",
    "ContractOption",
    "ContractValue",
    "DistrictTeam",
    "Financing",
    "Instrument",
    "OptionStatus",
    "Provider",
    "ProviderKind",
    "ProviderSize",
    "Subcontract",
    "TargetGroup",
]

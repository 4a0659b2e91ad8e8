"""Providers, consortia, contracts, subcontracts and district teams.

The rules that every entry point must obey (forms, API, importer, demo data) live here, in field
validators, `clean()` methods and `removal_refusal()` (what may not be deleted), with their Dutch
messages; `terms.py` says when a contract or subcontract is in force
(`Contract.objects.in_force_on(day)`); `services.py` holds the derived figures (size, coverage
check, landscape); the version stamps and the one way to save or delete are wmo.versions. The
models, by what they hold: `organisations` (providers, consortia), `contracts` (contracts,
their values and options) and `subcontracts` (subcontracts and district teams)."""

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

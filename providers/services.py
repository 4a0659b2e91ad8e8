"""The derived figures of providers, consortia, contracts and subcontracts: size, coverage check,
the landscape per wijk (saving them with a version check is wmo.versions).

The figures work set-based (a handful of queries, whatever the number of providers), so pages,
the API and the CSV download can call them per request."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Sum
from django.utils.translation import gettext

from districts.models import District

from .models import (
    LARGE_THRESHOLD,
    LAST_CONTRACT_DAY,
    Contract,
    ContractValue,
    DistrictTeam,
    Provider,
    ProviderKind,
    ProviderSize,
    Subcontract,
)
from .terms import add_months

# --- size -------------------------------------------------------------------------------------


def annual_values(year: int, provider_ids=None) -> dict[int, Decimal]:
    """provider id -> the value of its contracts and subcontracts in `year` (euros).

    A contract counts with its ContractValue for that year; a subcontract with its stated annual
    value, or its share of the contract's value that year (`Subcontract.value_in`), when its
    term touches that year."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    contract_values = ContractValue.objects.filter(year=year)
    if provider_ids is not None:
        contract_values = contract_values.filter(contract__contractor_id__in=provider_ids)
    for row in contract_values.values("contract__contractor_id").annotate(total=Sum("amount")):
        totals[row["contract__contractor_id"]] += row["total"]

    subcontracts = Subcontract.objects.in_force_during(
        datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    )
    if provider_ids is not None:
        subcontracts = subcontracts.filter(subcontractor_id__in=provider_ids)
    rows = list(subcontracts.order_by().only("subcontractor_id", "contract_id", "annual_value",
                                             "share_percent"))  # fmt: skip
    needed = {r.contract_id for r in rows if r.annual_value is None and r.share_percent}
    base = dict(
        ContractValue.objects.filter(year=year, contract_id__in=needed).values_list(
            "contract_id", "amount"
        )
    )
    for r in rows:
        totals[r.subcontractor_id] += r.value_in(year, base.get(r.contract_id, Decimal(0)))
    return dict(totals)


def size_from_value(value: Decimal | None) -> str:
    return ProviderSize.LARGE if (value or 0) > LARGE_THRESHOLD else ProviderSize.SMALL


def provider_sizes(year: int, providers=None) -> dict[int, str]:
    """provider id -> "large"/"small" in `year`; a manual override wins over the derived size."""
    if providers is None:
        providers = Provider.objects.only("id", "size_override")
    providers = list(providers)
    values = annual_values(year, [p.id for p in providers] if len(providers) < 500 else None)
    return {p.id: p.size_override or size_from_value(values.get(p.id)) for p in providers}


def provider_size(provider: Provider, year: int) -> str:
    if provider.size_override:
        return provider.size_override
    return size_from_value(annual_values(year, [provider.id]).get(provider.id))


def provider_annual_value(provider: Provider, year: int) -> Decimal:
    return annual_values(year, [provider.id]).get(provider.id, Decimal(0))


# --- the coverage check ---------------------------------------------------------------------------


def contract_districts(contract: Contract) -> list[District]:
    """The wijken a contract covers: all ten for a city-wide contract."""
    queryset = District.objects.all() if contract.city_wide else contract.districts.all()
    return list(queryset.order_by("code"))


@dataclass
class CoverageWarning:
    district: District
    kind: str  # "missing" | "double" | "outside"
    message: str
    teams: list = field(default_factory=list)


def coverage_check(contract: Contract) -> list[CoverageWarning]:
    """For a city-wide contract (or one covering wijken with teams): the wijken without a
    district team or with more than one — "één aanspreekbare organisatie per wijk"."""
    teams = list(
        DistrictTeam.objects.filter(contract=contract).select_related("district", "provider")
    )
    scope = contract_districts(contract)
    if not contract.city_wide and not teams:
        return []
    by_district: dict[int, list[DistrictTeam]] = defaultdict(list)
    for team in teams:
        by_district[team.district_id].append(team)
    warnings = []
    scope_ids = {d.id for d in scope}
    for district in scope:
        found = by_district.get(district.id, [])
        if not found:
            warnings.append(
                CoverageWarning(
                    district,
                    "missing",
                    gettext("Wijk %(district)s heeft geen wijkteam.") % {"district": district.name},
                )
            )
        elif len(found) > 1:
            names = ", ".join(f"{t.name} ({t.provider.name})" for t in found)
            warnings.append(
                CoverageWarning(
                    district,
                    "double",
                    gettext(
                        "Wijk %(district)s heeft %(count)s wijkteams: %(teams)s. "
                        "Er hoort één aanspreekbare organisatie per wijk te zijn."
                    )
                    % {"district": district.name, "count": len(found), "teams": names},
                    found,
                )
            )
    for team in teams:
        if team.district_id not in scope_ids:
            warnings.append(
                CoverageWarning(
                    team.district,
                    "outside",
                    gettext(
                        "Wijkteam %(team)s werkt in wijk %(district)s, "
                        "die niet onder dit contract valt."
                    )
                    % {"team": team.name, "district": team.district.name},
                    [team],
                )
            )
    return warnings


def contract_structure(contract: Contract) -> dict:
    """Main contractor → per wijk the district team(s) and the subcontractors working there."""
    subcontracts = list(
        contract.subcontracts.select_related("subcontractor").prefetch_related(
            "districts", "service_types"
        )
    )
    teams = list(contract.district_teams.select_related("district", "provider"))
    districts = contract_districts(contract)
    contract_district_ids = {d.id for d in districts}
    rows = []
    for district in districts:
        subs = [
            s
            for s in subcontracts
            if not s.districts.all() or district.id in {d.id for d in s.districts.all()}
        ]
        rows.append(
            {
                "district": district,
                "teams": [t for t in teams if t.district_id == district.id],
                "subcontracts": subs,
            }
        )
    return {
        "contract": contract,
        "rows": rows,
        "subcontracts": subcontracts,
        "warnings": coverage_check(contract),
        "districts_outside": [t for t in teams if t.district_id not in contract_district_ids],
    }


# --- the landscape (the council motion's question) ---------------------------------------------


@dataclass
class LandscapeRow:
    district: District | None  # None: the whole city
    organisations: int
    small_or_resident: int
    small: int
    resident: int

    @property
    def share(self) -> Decimal | None:
        if not self.organisations:
            return None
        return (Decimal(self.small_or_resident) * 100 / self.organisations).quantize(Decimal("0.1"))

    @property
    def label(self) -> str:
        return self.district.name if self.district else "Heel Utrecht"


def delivering_organisations(day: datetime.date) -> dict[int, set[int]]:
    """district id -> ids of the providers delivering there under the contracts in force on
    `day`: contracting parties for their wijken, subcontractors (in force themselves) for theirs,
    and the providers running a district team."""
    all_district_ids = list(District.objects.values_list("id", flat=True))
    contracts = Contract.objects.in_force_on(day).prefetch_related(
        "districts",
        Prefetch(
            "subcontracts",
            queryset=Subcontract.objects.in_force_on(day).prefetch_related("districts"),
        ),
        "district_teams",
    )
    result: dict[int, set[int]] = {d: set() for d in all_district_ids}
    for contract in contracts:
        wijken = (
            set(all_district_ids)
            if contract.city_wide
            else {d.id for d in contract.districts.all()}
        )
        for district_id in wijken:
            result[district_id].add(contract.contractor_id)
        for sub in contract.subcontracts.all():
            sub_wijken = {d.id for d in sub.districts.all()} or wijken
            for district_id in sub_wijken:
                result[district_id].add(sub.subcontractor_id)
        for team in contract.district_teams.all():
            result[team.district_id].add(team.provider_id)
    return result


def landscape(day: datetime.date) -> list[LandscapeRow]:
    """Per wijk (and for the whole city): how many organisations deliver on `day`, and how many
    of them are small (in that year) or resident/target-group organisations."""
    by_district = delivering_organisations(day)
    involved = set().union(*by_district.values()) if by_district else set()
    providers = {p.id: p for p in Provider.objects.filter(id__in=involved).only(
        "id", "kind", "size_override")}  # fmt: skip
    sizes = provider_sizes(day.year, providers.values())

    def row(district, ids):
        small = {i for i in ids if sizes.get(i) == ProviderSize.SMALL}
        resident = {i for i in ids if providers[i].kind == ProviderKind.RESIDENT_ORG}
        return LandscapeRow(district, len(ids), len(small | resident), len(small), len(resident))

    rows = [row(d, by_district.get(d.id, set())) for d in District.objects.order_by("code")]
    rows.append(row(None, involved))
    return rows


def landscape_comparison(first: datetime.date, second: datetime.date) -> list[dict]:
    """The two landscapes side by side, one dict per wijk (and the city total last)."""
    a, b = landscape(first), landscape(second)
    return [{"label": x.label, "district": x.district, "first": x, "second": y}
            for x, y in zip(a, b, strict=True)]  # fmt: skip


# --- contract timeline ----------------------------------------------------------------------------


def contract_timeline(contract: Contract) -> dict:
    """Bars and markers (as percentages of the span) for the contract page's small timeline:
    the base term, each extension option (exercised or not) and each option's period and
    decision date. The same facts are listed as text beside it."""
    options = list(contract.options.all())
    start = datetime.date(contract.start_date.year, 1, 1)
    last = contract.latest_possible_end
    for option in options:
        for day in (option.start_date, option.end_date, option.decision_date):
            if day and day > last:
                last = day
    # A row stored before the models bounded the term would otherwise draw thousands of years.
    end = min(datetime.date(last.year, 12, 31), LAST_CONTRACT_DAY)
    span = (end - start).days or 1

    def pos(day):
        return min(max(round((day - start).days * 100 / span, 2), 0), 100)

    def bar(label, first, until, kind):
        left = pos(first)
        return {"label": label, "start": first, "end": until, "kind": kind, "left": left,
                "width": max(round(pos(until) - left, 2), 0.5)}  # fmt: skip

    bars = [bar(gettext("Looptijd"), contract.start_date, contract.end_date, "term")]
    previous = contract.end_date
    for number in range(1, (contract.extension_count or 0) + 1):
        if not contract.extension_months:
            break
        following = add_months(contract.end_date, number * contract.extension_months)
        exercised = number <= contract.extensions_exercised
        # Equal only when both are clamped at date.max (add_months), where no next day exists.
        first = previous + datetime.timedelta(days=1) if previous < following else following
        label = (gettext("Verlenging %(number)s (gelicht)") if exercised
                 else gettext("Verlenging %(number)s (optie)")) % {"number": number}  # fmt: skip
        bars.append(bar(label, first, following,
                        "extension-used" if exercised else "extension"))  # fmt: skip
        previous = following
    markers = []
    for option in options:
        if option.start_date:
            # An option without an end (the HbH review clause) runs to the edge of the chart.
            entry = bar(option.name, option.start_date, option.end_date or end,
                        f"option-{option.status}")  # fmt: skip
            entry["open_end"] = option.end_date is None
            bars.append(entry)
        markers.append({"label": gettext("Besluit: %(name)s") % {"name": option.name}, "date": option.decision_date,
                        "left": pos(option.decision_date), "status": option.status})  # fmt: skip
    years = [
        {"year": y, "left": pos(datetime.date(y, 1, 1))} for y in range(start.year, end.year + 1)
    ]
    return {"bars": bars, "markers": markers, "years": years}

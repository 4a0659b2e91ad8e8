"""The organisation page for the quarterly conversation with a provider or contractor: in-,
through- and outflow, waiting times, group share, Ervaringwijzer and complaints from the stored
values at level `provider` / `contractor`, this quarter beside the previous one and the same
quarter last year, and the contract value from providers/.

Everything is read from IndicatorValue (one query for the three quarters), never recomputed."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext

from providers.models import Contract, ContractValue, Provider, Subcontract
from wmo.catalogue.norms import NormHistory
from wmo.periods import Quarter

from .. import selectors
from ..definitions import INDICATORS
from ..models import IndicatorValue
from ..selectors.norms import target_on
from .formatting import decimals_for, indicator_text

# URL word -> stored level. A contractor's figures roll up all its subcontractors' referrals.
LEVELS = {"aanbieder": "provider", "contractpartij": "contractor"}
LEVEL_LABELS = {"provider": "als leverende aanbieder", "contractor": "als contractpartij"}

SECTIONS = [
    ("instroom", "Instroom, doorstroom en uitstroom",
     ["new_referrals", "started", "clients_in_care", "referrals_in_care", "ended"]),
    ("wachttijden", "Wachttijden en wachtenden",
     ["mean_wait_days", "median_wait_days", "pct_within_norm", "waiting_at_end",
      "mean_days_waiting_at_end", "mean_waiting_per_month"]),
    ("groepsgericht", "Groepsgericht aanbod", ["group_share"]),
    ("ervaringwijzer", "Ervaringwijzer",
     ["exp_solution_pct", "exp_solution_n", "exp_self_reliance_pct", "exp_self_reliance_n"]),
    ("klachten", "Klachten", ["complaints", "complaints_per_100_clients", "median_complaint_days"]),
]  # fmt: skip
INDICATOR_CODES = [code for _, _, codes in SECTIONS for code in codes]
# Answers and complaints name the delivering provider; as contracting party they count through
# the subcontract in force on their date (INDICATORS.md, Levels).
QUALITY_SECTIONS = ("ervaringwijzer", "klachten")
CONTRACTOR_QUALITY_NOTE = (
    "Als contractpartij: ook de antwoorden en klachten over haar onderaannemers, volgens de "
    "onderaanneming die gold op de datum van de respons of de ontvangst van de klacht."
)


@dataclass
class Figure:
    code: str
    label: str
    unit: str
    current: Decimal | None
    previous: Decimal | None
    last_year: Decimal | None
    norm: Decimal | None

    def text(self, which: str) -> str:
        return indicator_text(self.code, getattr(self, which))

    @property
    def current_text(self):
        return self.text("current")

    @property
    def previous_text(self):
        return self.text("previous")

    @property
    def last_year_text(self):
        return self.text("last_year")

    @property
    def norm_text(self):
        return indicator_text(self.code, self.norm) if self.norm is not None else ""


@dataclass
class Section:
    slug: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    note: str = ""


@dataclass
class ContractLine:
    reference: str
    name: str
    role: str  # "contractpartij" | "onderaannemer"
    contract_id: int
    value: Decimal | None


@dataclass
class OrganisationReport:
    provider: Provider
    level: str
    quarter: Quarter
    previous: Quarter
    last_year: Quarter
    sections: list[Section]
    contracts: list[ContractLine]
    contract_value: Decimal
    has_values: bool

    @property
    def level_label(self):
        return LEVEL_LABELS[self.level]

    @property
    def year(self):
        return self.quarter.year


def default_quarter(quarters: list[Quarter], today) -> Quarter:
    """The dashboards' default (the newest stored quarter that has closed, else the newest
    stored); with nothing stored, the last completed quarter."""
    return selectors.default_quarter(today, quarters) or Quarter.last_completed(today)


def _figures(level: str, key: str, quarters: list[Quarter]) -> dict:
    rows = IndicatorValue.objects.filter(
        level=level, level_key=key, indicator__in=INDICATOR_CODES,
        quarter__in=quarters,
    ).only("quarter", "indicator", "value", "norm")  # fmt: skip
    return {(row.quarter, row.indicator): row for row in rows}


def _contract_lines(provider: Provider, level: str, year: int) -> list[ContractLine]:
    lines = []
    year_days = (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    contracts = (
        Contract.objects.filter(contractor=provider)
        .in_force_during(*year_days)
        .prefetch_related(Prefetch("values", queryset=ContractValue.objects.filter(year=year)))
        .order_by("reference")
    )
    for contract in contracts:
        values = list(contract.values.all())
        lines.append(ContractLine(contract.reference, contract.name, "contractpartij",
                                  contract.pk, values[0].amount if values else None))  # fmt: skip
    if level == "contractor":
        return lines
    subcontracts = list(
        Subcontract.objects.filter(subcontractor=provider)
        .in_force_during(*year_days)
        .select_related("contract")
        .order_by("contract__reference")
    )
    bases = dict(
        ContractValue.objects.filter(
            year=year, contract_id__in=[s.contract_id for s in subcontracts]
        ).values_list("contract_id", "amount")
    )
    for sub in subcontracts:
        value = sub.annual_value
        if value is None and sub.share_percent is not None and sub.contract_id in bases:
            value = (bases[sub.contract_id] * sub.share_percent / 100).quantize(Decimal("0.01"))
        lines.append(ContractLine(sub.contract.reference, sub.contract.name, "onderaannemer",
                                  sub.contract_id, value))  # fmt: skip
    return lines


def organisation_report(provider: Provider, level: str, quarter: Quarter) -> OrganisationReport:
    compared = [quarter, quarter.previous(), quarter.same_quarter_last_year()]
    stored = _figures(level, provider.agb_code, compared)
    sections = []
    history = None
    for slug, title, codes in SECTIONS:
        section = Section(slug, title)
        if level == "contractor" and slug in QUALITY_SECTIONS:
            section.note = CONTRACTOR_QUALITY_NOTE
        for code in (code for code in codes if level in INDICATORS[code].levels):
            definition = INDICATORS[code]
            cells = [stored.get((q, code)) for q in compared]
            norm = cells[0].norm if cells[0] is not None and cells[0].norm is not None else None
            if norm is None and definition.norm_kind is not None:
                history = history or NormHistory()  # read once, where a figure needs it
                norm = target_on(code, quarter.end, history)
            section.figures.append(
                Figure(code, gettext(definition.label), gettext(definition.unit) if definition.unit else "",
                       *[c.value if c is not None else None for c in cells], norm)
            )  # fmt: skip
        sections.append(section)
    contracts = _contract_lines(provider, level, quarter.year)
    # The same sum as providers.services.annual_values (contracts plus subcontracts, a share of
    # the contract's value where no own value is set), from the lines already loaded.
    contract_value = sum((c.value or Decimal(0) for c in contracts), Decimal(0))
    return OrganisationReport(
        provider=provider, level=level, quarter=quarter, previous=compared[1],
        last_year=compared[2], sections=sections, contracts=contracts,
        contract_value=contract_value,
        has_values=any(key[0] == quarter for key in stored),
    )  # fmt: skip


EXPORT_HEADER = ["onderdeel", "indicator", "omschrijving", "eenheid", "kwartaal",
                 "vorig_kwartaal", "zelfde_kwartaal_vorig_jaar", "norm"]  # fmt: skip


def _exact(indicator: str, value):
    """A stored value with the decimals the page shows (counts whole, rates one decimal)."""
    if value is None:
        return None
    places = decimals_for(indicator)
    if places == 0 and value != value.to_integral_value():
        places = 1
    return value.quantize(Decimal(1).scaleb(-places))


def export_rows(report: OrganisationReport):
    for section in report.sections:
        for f in section.figures:
            yield [section.title, f.code, f.label, f.unit,
                   *[_exact(f.code, v) for v in (f.current, f.previous, f.last_year, f.norm)]]  # fmt: skip
    # One line per contract and subcontract as on the page, then their sum.
    for line in report.contracts:
        yield ["Contracten", "contract", f"{line.reference} {line.name} ({line.role})", "€",
               line.value, None, None, None]  # fmt: skip
    yield ["Contracten", "contract_value", f"Contractwaarde {report.year}", "€",
           report.contract_value, None, None, None]  # fmt: skip


@dataclass
class OrganisationChoice:
    provider: Provider
    clients_as_provider: Decimal | None
    clients_as_contractor: Decimal | None


def organisation_choices(quarter: Quarter) -> list[OrganisationChoice]:
    """Every organisation with stored figures in the quarter, as provider and/or contractor,
    with its clients in care (2 queries)."""
    rows = IndicatorValue.objects.filter(
        quarter=quarter, indicator="clients_in_care", level__in=["provider", "contractor"]
    ).values_list("level", "level_key", "value")
    clients: dict[str, dict] = {}
    for level, key, value in rows:
        clients.setdefault(key, {})[level] = value
    providers = Provider.objects.filter(agb_code__in=list(clients)).order_by("name")
    return [
        OrganisationChoice(p, clients[p.agb_code].get("provider"),
                           clients[p.agb_code].get("contractor"))
        for p in providers
    ]  # fmt: skip

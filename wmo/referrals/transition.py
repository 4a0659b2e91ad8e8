"""The continuity monitor for the move to 1 January 2027 (domain/TRANSITION.md), for any
transition day T and moment of looking (`as_of`).

- to_transfer: in care on T (started on or before T, not ended before T, never cancelled) and
  the contractor has no contract in force on T + 1 for the voorziening (providers/terms.py).
- planned: of those, a successor registered (referral date ≤ as_of, not cancelled by then) that
  goes on after T (its contractor holds a contract on T + 1: one with the same leaving
  contractor hands nobody over) and not started by as_of; transferred: that successor started
  by as_of; same_provider: of the transferred, the successor is delivered by the same provider
  (now as subcontractor).
- gap_days per transferred client: successor start − predecessor end − 1 when positive (a care
  gap); mean and maximum over the clients with a gap.
- unresolved: no successor as of as_of and no end reason recorded by then.

One query reads every referral to transfer with its successor; the counts per leaving
contractor, wijk (or U16 municipality) and voorziening are summed in one pass over it."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from providers.models import Contract

from . import rules
from .models import Referral

TRANSITION_DAY = datetime.date(2026, 12, 31)
# The days a transition day or moment of looking may be, for the page, the API and the command
# alike: the counts look at the day after the transition day, which 9999-12-31 has not
# (OverflowError), and a century around the handover is room enough for any contract.
FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
DATE_FORMAT_ERROR = gettext_lazy("Geef een datum als JJJJ-MM-DD, bijvoorbeeld 2026-12-31.")
COUNTS = ("to_transfer", "planned", "transferred", "same_provider", "unresolved")
LABELS = {
    "to_transfer": gettext_noop("Over te dragen"), "planned": gettext_noop("Gepland"),
    "transferred": gettext_noop("Overgedragen"), "same_provider": gettext_noop("Zelfde aanbieder"),
    "unresolved": gettext_noop("Onopgelost"), "gap_mean": gettext_noop("Zorggat gemiddeld (dagen)"),
    "gap_max": gettext_noop("Zorggat langst (dagen)"),
}  # fmt: skip


@dataclass
class Tally:
    """The counts of one group (or of everything)."""

    key: str = ""
    name: str = ""
    to_transfer: int = 0
    planned: int = 0
    transferred: int = 0
    same_provider: int = 0
    unresolved: int = 0
    gaps: list[int] = field(default_factory=list)

    @property
    def gap_mean(self) -> float | None:
        return round(sum(self.gaps) / len(self.gaps), 1) if self.gaps else None

    @property
    def gap_max(self) -> int | None:
        return max(self.gaps) if self.gaps else None

    def add(self, other: "Tally") -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.gaps.extend(other.gaps)

    def as_dict(self) -> dict:
        return {**{name: getattr(self, name) for name in COUNTS},
                "gap_mean": self.gap_mean, "gap_max": self.gap_max}  # fmt: skip


@dataclass
class Monitor:
    day: datetime.date
    as_of: datetime.date
    total: Tally
    by_contractor: list[Tally]
    by_area: list[Tally]
    by_service: list[Tally]
    pilots: int

    @property
    def breakdowns(self) -> list[tuple[str, str, list[Tally]]]:
        return [("opdrachtnemer", gettext("Per vertrekkende opdrachtnemer"), self.by_contractor),
                ("wijk", gettext("Per wijk, dan per U16-gemeente"), self.by_area),
                ("voorziening", gettext("Per voorziening"), self.by_service)]  # fmt: skip


def check_day(day: datetime.date) -> None:
    """Refuse a day outside FIRST_DAY..LAST_DAY; a form field's or serializer field's
    validator, so the refusal is shown beside the parameter that carried it."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            gettext("De datum ligt tussen %(first)s en %(last)s.")
            % {"first": f"{FIRST_DAY:%d-%m-%Y}", "last": f"{LAST_DAY:%d-%m-%Y}"},
            code="range",
        )


def in_care_on(day: datetime.date):
    """Referrals in care on `day`: started by then, not ended before it, never cancelled."""
    return Referral.objects.filter(start_date__lte=day, cancelled_date__isnull=True).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )


def to_transfer(day: datetime.date = TRANSITION_DAY):
    """In care on `day` whose contractor holds no contract in force on the next day for the
    voorziening (`Contract.objects.in_force_on`). A voorziening without any contract in the
    register counts as carried on, as in the registration rule and the "zonder contract" list
    (contracts.ContractTerms): its contracts are not entered, or it is not bought by contract
    (the Wmo-loket's voorzieningen), and its clients do not change contractor."""
    return in_care_on(day).exclude(goes_on(day))


def goes_on(day: datetime.date, prefix: str = "") -> Q:
    """The referral (or with `prefix` "successor__", its successor) goes on after `day`: its
    contractor holds a contract in force the next day for its voorziening, or the voorziening
    has no contract in the register at all."""
    next_day = day + datetime.timedelta(days=1)
    carried_on = Contract.objects.in_force_on(next_day).filter(
        contractor_id=OuterRef(f"{prefix}contractor_id"),
        service_types=OuterRef(f"{prefix}service_type_id"),
    )
    contracted = Contract.objects.filter(service_types=OuterRef(f"{prefix}service_type_id"))
    return Q(Exists(carried_on)) | ~Q(Exists(contracted))


def successor_known(as_of: datetime.date, day: datetime.date = TRANSITION_DAY) -> Q:
    """A successor registered by `as_of`, not cancelled by then, that goes on after the
    transition day: a successor with the same leaving contractor hands nobody over."""
    return (
        Q(successor__referral_date__lte=as_of)
        & (Q(successor__cancelled_date__isnull=True) | Q(successor__cancelled_date__gt=as_of))
        & goes_on(day, "successor__")
    )


def unresolved(day: datetime.date = TRANSITION_DAY, as_of: datetime.date | None = None):
    """The referrals to transfer with no successor and no end reason as of `as_of`."""
    as_of = as_of or rules.today()
    ended = Q(end_date__lte=as_of) & ~Q(end_reason="")
    return to_transfer(day).exclude(successor_known(as_of, day)).exclude(ended)


def pilot_count(as_of: datetime.date | None = None) -> int:
    """Beschermd Thuis pilot referrals registered by `as_of`, reported on their own."""
    return Referral.objects.filter(pilot=True, referral_date__lte=as_of or rules.today(),
                                   cancelled_date__isnull=True).count()  # fmt: skip


def monitor(day: datetime.date = TRANSITION_DAY, as_of: datetime.date | None = None) -> Monitor:
    as_of = as_of or rules.today()
    rows = to_transfer(day).annotate(
        successor_goes_on=ExpressionWrapper(goes_on(day, "successor__"), BooleanField())
    ).values_list(
        "provider_id", "end_date", "end_reason", "contractor__agb_code", "contractor__name",
        "district__code", "district__name", "municipality__code", "municipality__name",
        "service_type__code", "service_type__name",
        F("successor__referral_date"), F("successor__start_date"),
        F("successor__cancelled_date"), F("successor__provider_id"), "successor_goes_on",
    ).order_by()  # fmt: skip
    # Read unsorted: the tallies are sums and the breakdowns are sorted below.
    # Counted per (contractor, area, voorziening) first, then summed into the three breakdowns
    # and the total: a row updates one tally instead of four.
    parts: dict[tuple, Tally] = {}
    names: dict[tuple, tuple] = {}
    for (provider, end, reason, agb, contractor, wijk, wijk_name, gemeente, gemeente_name,
         service, service_name, s_referral, s_start, s_cancelled, s_provider,
         s_goes_on) in rows.iterator(chunk_size=5000):  # fmt: skip
        key = (agb, wijk or gemeente, service)
        tally = parts.get(key)
        if tally is None:
            tally = parts[key] = Tally()
            names[key] = (contractor, wijk_name or gemeente_name, service_name)
        has_successor = (
            s_referral is not None
            and s_referral <= as_of
            and (s_cancelled is None or s_cancelled > as_of)
            and bool(s_goes_on)
        )
        started = has_successor and s_start is not None and s_start <= as_of
        gap = (s_start - end).days - 1 if started and end is not None else 0
        ended = bool(reason) and end is not None and end <= as_of
        tally.to_transfer += 1
        tally.planned += has_successor and not started
        tally.transferred += started
        tally.same_provider += started and s_provider == provider
        tally.unresolved += not has_successor and not ended
        if gap > 0:
            tally.gaps.append(gap)
    total = Tally(key="", name="Totaal")
    groups: tuple[dict, dict, dict] = ({}, {}, {})
    for key, part in parts.items():
        total.add(part)
        for group, group_key, name in zip(groups, key, names[key], strict=True):
            tally = group.get(group_key)
            if tally is None:
                tally = group[group_key] = Tally(key=group_key, name=name)
            tally.add(part)

    def ordered(group):
        return sorted(group.values(), key=lambda t: t.key)

    # Utrecht's wijken first, then the U16 municipalities (CBS "GM…" codes sort before "WK…").
    areas = sorted(groups[1].values(), key=lambda t: (t.key.startswith("GM"), t.key))
    return Monitor(day=day, as_of=as_of, total=total, by_contractor=ordered(groups[0]),
                   by_area=areas, by_service=ordered(groups[2]),
                   pilots=pilot_count(as_of))  # fmt: skip


UNRESOLVED_HEADER = ["verwijzing", "client", "buurtteam", "wijk", "voorziening", "aanbieder",
                     "opdrachtnemer", "startdatum", "einddatum"]  # fmt: skip


def unresolved_rows(referrals):
    """The unresolved list as a table (header first), for the page's download and the export:
    read in chunks while written, as the list can hold every client in care in the city."""
    yield UNRESOLVED_HEADER
    for r in referrals.with_details().iterator(chunk_size=2000):
        yield [r.external_id, r.client.short_key, r.team.code if r.team else "",
               r.residence.code, r.service_type.code, r.provider.agb_code, r.contractor.agb_code,
               r.start_date, r.end_date]  # fmt: skip


def count_rows(result: Monitor):
    """The counts as a table (header first): the total, then each breakdown."""
    names = [*COUNTS, "gap_mean", "gap_max"]
    yield ["indeling", "code", "naam", *names]
    yield ["totaal", "", "", *(result.total.as_dict()[n] for n in names)]
    for level, _, tallies in result.breakdowns:
        for tally in tallies:
            yield [level, tally.key, tally.name, *(tally.as_dict()[n] for n in names)]

"""Reads for the procurement pages: the tender with its parts, and the timeline rows 2025 → 2031."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from providers.terms import add_months

from .models import Candidate, DialogueSession, Milestone, Motion, Tender, TenderOption
from .standstill import standstill_for
from .status import MilestoneStatus, days_late, milestone_status

TIMELINE_START = datetime.date(2025, 1, 1)
TIMELINE_END = datetime.date(2032, 1, 1)  # exclusive: the axis ends with 2031
MIN_BAR_WIDTH = 0.5  # percent, so a one-day step is still visible


def tenders():
    return Tender.objects.order_by("reference")


def _options():
    return TenderOption.objects.select_related("contract_option__contract").order_by("period_start")


def timeline_tender():
    """The tender the timeline shows, with what the timeline draws."""
    return (
        tenders()
        .select_related("contract")
        .prefetch_related("milestones", Prefetch("options", queryset=_options()), "motions")
        .first()
    )


def tender_detail(reference: str):
    """The tender with everything the tender page shows, in a fixed number of queries."""
    return (
        Tender.objects.select_related("awarded_candidate", "contract")
        .prefetch_related(
            "documents",
            "principles",
            "criteria",
            Prefetch("milestones", queryset=Milestone.objects.select_related("concerns")),
            Prefetch(
                "candidates",
                queryset=Candidate.objects.select_related("consortium")
                .prefetch_related("scores")
                .order_by("name"),
            ),
            Prefetch(
                "dialogue_sessions",
                queryset=DialogueSession.objects.prefetch_related("candidates", "participants"),
            ),
            Prefetch("options", queryset=_options()),
            Prefetch("motions", queryset=Motion.objects.prefetch_related("requests")),
        )
        .filter(reference=reference)
    )


def motions():
    return Motion.objects.select_related("tender").prefetch_related(
        "requests", "milestones", "options"
    )


@dataclass
class ExtensionOption:
    """An extension option of the contract that came out of the tender, derived from the
    contract's own terms in providers/ (number of extensions × months, extensions exercised)."""

    contract: object
    number: int
    start: datetime.date
    end: datetime.date
    status: str
    status_label: str


def extension_options(contract, today: datetime.date | None = None) -> list[ExtensionOption]:
    """Extension n runs from the day after extension n-1 (or the end date) for `extension_months`.
    Exercised while n ≤ extensions exercised; lapsed once its first day has come without it."""
    if contract is None or not contract.extension_count or not contract.extension_months:
        return []
    today = today or timezone.localdate()
    options = []
    previous_end = contract.end_date
    for number in range(1, contract.extension_count + 1):
        end = add_months(contract.end_date, number * contract.extension_months)
        start = previous_end + datetime.timedelta(days=1)
        if number <= contract.extensions_exercised:
            status = TenderOption.Status.EXERCISED
        elif today >= start:
            status = TenderOption.Status.LAPSED
        else:
            status = TenderOption.Status.OPEN
        options.append(ExtensionOption(contract, number, start, end, status.value, status.label))
        previous_end = end
    return options


def _percent(day: datetime.date) -> float:
    span = (TIMELINE_END - TIMELINE_START).days
    offset = (min(max(day, TIMELINE_START), TIMELINE_END) - TIMELINE_START).days
    return round(offset / span * 100, 3)


@dataclass
class Span:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def after_axis(self) -> bool:
        return self.start >= TIMELINE_END

    @property
    def continues(self) -> bool:
        """The period runs on past the end of the axis."""
        return self.end >= TIMELINE_END

    @property
    def left(self) -> float:
        if self.after_axis:
            return 100 - MIN_BAR_WIDTH  # a sliver at the right edge; the text gives the dates
        return _percent(self.start)

    @property
    def width(self) -> float:
        right = _percent(self.end + datetime.timedelta(days=1))
        return round(max(right - self.left, MIN_BAR_WIDTH), 3)

    @property
    def text_inside(self) -> bool:
        """A long bar (a contract term) has room for its text, which fits on neither side."""
        return self.width >= 30

    @property
    def text_at_end(self) -> bool:
        """Put the bar's text left of the bar when the bar sits in the right part of the axis."""
        return self.left > 55 and not self.text_inside

    @property
    def right(self) -> float:
        return round(100 - min(self.left + self.width, 100), 3)


@dataclass
class TimelineItem:
    key: str
    group: str
    title: str
    kind_label: str
    planned_label: str
    planned: Span | None
    actual: Span | None
    status: str
    status_label: str
    late_days: int = 0
    url: str = ""
    edit_url: str = ""
    single_day: bool = field(default=False)
    planned_prefix: str = _("Gepland")
    actual_prefix: str = _("Werkelijk")
    actual_missing: str = _("nog geen datum")
    related_label: str = ""  # the contract (option) in providers/ this item is about
    related_url: str = ""
    actual_open: bool = False  # a period that started and has not ended yet
    note: str = ""  # said under the row, e.g. why a period runs longer

    @property
    def late(self) -> bool:
        return self.status == MilestoneStatus.LATE

    @property
    def actual_label(self) -> str:
        if not self.actual:
            return ""
        if self.actual_open:
            return gettext("vanaf %(start)s (loopt nog)") % {
                "start": date_format(self.actual.start, "j F Y")
            }
        if self.actual.start == self.actual.end:
            return date_format(self.actual.start, "j F Y")
        return gettext("%(start)s t/m %(end)s") % {
            "start": date_format(self.actual.start, "j F Y"),
            "end": date_format(self.actual.end, "j F Y"),
        }

    @property
    def axis_note(self) -> str:
        """Said in text, since a bar cut off at the edge of the axis does not say it."""
        if not self.planned:
            return ""
        if self.planned.after_axis:
            return gettext("na %(year)s, buiten de tijdlijn") % {"year": TIMELINE_END.year - 1}
        if self.planned.continues:
            return gettext("loopt door na %(year)s") % {"year": TIMELINE_END.year - 1}
        return ""


GROUPS = [
    ("steps", _("Stappen van de aanbesteding")),
    ("award", _("Gunning en opschortende termijn")),
    ("council", _("Informatie aan de raad")),
    ("options", _("Contractopties en besluiten")),
    ("motions", _("Moties")),
]


def _milestone_item(milestone, tender_url, today, can_edit):
    status = milestone_status(milestone, today)
    actual = None
    is_open = bool(milestone.actual_start and milestone.is_period and not milestone.actual_end)
    if is_open:
        actual = Span(milestone.actual_start, max(milestone.actual_start, today))
    elif milestone.actual_start:
        actual = Span(milestone.actual_start, milestone.actual_end or milestone.actual_start)
    return TimelineItem(
        key=f"mijlpaal-{milestone.code}",
        group="steps" if milestone.kind == Milestone.Kind.STEP else "council",
        title=milestone.title,
        kind_label=milestone.get_kind_display(),
        planned_label=milestone.planned_label,
        planned=Span(milestone.planned_start, milestone.planned_end),
        actual=actual,
        status=status.value,
        status_label=status.label,
        late_days=days_late(milestone, today),
        url=f"{tender_url}#mijlpaal-{milestone.code}",
        edit_url=reverse("procurement:milestone-edit", args=[milestone.pk]) if can_edit else "",
        actual_open=is_open,
    )


def _period_label(start: datetime.date, end: datetime.date) -> str:
    return f"{date_format(start, 'j F Y')} t/m {date_format(end, 'j F Y')}"


def _contract_items(tender, tender_url, today, can_view_contracts) -> list[TimelineItem]:
    """The term of the contract that came out of the tender and its extension options."""
    contract = tender.contract
    if contract is None:
        return []
    url = (
        reverse("providers:contract-detail", args=[contract.pk])
        if can_view_contracts
        else f"{tender_url}#contract"
    )
    if today < contract.start_date:
        status, label = "upcoming", _("Nog niet begonnen")
    elif contract.is_in_force_on(today):
        status, label = "running", _("Loopt")
    else:
        status, label = "done", _("Afgelopen")
    items = [
        TimelineItem(
            key=f"contract-{contract.pk}",
            group="options",
            title=gettext("Looptijd contract %(reference)s") % {"reference": contract.reference},
            kind_label=_("Contract"),
            planned_label=_period_label(contract.start_date, contract.end_date),
            planned_prefix=_("Looptijd"),
            actual_missing="",
            planned=Span(contract.start_date, contract.end_date),
            actual=None,
            status=status,
            status_label=label,
            url=url,
            related_label=gettext("Contract %(reference)s: %(name)s")
            % {"reference": contract.reference, "name": contract.name},
            related_url=url if can_view_contracts else "",
        )
    ]
    for option in extension_options(contract, today):
        items.append(
            TimelineItem(
                key=f"verlenging-{contract.pk}-{option.number}",
                group="options",
                title=(
                    gettext(
                        "Verlengingsoptie %(number)s van %(extension_count)s (%(extension_months)s maanden)"
                    )
                    % {
                        "number": option.number,
                        "extension_count": contract.extension_count,
                        "extension_months": contract.extension_months,
                    }
                ),
                kind_label=TenderOption.Kind.EXTENSION.label,
                planned_label=_period_label(option.start, option.end),
                planned_prefix=_("Periode"),
                actual_missing="",
                planned=Span(option.start, option.end),
                actual=None,
                status=option.status,
                status_label=option.status_label,
                url=url,
                related_label=gettext("Verlengingsoptie in contract %(reference)s")
                % {"reference": contract.reference},
                related_url=url if can_view_contracts else "",
            )
        )
    return items


def timeline(
    tender,
    today: datetime.date | None = None,
    can_edit: bool = False,
    can_view_contracts: bool = False,
) -> dict:
    """Everything the timeline page and its table alternative show, as positioned rows.

    `can_view_contracts`: link contract options to the contract in providers/ (a page not every
    role may open); without it the row says which contract option it is, unlinked."""
    today = today or timezone.localdate()
    tender_url = reverse("procurement:tender", args=[tender.reference])
    items = [
        _milestone_item(m, tender_url, today, can_edit)
        for m in sorted(tender.milestones.all(), key=lambda m: (m.order, m.planned_start))
    ]
    standstill = standstill_for(tender)
    if standstill:
        items.append(
            TimelineItem(
                key="opschortende-termijn",
                group="award",
                title=gettext("Opschortende termijn (%(days)s kalenderdagen)")
                % {"days": standstill.days},
                kind_label=_("Besluit"),
                planned_label=(
                    gettext("%(start)s t/m %(end)s")
                    % {
                        "start": date_format(standstill.first_day, "j F Y"),
                        "end": date_format(standstill.last_day, "j F Y"),
                    }
                    + (
                        gettext(" (verlengd volgens de Algemene termijnenwet)")
                        if standstill.extended
                        else ""
                    )
                ),
                note=" ".join(filter(None, [standstill.extension_note, standstill.equated_note])),
                planned_prefix=_("Periode"),
                actual_missing="",
                planned=Span(standstill.first_day, standstill.last_day),
                actual=None,
                status="running"
                if standstill.first_day <= today <= standstill.last_day
                else ("done" if today > standstill.last_day else "upcoming"),
                status_label=standstill.status(today),
                url=f"{tender_url}#gunning",
            )
        )
        items.append(
            TimelineItem(
                key="vroegste-ondertekening",
                group="award",
                title=gettext("Vroegste datum van ondertekening"),
                kind_label=_("Besluit"),
                planned_label=date_format(standstill.earliest_signing, "j F Y"),
                planned_prefix=_("Vroegst"),
                actual_prefix=_("Ondertekend"),
                actual_missing=_("nog niet"),
                planned=Span(standstill.earliest_signing, standstill.earliest_signing),
                actual=(
                    Span(tender.definitive_award_date, tender.definitive_award_date)
                    if tender.definitive_award_date
                    else None
                ),
                status="done" if tender.definitive_award_date else "upcoming",
                status_label=_("Ondertekend")
                if tender.definitive_award_date
                else _("Nog niet getekend"),
                url=f"{tender_url}#gunning",
                single_day=True,
            )
        )
    # The contract's term first, then options and extensions in the order they start.
    option_items = _contract_items(tender, tender_url, today, can_view_contracts)
    for option in tender.options.all():
        end = option.period_end or option.period_start
        related_label = related_url = ""
        if option.contract_option_id:
            linked = option.contract_option
            related_label = gettext("Contractoptie in %(reference)s: %(name)s") % {
                "reference": linked.contract.reference,
                "name": linked.name,
            }
            if can_view_contracts:
                related_url = reverse("providers:contract-detail", args=[linked.contract_id])
        option_items.append(
            TimelineItem(
                key=f"optie-{option.code}",
                group="options",
                title=option.title,
                kind_label=option.get_kind_display(),
                planned_label=option.period_label
                or gettext("vanaf %(start)s")
                % {"start": date_format(option.period_start, "j F Y")},
                planned_prefix=_("Periode"),
                actual_prefix=_("Besluit"),
                actual_missing=_("nog niet genomen"),
                planned=Span(option.period_start, end),
                actual=(
                    Span(option.decision_date, option.decision_date)
                    if option.decision_date
                    else None
                ),
                status=option.status,
                status_label=option.get_status_display(),
                url=f"{tender_url}#opties",
                edit_url=reverse("procurement:option-edit", args=[option.pk]) if can_edit else "",
                single_day=option.period_end is None,
                related_label=related_label,
                related_url=related_url,
            )
        )
    items.extend(sorted(option_items, key=lambda item: item.planned.start))
    for motion in tender.motions.all():
        items.append(
            TimelineItem(
                key=f"motie-{motion.pk}",
                group="motions",
                title=gettext("Motie: %(title)s (%(party)s)")
                % {"title": motion.title, "party": motion.party},
                kind_label=_("Motie"),
                planned_label=date_format(motion.date, "j F Y"),
                planned_prefix=_("Ingediend"),
                actual_missing="",
                planned=Span(motion.date, motion.date),
                actual=None,
                status=motion.status,
                status_label=motion.get_status_display(),
                url=reverse("procurement:motion", args=[motion.pk]),
                edit_url=reverse("procurement:motion-edit", args=[motion.pk]) if can_edit else "",
                single_day=True,
            )
        )
    groups = []
    for code, label in GROUPS:
        rows = [item for item in items if item.group == code]
        if rows:
            groups.append({"code": code, "label": label, "items": rows})
    years = [
        {"year": year, "left": _percent(datetime.date(year, 1, 1))}
        for year in range(TIMELINE_START.year, TIMELINE_END.year)
    ]
    return {
        "groups": groups,
        "items": items,
        "years": years,
        "today": today,
        "today_left": _percent(today),
        "today_in_range": TIMELINE_START <= today < TIMELINE_END,
        "late_count": sum(1 for item in items if item.status == MilestoneStatus.LATE),
    }

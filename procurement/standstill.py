"""The standstill period (opschortende termijn, Alcatel-termijn) after the award decision.

Aanbestedingswet art. 2.127: the contract is not signed before the period has passed. It runs
`days` calendar days from the day after the award decision is sent; a period ending on a
Saturday, Sunday or holiday runs on to the next working day (Algemene termijnenwet art. 1). The
contract may be signed on the first day after the last day."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format

from wmo.calendar import extend_last_day, possibly_equated

ONE_DAY = datetime.timedelta(days=1)


def _day(day: datetime.date) -> str:
    return date_format(day, "l j F Y")


@dataclass(frozen=True)
class Standstill:
    decision_date: datetime.date
    days: int
    first_day: datetime.date
    nominal_last_day: datetime.date  # decision date + days, before the Atw
    last_day: datetime.date
    earliest_signing: datetime.date
    passed_over: tuple = ()  # ((day, reason), …): the days the Atw moved the last day past
    check_equated: str = ""  # the last day may be equated with a holiday by royal decree

    @property
    def extended(self) -> bool:
        return self.last_day != self.nominal_last_day

    @property
    def extension_note(self) -> str:
        """Why the last day moved, in Dutch, or "" when it did not."""
        if not self.extended:
            return ""
        days = "; ".join(f"{date_format(d, 'j F')}: {reason}" for d, reason in self.passed_over)
        return (
            f"De {self.days} kalenderdagen eindigen op {_day(self.nominal_last_day)}. Een "
            "wettelijke termijn die eindigt op een zaterdag, zondag of algemeen erkende feestdag "
            "loopt door tot en met de eerstvolgende dag die geen van die dagen is (Algemene "
            f"termijnenwet, art. 1 en 3): {_day(self.last_day)}. Overgeslagen: {days}."
        )

    @property
    def equated_note(self) -> str:
        if not self.check_equated:
            return ""
        return (
            f"Let op: de laatste dag is {self.check_equated}. Zo'n dag wordt vaak bij koninklijk "
            "besluit met een feestdag gelijkgesteld (Algemene termijnenwet, art. 3 lid 3); is "
            "dat zo, dan loopt de termijn door tot de eerstvolgende werkdag. Controleer het "
            "besluit in de Staatscourant."
        )

    def status(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if today < self.first_day:
            return "Nog niet begonnen"
        if today <= self.last_day:
            remaining = (self.last_day - today).days + 1
            return f"Loopt nog {remaining} {'dag' if remaining == 1 else 'dagen'}"
        return "Verstreken"


def compute_standstill(decision_date: datetime.date, days: int) -> Standstill:
    nominal = decision_date + datetime.timedelta(days=days)
    last_day, passed_over = extend_last_day(nominal)
    return Standstill(
        decision_date=decision_date,
        days=days,
        first_day=decision_date + ONE_DAY,
        nominal_last_day=nominal,
        last_day=last_day,
        earliest_signing=last_day + ONE_DAY,
        passed_over=tuple(passed_over),
        check_equated=possibly_equated(last_day),
    )


def earliest_signing_date(award_decision: datetime.date, standstill_days: int) -> datetime.date:
    return compute_standstill(award_decision, standstill_days).earliest_signing


def standstill_for(tender) -> Standstill | None:
    """The standstill after the tender's award decision (provisional award), or None without one."""
    decision = tender.provisional_award_date
    if not decision:
        return None
    return compute_standstill(decision, tender.standstill_days)

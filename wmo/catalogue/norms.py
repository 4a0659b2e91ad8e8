"""Which norm or target holds on a day: one rule for the indicator job, the dashboards and the
pages. Norms are dated records (models.Norm, POLICY.md and INDICATORS.md "Periods"); the value
valid on a day is the one with the latest valid-from date on or before it. A figure for a
period is judged against the norm valid on the period's last day; a single wait on the pages
against the norm valid on the day the wait ends (waiting.py)."""

import datetime
from decimal import Decimal

from .models import DAY_KINDS, Norm, NormKind


def norm_on(kind: str, service_type, day: datetime.date) -> Decimal | None:
    """The value of `kind` (for `service_type`, a ServiceType or its id, for a waiting norm)
    valid on `day`; None when none was valid yet (or the service has no norm)."""
    service_id = getattr(service_type, "pk", service_type)
    return (
        Norm.objects.filter(kind=kind, service_type_id=service_id, valid_from__lte=day)
        .order_by("-valid_from")
        .values_list("value", flat=True)
        .first()
    )


class NormHistory:
    """Every norm record, read in one query, for pages that judge figures of several periods
    (the dashboards read it once with their stored values)."""

    def __init__(self):
        self._records: dict[tuple[str, int | None], list[tuple[datetime.date, Decimal]]] = {}
        rows = Norm.objects.order_by("valid_from")
        for kind, service_id, day, value in rows.values_list(
            "kind", "service_type_id", "valid_from", "value"
        ):
            self._records.setdefault((kind, service_id), []).append((day, value))

    def on(self, kind: str, service_type, day: datetime.date) -> Decimal | None:
        """As `norm_on`, without a query."""
        found = None
        service_id = getattr(service_type, "pk", service_type)
        for valid_from, value in self._records.get((kind, service_id), []):
            if valid_from > day:
                break
            found = value
        return found


class NormsOn:
    """Every norm valid on one day, read in one query (the indicator job, lists of waits)."""

    def __init__(self, day: datetime.date):
        self.day = day
        self._values: dict[tuple[str, int | None], Decimal] = {}
        rows = Norm.objects.filter(valid_from__lte=day).order_by("valid_from")
        for kind, service_id, value in rows.values_list("kind", "service_type_id", "value"):
            self._values[(kind, service_id)] = value  # a later valid-from overrides

    def get(self, kind: str, service_type=None) -> Decimal | None:
        return self._values.get((kind, getattr(service_type, "pk", service_type)))

    def days(self, kind: str, service_type=None) -> int | None:
        """A norm in (working) days as the whole number it is."""
        assert kind in DAY_KINDS, kind
        value = self.get(kind, service_type)
        return int(value) if value is not None else None

    def waiting_days(self, service_type) -> int | None:
        """A voorziening's waiting norm in calendar days (referral → start)."""
        return self.days(NormKind.WAITING_DAYS, service_type)


def norms_on(day: datetime.date) -> NormsOn:
    return NormsOn(day)


def series_overview(today: datetime.date) -> list[dict]:
    """The Normen page: every norm and target (the programme's, then each voorziening's waiting
    norm, also where none is set) with the value valid today, the next planned change and the
    number of dated values so far. Two queries."""
    from .models import ServiceType

    records: dict[tuple[str, int | None], list[Norm]] = {}
    for norm in Norm.objects.select_related("service_type").order_by("valid_from"):
        records.setdefault((norm.kind, norm.service_type_id), []).append(norm)
    keys = [(kind, None) for kind in NormKind.values if kind != NormKind.WAITING_DAYS]
    services = {s.pk: s for s in ServiceType.objects.valid_on(today)}
    services |= {n.service_type_id: n.service_type for (k, _), ns in records.items()
                 for n in ns if k == NormKind.WAITING_DAYS}  # fmt: skip
    keys += [
        (NormKind.WAITING_DAYS, pk) for pk in sorted(services, key=lambda pk: services[pk].name)
    ]
    result = []
    for kind, service_id in keys:
        history = records.get((kind, service_id), [])
        current = next((n for n in reversed(history) if n.valid_from <= today), None)
        planned = next((n for n in history if n.valid_from > today), None)
        result.append({"kind": kind, "label": NormKind(kind).label,
                       "service": services.get(service_id), "current": current,
                       "planned": planned, "count": len(history)})  # fmt: skip
    return result

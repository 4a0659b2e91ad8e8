"""The demo's move to 1 January 2027 (TRANSITION.md): successors for most of the clients whose
contractor leaves, registered on the first day the new contract allows (01-01-2027: the form
refuses a referral without a contract in force on its date, and any date in the future), so
they exist only once that day has come. Most start on 1 January, some after a gap; a client
whose small provider now subcontracts for the city-wide contractor keeps that provider; every
ninth client gets none and stays unresolved. The predecessor ends on 31 December with reason
38 (overstap naar andere aanbieder). Deterministic (by referral id), a few queries."""

import datetime

from wmo.catalogue.models import ServiceType

from .demo_contracts import ContractBook
from .models import EndReason, Referral
from .transition import TRANSITION_DAY, to_transfer

UNRESOLVED_EVERY = 9  # every ninth client to transfer gets no successor
GAP_EVERY = 5  # every fifth successor starts after a care gap
MERGED_INTO = "ambulante_begeleiding"  # where begeleiding goes when its own contract ends


def seed_successors(book: ContractBook, today: datetime.date, prefix: str) -> int:
    """Add the successors of the demo referrals (`prefix`) to transfer; returns how many."""
    first_day = TRANSITION_DAY + datetime.timedelta(days=1)
    if today < first_day:
        return 0
    merged = ServiceType.objects.filter(code=MERGED_INTO).values_list("pk", flat=True).first()
    valid = set(ServiceType.objects.valid_on(first_day).values_list("pk", flat=True))
    leaving = list(
        to_transfer(TRANSITION_DAY).filter(external_id__startswith=prefix, successor__isnull=True)
        .order_by("pk").values_list("pk", "external_id", "client_id", "district_id",
                                    "municipality_id", "service_type_id", "provider_id", "team_id")
    )  # fmt: skip
    successors, ended = [], []
    for index, (pk, external_id, client, district, municipality, service, provider,
                team) in enumerate(leaving):  # fmt: skip
        if index % UNRESOLVED_EVERY == UNRESOLVED_EVERY - 1:
            continue
        parties = book.parties(service, district, first_day.toordinal()) if service in valid else []
        if not parties and merged:
            service, parties = merged, book.parties(merged, district, first_day.toordinal())
        if not parties:
            continue
        own = [(p, holder) for p, holder, _ in parties if p == provider]
        chosen = own[0] if own else parties[index % len(parties)][:2]
        gap = 3 + index % 17 if index % GAP_EVERY == 0 else 0
        start = first_day + datetime.timedelta(days=gap)
        successors.append(Referral(
            external_id=f"{external_id}-2027", client_id=client, district_id=district,
            municipality_id=municipality, service_type_id=service, provider_id=chosen[0],
            contractor_id=chosen[1], referral_date=first_day, team_id=team,
            start_date=start if start <= today else None, previous_id=pk,
        ))  # fmt: skip
        ended.append(pk)
    Referral.objects.bulk_create(successors, batch_size=2000)
    # The old care ends on the last day of the old contract (it had no end yet, or a later one).
    Referral.objects.filter(pk__in=ended, end_date__isnull=True).update(
        end_date=TRANSITION_DAY, end_reason=EndReason.OTHER_PROVIDER
    )
    Referral.objects.filter(pk__in=ended, end_date__gt=TRANSITION_DAY).update(
        end_date=TRANSITION_DAY, end_reason=EndReason.OTHER_PROVIDER
    )
    return len(successors)

"""The norms and targets a period's figures are judged against, read in one place (`norms_for`)
so the families never look one up themselves.

INDICATORS.md "Periods": a value is judged against the norm valid on its period's last day.
Today the norms are undated — the services' waiting norms are data on the service type
(`ServiceType.waiting_norm_days`), the programme's norms and targets constants in
wmo/catalogue/norms.py — so every period gets the same ones; dated norms replace the body of
`norms_for` and nothing else."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from wmo.catalogue.norms import (
    BUURTTEAM_FIRST_CONTACT_WORKDAYS,
    BUURTTEAM_GROUP_TARGET_PCT,
    BUURTTEAM_REFERRAL_TARGET_PCT,
    GROUP_BASED_TARGET_PCT,
)


@dataclass(frozen=True)
class Norms:
    """What holds on `day`: per service type id its waiting norm in days (None: no norm), and
    the programme's norms and targets."""

    day: datetime.date
    waiting_days: dict[int, int | None]
    first_contact_workdays: int
    buurtteam_referral_pct: Decimal
    buurtteam_group_pct: Decimal
    group_based_pct: Decimal


def norms_for(period) -> Norms:
    """The norms and targets valid on `period`'s last day."""
    from wmo.catalogue.models import ServiceType

    waiting = dict(ServiceType.objects.order_by("pk").values_list("id", "waiting_norm_days"))
    return Norms(
        day=period.end,
        waiting_days=waiting,
        first_contact_workdays=BUURTTEAM_FIRST_CONTACT_WORKDAYS,
        buurtteam_referral_pct=BUURTTEAM_REFERRAL_TARGET_PCT,
        buurtteam_group_pct=BUURTTEAM_GROUP_TARGET_PCT,
        group_based_pct=GROUP_BASED_TARGET_PCT,
    )

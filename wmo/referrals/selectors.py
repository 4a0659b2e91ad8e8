"""Reads: who may see which referral or case, and which providers fit a referral."""

import datetime

from django.db.models import Q

from districts.selectors import team_of
from providers.models import Contract, Provider, Subcontract
from wmo.accounts.roles import CM, has_role

from .models import BuurtteamCase, Referral


def sees_everything(user) -> bool:
    return getattr(user, "is_superuser", False) or has_role(user, CM)


def referrals_for(user):
    return Referral.objects.visible_to(user)


def cases_for(user):
    if sees_everything(user):
        return BuurtteamCase.objects.all()
    team = team_of(user)
    return BuurtteamCase.objects.filter(buurtteam=team) if team else BuurtteamCase.objects.none()


def contracted_providers(service_type, district, day: datetime.date):
    """(providers, contractors) contracted for this service in this wijk on `day`. Without any
    contract data for the service, every active provider (the contract data is still empty)."""
    contracts = Contract.objects.filter(service_types=service_type, start_date__lte=day)
    if district is not None:
        contracts = contracts.filter(Q(city_wide=True) | Q(districts=district))
    in_force = [c.pk for c in contracts.distinct() if c.effective_end >= day]
    if not in_force:
        active = Provider.objects.filter(active=True).order_by("name")
        return active, active
    contractors = Provider.objects.filter(contracts__pk__in=in_force).distinct().order_by("name")
    subcontracts = Subcontract.objects.filter(contract__pk__in=in_force, start_date__lte=day,
                                              end_date__gte=day)  # fmt: skip
    subcontractor_ids = subcontracts.values("subcontractor_id")
    providers = Provider.objects.filter(
        Q(contracts__pk__in=in_force) | Q(pk__in=subcontractor_ids)
    ).distinct().order_by("name")  # fmt: skip
    return providers, contractors

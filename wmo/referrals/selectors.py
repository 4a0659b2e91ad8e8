"""Reads: who may see which referral or case, and which providers fit a referral."""

import datetime

from districts.selectors import team_of
from providers.models import Provider
from wmo.accounts.roles import CM, has_role

from .contracts import contracts_in_force
from .models import BuurtteamCase, Referral


def sees_everything(user) -> bool:
    return getattr(user, "is_superuser", False) or has_role(user, CM)


def referrals_for(user):
    return Referral.objects.visible_to(user)


def referral_details_for(user, *joined: str):
    """referrals_for(user), with what a referral's page and API answer show read along."""
    return referrals_for(user).with_details(*joined)


def cases_for(user):
    if sees_everything(user):
        return BuurtteamCase.objects.all()
    team = team_of(user)
    return BuurtteamCase.objects.filter(buurtteam=team) if team else BuurtteamCase.objects.none()


def contracted_providers(service_type, district, day: datetime.date, provider=None):
    """(providers, contractors) for the form's choice lists: who may deliver this voorziening in
    this wijk (`None`: any wijk) on `day` and who holds those contracts — with `provider`, only
    the contract holders that provider delivers for. The rule itself is `contracts`; without
    any contract data for the voorziening, every active provider."""
    in_force = contracts_in_force(service_type, district, day)
    if not in_force.has_data:
        active = Provider.objects.filter(active=True).order_by("name")
        return active, active
    contractor_ids = in_force.contractor_ids
    delivering_ids = contractor_ids | set(
        in_force.subcontracts().values_list("subcontractor_id", flat=True)
    ) if in_force.contractor_of else set()  # fmt: skip
    if provider is not None and provider.pk in delivering_ids:
        contractor_ids = set(in_force.holders_for(provider))
    providers = Provider.objects.filter(pk__in=delivering_ids).order_by("name")
    contractors = Provider.objects.filter(pk__in=contractor_ids).order_by("name")
    return providers, contractors


def successor_for(referral, user) -> tuple[Referral | None, bool]:
    """(the referral that follows `referral` if `user` may see it, whether one follows at all):
    another team's successor is only said to exist, not named (as services.previous_referral
    answers the registration form), so a page cannot reveal another team's record."""
    seen = referrals_for(user).filter(previous_id=referral.pk).only("external_id").first()
    if seen is not None:
        return seen, True
    return None, Referral.objects.filter(previous_id=referral.pk).exists()

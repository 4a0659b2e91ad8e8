from django.db.models import Prefetch

from .models import Buurtteam, District, DistrictPopulation, TeamMembership


def districts_with_teams():
    return District.objects.prefetch_related(
        Prefetch("buurtteams", queryset=Buurtteam.objects.order_by("code")),
        Prefetch("populations", queryset=DistrictPopulation.objects.order_by("year")),
    )


def team_of(user) -> Buurtteam | None:
    """The buurtteam a worker belongs to, or None (contract managers, council members)."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = (
        TeamMembership.objects.select_related("buurtteam__district").filter(user=user).first()
    )
    return membership.buurtteam if membership else None

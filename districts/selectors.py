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
    # Read once per request: the user object lives as long as the request does.
    if not hasattr(user, "_wmo_team"):
        membership = (
            TeamMembership.objects.select_related("buurtteam__district").filter(user=user).first()
        )
        user._wmo_team = membership.buurtteam if membership else None
    return user._wmo_team

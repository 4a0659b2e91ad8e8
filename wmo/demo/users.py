"""One demo login per role, for the embedded default only."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from districts.models import Buurtteam, TeamMembership
from wmo.accounts.roles import Role


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str | None
    description: str
    team_code: str | None = None


DEMO_LOGINS = [
    DemoLogin("accounthouder", "Utrecht-accounthouder-2027", Role.CONTRACT_MANAGER,
              "Accounthouder (contractmanager): alles beheren en alle dashboards"),
    DemoLogin("buurtteam", "Utrecht-buurtteam-2027", Role.BUURTTEAM_WORKER,
              "Buurtteammedewerker van BT05 Buurtteam Overvecht 1", team_code="BT05"),
    DemoLogin("raadslid", "Utrecht-raadslid-2027", Role.COUNCIL_MEMBER,
              "Raadslid: alleen lezen, alleen geaggregeerde cijfers"),
    DemoLogin("beheerder", "Utrecht-beheerder-2027", None, "Functioneel beheerder (superuser)"),
]  # fmt: skip


@transaction.atomic
def ensure_demo_users() -> list[tuple[DemoLogin, bool]]:
    """Create the demo logins that are missing: (login, created). An existing one is left as
    it is, so a password, role or team a user changed survives the next start."""
    User = get_user_model()
    result = []
    for login in DEMO_LOGINS:
        user, created = User.objects.get_or_create(username=login.username)
        result.append((login, created))
        if not created:
            continue
        user.set_password(login.password)
        user.is_superuser = login.role is None
        user.is_staff = login.role is None
        user.save()
        if login.role:
            user.groups.set([Group.objects.get(name=login.role)])
        if login.team_code:
            TeamMembership.objects.update_or_create(
                user=user, defaults={"buurtteam": Buurtteam.objects.get(code=login.team_code)}
            )
    return result

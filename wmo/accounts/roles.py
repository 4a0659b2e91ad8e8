"""The three roles are Django groups; this module names them and says who may do what.

Every page and API view asks `has_capability(user, "<capability>")`, so the access rules of the
whole application are this one table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CONTRACT_MANAGER = "contract_manager", _("Accounthouder")
    BUURTTEAM_WORKER = "buurtteam_worker", _("Buurtteammedewerker")
    COUNCIL_MEMBER = "council_member", _("Raadslid")


CM, BW, CO = Role.CONTRACT_MANAGER, Role.BUURTTEAM_WORKER, Role.COUNCIL_MEMBER
EVERYONE = frozenset({CM, BW, CO})
STAFF = frozenset({CM})

# capability -> roles that hold it. Superusers hold every capability.
CAPABILITIES: dict[str, frozenset[str]] = {
    "home.view": EVERYONE,
    "districts.view": EVERYONE,
    "districts.change": STAFF,
    "service_types.view": EVERYONE,
    "service_types.change": STAFF,
    # wmo/catalogue/: the dated norms and targets. Contract managers add values; council members
    # read them (they judge the dashboards by them); buurtteam workers have no use for the page.
    "norms.view": frozenset({CM, CO}),
    "norms.change": STAFF,
    # The menu's link to the API documentation (the documentation itself is public): for the
    # roles whose work the API carries, writes included — contract managers keep the data,
    # buurtteam systems register referrals and cases. Council members read the same aggregates
    # on the dashboards and have no API task.
    "api_docs.view": frozenset({CM, BW}),
    # /healthz: everyone gets ok / niet ok; which check fails, and why, only staff.
    "health.details": STAFF,
    # Stored indicator values: everyone reads (council members suppressed); staff recompute.
    "indicators.view": EVERYONE,
    "indicators.exact": STAFF,
    "indicators.compute": STAFF,
    # procurement/: everyone reads the tender timeline and pages; contract managers edit.
    "procurement.view": EVERYONE,
    "procurement.change": STAFF,
    # providers/: buurtteam workers read the provider list (to refer); contracts, consortia and
    # the landscape are for contract managers (edit) and council members (read).
    "providers.view": EVERYONE,
    "providers.change": STAFF,
    "contracts.view": frozenset({CM, CO}),
    "contracts.change": STAFF,
    "landscape.view": frozenset({CM, CO}),
    # wmo/referrals/: person-level pages (pseudonymous); council members get none of them.
    # Buurtteam workers see and change their own team's records only (selectors.referrals_for).
    # `register` (page and API alike) is the buurtteam's: a referral or case belongs to the
    # team that registers it. `change` is the transitions (assign/start/end/cancel), for
    # contract managers and the registering team.
    "referrals.view": frozenset({CM, BW}),
    "referrals.change": frozenset({CM, BW}),
    "referrals.register": frozenset({BW}),
    "referrals.import": STAFF,
    # wmo/imports/: the jobs of uploaded files (progress, report) — every upload is staff's.
    "imports.view": STAFF,
    # The continuity monitor of the move to 2027 (TRANSITION.md): everyone sees counts (council
    # members and buurtteam workers with suppression); the list of unresolved clients is for
    # contract managers and, of their own team, buurtteam workers; exact counts are staff's.
    "transition.view": EVERYONE,
    "transition.list": frozenset({CM, BW}),
    "transition.exact": STAFF,
    # Referrals whose contractor had no contract in force on the referral date (imported
    # history): for the contract managers who keep the contract register.
    "referrals.without_contract": STAFF,
    "cases.view": frozenset({CM, BW}),
    "cases.change": frozenset({CM, BW}),
    "cases.register": frozenset({BW}),
    # wmo/quality/: survey responses and complaints name providers; contract managers only
    # (council members read the Kwaliteit indicators as aggregates on the dashboards).
    "quality.view": STAFF,
    "quality.change": STAFF,
    # indicators/dashboards/: the staff dashboard (exact figures, drill-down, recompute) is for
    # contract managers; the council dashboard (suppressed aggregates) for council members, and
    # contract managers may look at what the council sees.
    "dashboard.staff": STAFF,
    "dashboard.council": frozenset({CM, CO}),
    # indicators/reports/: budget vs realised spend is an aggregate the council may read; only
    # contract managers enter realisations. The organisation page for the quarterly conversation
    # is a contract-management instrument (staff only). The quarterly PDF: staff exact, council
    # members the suppressed version.
    "budget.view": frozenset({CM, CO}),
    "budget.change": STAFF,
    # wmo/finance/: spend bookings name contractors (commercial): contract managers only.
    "spend.view": STAFF,
    "spend.import": STAFF,
    "organisations.view": STAFF,
    "quarterly_report.view": frozenset({CM, CO}),
    # wmo/accounts/: the audit trail of person-level data (who saw or changed what) is read,
    # filtered and downloaded by contract managers only.
    "audit.view": STAFF,
}


def roles_of(user) -> frozenset[str]:
    """The user's roles, read once per request object (cached on the user instance)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_wmo_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(r for r in Role.values if r in names)
        user._wmo_roles = cached
    return cached


def has_role(user, role: str) -> bool:
    return role in roles_of(user)


def has_capability(user, capability: str) -> bool:
    if capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}: add it to CAPABILITIES")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(roles_of(user) & CAPABILITIES[capability])


def primary_role(user) -> str | None:
    """The role that decides the home page; superusers count as contract managers."""
    roles = roles_of(user)
    for role in (CM, BW, CO):
        if role in roles:
            return role
    if getattr(user, "is_superuser", False):
        return CM
    return None

"""The main navigation: each item names a URL and the capability needed to see it."""

import functools
from dataclasses import dataclass

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from .roles import has_capability


@dataclass(frozen=True)
class NavItem:
    label: str  # lazily translated
    url_name: str
    capability: str


NAVIGATION = [
    NavItem(_("Start"), "home", "home.view"),
    NavItem(_("Wijken"), "districts:list", "districts.view"),
    NavItem(_("Aanbieders"), "providers:provider-list", "providers.view"),
    NavItem(_("Contracten"), "providers:contract-list", "contracts.view"),
    NavItem(_("Landschap"), "providers:landscape", "landscape.view"),
    NavItem(_("Verwijzen"), "referrals:referral-create", "referrals.register"),
    NavItem(_("Casus registreren"), "referrals:case-create", "cases.register"),
    NavItem(_("Wachtlijst"), "referrals:waiting-list", "referrals.view"),
    NavItem(_("Casussen"), "referrals:case-list", "cases.view"),
    NavItem(_("Verwijzingen importeren"), "referrals:referral-import", "referrals.import"),
    NavItem(_("Importen"), "imports:job-list", "imports.view"),
    NavItem(_("Kwaliteit"), "quality:survey-list", "quality.view"),
    NavItem(_("Dashboard"), "dashboard:staff-overview", "dashboard.staff"),
    NavItem(_("Raadsdashboard"), "dashboard:council-overview", "dashboard.council"),
    NavItem(_("Overgang 2027"), "dashboard:transition", "transition.view"),
    NavItem(_("Aanbesteding"), "procurement:timeline", "procurement.view"),
    NavItem(_("Kwartaalgesprek"), "reports:organisation-list", "organisations.view"),
    NavItem(_("Kwartaalrapportage"), "reports:quarterly", "quarterly_report.view"),
    NavItem(_("Begroting"), "reports:budget", "budget.view"),
    NavItem(_("Uitgaven"), "finance:booking-list", "spend.view"),
    NavItem(_("Normen"), "catalogue:norm-list", "norms.view"),
    NavItem(_("Audittrail"), "accounts:audit-trail", "audit.view"),
    NavItem("API", "api-docs", "api_docs.view"),
]


@functools.cache
def _url(url_name: str, urlconf, prefix: str) -> str | None:
    # Every page draws the menu: reversing its names once per URLconf and prefix, not per
    # request, saves about a millisecond on each. The arguments are the whole of what the
    # result depends on.
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def items_for(user, current_path: str = ""):
    items = []
    urlconf, prefix = get_urlconf(), get_script_prefix()
    for item in NAVIGATION:
        if not has_capability(user, item.capability):
            continue
        url = _url(item.url_name, urlconf, prefix)
        if url is None:
            continue
        current = current_path == url or (url != "/" and current_path.startswith(url))
        items.append({"label": item.label, "url": url, "current": current})
    return items

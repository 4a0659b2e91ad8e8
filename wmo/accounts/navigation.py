"""The main navigation: each item names a URL and the capability needed to see it."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
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
    NavItem("Aanbieders", "providers:provider-list", "providers.view"),
    NavItem("Contracten", "providers:contract-list", "contracts.view"),
    NavItem("Landschap", "providers:landscape", "landscape.view"),
    NavItem("Verwijzen", "referrals:referral-create", "referrals.register"),
    NavItem("Casus registreren", "referrals:case-create", "cases.register"),
    NavItem("Wachtlijst", "referrals:waiting-list", "referrals.view"),
    NavItem("Verwijzingen importeren", "referrals:referral-import", "referrals.import"),
    NavItem("Kwaliteit", "quality:survey-list", "quality.view"),
    NavItem("Dashboard", "dashboard:staff", "dashboard.staff"),
    NavItem("Raadsdashboard", "dashboard:council", "dashboard.council"),
    NavItem("Aanbesteding", "procurement:timeline", "procurement.view"),
    NavItem("Kwartaalgesprek", "reports:organisation-list", "organisations.view"),
    NavItem("Kwartaalrapportage", "reports:quarterly", "quarterly_report.view"),
    NavItem("Begroting", "reports:budget", "budget.view"),
    NavItem("API", "api-docs", "api_docs.view"),
]


def items_for(user, current_path: str = ""):
    items = []
    for item in NAVIGATION:
        if not has_capability(user, item.capability):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = current_path == url or (url != "/" and current_path.startswith(url))
        items.append({"label": item.label, "url": url, "current": current})
    return items

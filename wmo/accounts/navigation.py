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
    # Other pages of the item's section whose URLs do not lie under its own (the dashboards'
    # menu items open their overviews; the full dashboards are a level above those).
    section: tuple[str, ...] = ()


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
    NavItem(_("Dashboard"), "dashboard:staff-overview", "dashboard.staff", ("dashboard:staff",)),
    NavItem(
        _("Raadsdashboard"),
        "dashboard:council-overview",
        "dashboard.council",
        ("dashboard:council",),
    ),
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
    """The user's menu items: label, url and `current`, which at most one item has:
    "page" for the item whose link is the current page, else "true" for the item of the section
    the page lies in (the longest item URL the path starts with: /verwijzingen/casussen/12/ is
    Casussen's, /verwijzingen/in-zorg/ the waiting list's), else False. A plain prefix match
    marked several items at once (/verwijzingen/ is a prefix of every referral page)."""
    items = []
    urlconf, prefix = get_urlconf(), get_script_prefix()
    section, section_length = None, 0
    for item in NAVIGATION:
        if not has_capability(user, item.capability):
            continue
        url = _url(item.url_name, urlconf, prefix)
        if url is None:
            continue
        entry = {"label": item.label, "url": url, "current": False}
        items.append(entry)
        for section_url in (url, *(_url(name, urlconf, prefix) for name in item.section)):
            within = section_url not in (None, "/") and current_path.startswith(section_url)
            if within and len(section_url) > section_length:
                section, section_length = entry, len(section_url)
    exact = next((entry for entry in items if entry["url"] == current_path), None)
    if exact is not None:
        exact["current"] = "page"
    elif section is not None:
        section["current"] = "true"
    return items

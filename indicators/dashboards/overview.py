"""The one-screen overview of both dashboards: per objective its headline figures, each tile
opening the objective's section of the full dashboard with the same period and filters."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ..selectors.headlines import headlines
from .forms import period_query
from .views import CouncilDashboardView, StaffDashboardView

# The query parameters the full dashboard reads: the tiles carry them over.
KEPT = ("periode", "kwartaal", "wijk", "voorziening", "aanbieder", "contractpartij")


class OverviewMixin:
    template_name = "indicators/dashboard/overview.html"
    detail_url_name = ""

    def get(self, request):
        form, period, filters = self.selection(request, timezone.localdate())
        detail = reverse(self.detail_url_name)
        if period is not None:
            query = urlencode({**period_query(period), **filters.as_query()})
        else:
            query = urlencode([(k, v) for k, v in request.GET.items() if k in KEPT and v])
        context = {
            "title": self.overview_title,
            "suppressed": self.suppressed,
            "period": period,
            "form": form,
            "page_url": reverse(self.overview_url_name),
            "detail_url": f"{detail}?{query}" if query else detail,
            "ignored": [name for name, value in (
                (_("voorziening"), filters.service), (_("aanbieder"), filters.provider),
                (_("contractpartij"), filters.contractor)) if value],
        }  # fmt: skip
        if period is not None:
            context["overview"] = headlines(period, filters, self.suppressed, names=self.names)
        return render(request, self.template_name, context)


class StaffOverviewView(OverviewMixin, StaffDashboardView):
    detail_url_name = "dashboard:staff"
    overview_url_name = "dashboard:staff-overview"
    overview_title = _("Overzicht stelselindicatoren")


class CouncilOverviewView(OverviewMixin, CouncilDashboardView):
    detail_url_name = "dashboard:council"
    overview_url_name = "dashboard:council-overview"
    overview_title = _("Overzicht voor de gemeenteraad")

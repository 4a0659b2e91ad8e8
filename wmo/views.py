from django.views.generic import TemplateView

from districts.selectors import team_of
from wmo.accounts.navigation import items_for
from wmo.accounts.permissions import CapabilityRequiredMixin
from wmo.accounts.roles import primary_role


class HomeView(CapabilityRequiredMixin, TemplateView):
    """Start page: what this role can do, and for a buurtteam worker their own team."""

    capability = "home.view"
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["role"] = primary_role(user)
        context["team"] = team_of(user)
        context["tasks"] = [item for item in items_for(user) if item["url"] != "/"]
        return context

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from wmo.accounts.permissions import CapabilityRequiredMixin

from .selectors import districts_with_teams


class DistrictListView(CapabilityRequiredMixin, ListView):
    capability = "districts.view"
    template_name = "districts/district_list.html"
    context_object_name = "districts"

    def get_queryset(self):
        return districts_with_teams()


class DistrictDetailView(CapabilityRequiredMixin, DetailView):
    capability = "districts.view"
    template_name = "districts/district_detail.html"
    context_object_name = "district"

    def get_object(self, queryset=None):
        return get_object_or_404(districts_with_teams(), code=self.kwargs["code"])

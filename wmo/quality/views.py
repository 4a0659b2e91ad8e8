"""Pages for contract managers: upload survey and complaint files, and browse the latest records."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from wmo.accounts.permissions import CapabilityRequiredMixin
from wmo.accounts.roles import has_capability
from wmo.imports.views import ImportUploadView

from .forms import QualityFilterForm
from .imports import ComplaintImporter, SurveyImporter
from .models import Complaint, SurveyResponse


class QualityListView(CapabilityRequiredMixin, ListView):
    capability = "quality.view"
    paginate_by = 50
    model = None
    page_title = ""
    kind = ""  # "ervaringen" or "klachten": the tab and template

    def get_queryset(self):
        self.filter_form = QualityFilterForm(self.request.GET or None)
        queryset = self.model.objects.select_related("district", "service_type", "provider")
        if self.model is SurveyResponse:
            queryset = queryset.select_related("team")
        return self.filter_form.filter(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(page_title=self.page_title, filter_form=self.filter_form, kind=self.kind,
                       querystring=query.urlencode(),
                       can_change=has_capability(self.request.user, "quality.change"))  # fmt: skip
        return context


class SurveyListView(QualityListView):
    model = SurveyResponse
    template_name = "quality/survey_list.html"
    page_title = _("Ervaringen (Ervaringwijzer)")
    kind = "ervaringen"


class ComplaintListView(QualityListView):
    model = Complaint
    template_name = "quality/complaint_list.html"
    page_title = _("Klachten")
    kind = "klachten"


class QualityImportView(ImportUploadView):
    capability = "quality.change"
    template_name = "quality/import.html"
    importer_class = SurveyImporter
    kind = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind  # the tab that is current
        return context


class SurveyImportView(QualityImportView):
    importer_class = SurveyImporter
    page_title = _("Ervaringen (Ervaringwijzer) uploaden")
    kind = "ervaringen"


class ComplaintImportView(QualityImportView):
    importer_class = ComplaintImporter
    page_title = _("Klachten uploaden")
    kind = "klachten"

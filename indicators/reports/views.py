"""Pages of indicators/reports: thin views over budget.py, organisation.py and quarterly.py."""

import datetime
from itertools import chain

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from providers.models import Provider
from wmo import downloads
from wmo.accounts.permissions import CapabilityRequiredMixin
from wmo.accounts.roles import has_capability
from wmo.periods import Quarter
from wmo.periods.web import period_from_query

from .. import selectors
from ..selectors.charts import chart_payload
from . import budget, organisation, quarterly
from .formatting import nl_number

# --- budget and realised spend -------------------------------------------------------------------


class BudgetView(CapabilityRequiredMixin, TemplateView):
    capability = "budget.view"
    template_name = "indicators/reports/budget.html"

    def render_to_response(self, context, **kwargs):
        return super().render_to_response(context, status=400 if context["year_error"] else 200)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = budget.budget_years()
        year, error = budget.chosen_year(self.request.GET.get("jaar"), years,
                                         datetime.date.today())  # fmt: skip
        chart = selectors.budget_chart(year) if year else None
        context.update(rows=budget.budget_rows(years), years=years, year=year, year_error=error,
                       chart=chart, charts=chart_payload([chart] if chart else []),
                       can_import=has_capability(self.request.user, "spend.import"))  # fmt: skip
        return context


class BudgetExportView(CapabilityRequiredMixin, View):
    capability = "budget.view"
    fmt = "csv"

    def get(self, request, *args, **kwargs):
        rows = budget.budget_rows()
        return downloads.table_response(
            self.fmt,
            chain([budget.EXPORT_HEADER], budget.export_rows(rows)),
            name=("begroting_realisatie",),
            sheet_title="Begroting en realisatie",
        )


# --- organisation page ---------------------------------------------------------------------------


def _quarter_choice(request, quarters):
    """The quarter from ?kwartaal=, else the default; plus an error text for a bad value."""
    default = organisation.default_quarter(quarters, datetime.date.today())
    return period_from_query(request.GET, "kwartaal", Quarter, default)


class OrganisationListView(CapabilityRequiredMixin, TemplateView):
    capability = "organisations.view"
    template_name = "indicators/reports/organisation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quarters = selectors.stored_quarters()
        quarter, error = _quarter_choice(self.request, quarters)
        context.update(
            quarter=quarter, quarters=quarters, quarter_error=error,
            choices=organisation.organisation_choices(quarter),
        )  # fmt: skip
        return context


class OrganisationMixin(CapabilityRequiredMixin):
    capability = "organisations.view"

    def get_report(self):
        level = organisation.LEVELS.get(self.kwargs["niveau"])
        if level is None:
            raise Http404("Kies 'aanbieder' of 'contractpartij'.")
        provider = get_object_or_404(Provider, agb_code=self.kwargs["agb_code"])
        quarters = selectors.stored_quarters()
        quarter, error = _quarter_choice(self.request, quarters)
        report = organisation.organisation_report(provider, level, quarter)
        return report, quarters, error


class OrganisationView(OrganisationMixin, TemplateView):
    template_name = "indicators/reports/organisation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, quarters, error = self.get_report()
        context.update(
            report=report, quarters=quarters, quarter_error=error, niveau=self.kwargs["niveau"],
            contract_value_text=nl_number(report.contract_value),
            contract_lines=[
                {**vars(line), "value_text": nl_number(line.value)} for line in report.contracts
            ],
        )  # fmt: skip
        return context


class OrganisationExportView(OrganisationMixin, View):
    fmt = "csv"

    def get(self, request, *args, **kwargs):
        report, _, _ = self.get_report()
        agb_code, quarter = report.provider.agb_code, report.quarter
        return downloads.table_response(
            self.fmt,
            chain([organisation.EXPORT_HEADER], organisation.export_rows(report)),
            name=("organisatie", agb_code, self.kwargs["niveau"], quarter),
            sheet_title=f"{agb_code} {quarter}",
        )


# --- quarterly report ---------------------------------------------------------------------------


class QuarterlyReportView(CapabilityRequiredMixin, TemplateView):
    capability = "quarterly_report.view"
    template_name = "indicators/reports/quarterly.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quarters = selectors.stored_quarters()
        quarter, error = _quarter_choice(self.request, quarters)
        context.update(
            quarter=quarter, quarters=quarters, quarter_error=error,
            suppressed=not has_capability(self.request.user, "indicators.exact"),
        )  # fmt: skip
        return context


class QuarterlyReportPdfView(CapabilityRequiredMixin, View):
    """The PDF: exact for staff, suppressed for council members. `council_version` serves the
    suppressed one to everyone: what a contract manager sends to the council."""

    capability = "quarterly_report.view"
    council_version = False

    def get(self, request, *args, **kwargs):
        quarter = self.kwargs["quarter"]  # a Quarter: the URL converter parsed it
        suppressed = self.council_version or not has_capability(request.user, "indicators.exact")
        try:
            pdf = quarterly.render_pdf(quarter, suppressed=suppressed)
        except quarterly.NoValues as error:
            raise Http404(str(error)) from None
        name = downloads.download_name("kwartaalrapportage", quarter, "raad" if suppressed else None,
                                       ext="pdf")  # fmt: skip
        return downloads.pdf_response(pdf, name)

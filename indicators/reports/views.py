"""Pages of indicators/reports: thin views over budget.py, organisation.py and quarterly.py."""

import datetime
from itertools import chain

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from providers.models import Provider
from wmo import downloads
from wmo.accounts.permissions import CapabilityRequiredMixin
from wmo.accounts.roles import has_capability
from wmo.periods import Quarter
from wmo.periods.web import period_from_query

from .. import budget_lines, selectors
from ..selectors.charts import chart_payload
from . import budget, organisation, quarterly
from .formatting import nl_number
from .forms import AddYearForm, BudgetLineForm, version_field

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
                       deficits=budget.deficit_rows(years),
                       can_edit=has_capability(self.request.user, "budget.change"),
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


class BudgetLinesView(CapabilityRequiredMixin, TemplateView):
    """The budget table as data: every line per year and structural, a form per line, adding
    the next year, and the history of changes. Contract managers only."""

    capability = "budget.change"
    template_name = "indicators/reports/budget_lines.html"
    HISTORY_SHOWN = 200

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        columns, rows = budget_lines.table()
        context.setdefault("year_form", AddYearForm(initial={"jaar": budget_lines.next_year()}))
        context.update(
            columns=[budget_lines.year_label(year) for year in columns], rows=rows,
            history=budget_lines.history(self.HISTORY_SHOWN), next_year=budget_lines.next_year(),
            last_year=budget_lines.LAST_YEAR,
        )  # fmt: skip
        return context


class BudgetYearAddView(BudgetLinesView):
    """POST only: add the next year from the structural values; a refusal re-renders the page
    with the error and nothing written."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = AddYearForm(request.POST)
        if form.is_valid():
            year = form.cleaned_data["jaar"]
            try:
                changes = budget_lines.add_year(year, request.user)
            except budget_lines.BudgetLineError as exc:
                form.refused(exc)
                status = 409 if exc.conflict else 400
            else:
                messages.success(request, _("%(year)s is toegevoegd met de structurele bedragen "
                                            "(%(count)s regels).") % {
                    "year": year, "count": len(changes)})  # fmt: skip
                return HttpResponseRedirect(reverse("reports:budget-lines"))
        else:
            status = 400
        return self.render_to_response(self.get_context_data(year_form=form), status=status)


class BudgetLineEditView(CapabilityRequiredMixin, TemplateView):
    capability = "budget.change"
    template_name = "indicators/reports/budget_line_form.html"

    @cached_property
    def row(self):
        objective, line = self.kwargs["objective"], self.kwargs["line"]
        if budget_lines.check_line(objective, line):
            raise Http404
        return budget_lines.table_row(objective, line)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", BudgetLineForm(self.row))
        context.update(row=self.row, page_title=_("Begrotingsregel wijzigen: %(label)s")
                       % {"label": self.row.label})  # fmt: skip
        return context

    def post(self, request, *args, **kwargs):
        form = BudgetLineForm(self.row, request.POST)
        status = 400
        if form.is_valid():
            amounts, versions = form.amounts()
            try:
                changes = budget_lines.change_line(self.row.objective, self.row.line, amounts,
                                                   versions, request.user)  # fmt: skip
            except budget_lines.BudgetLineError as exc:
                form.refused(exc)
                if exc.conflict:
                    status = 409
                    # Keep the input, now on the current versions: saving again applies it.
                    form.data = form.data.copy()
                    for cell in budget_lines.table_row(self.row.objective, self.row.line).cells:
                        form.data[version_field(cell.year)] = str(cell.version)
            else:
                if changes:
                    messages.success(request, _("Opgeslagen: %(count)s bedrag(en) gewijzigd.")
                                     % {"count": len(changes)})  # fmt: skip
                else:
                    messages.info(request, _("Niets gewijzigd: de bedragen waren al zo."))
                return HttpResponseRedirect(reverse("reports:budget-lines"))
        return self.render_to_response(self.get_context_data(form=form), status=status)


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
        report, _, error = self.get_report()
        if error:
            return downloads.refused([error])
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

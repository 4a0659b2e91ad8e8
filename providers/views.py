"""Pages: thin views over selectors/services; every rule lives in the models."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import DetailView, ListView, TemplateView, View
from django.views.generic.edit import CreateView, UpdateView

from wmo import downloads
from wmo.accounts.permissions import CapabilityRequiredMixin
from wmo.accounts.roles import has_capability
from wmo.imports.views import ImportUploadView
from wmo.versions import StaleVersion, save_versioned

from . import forms as provider_forms
from .imports import ProviderImporter
from .models import (
    Consortium,
    Contract,
    ContractOption,
    ContractValue,
    DistrictTeam,
    Provider,
    ProviderSize,
    Subcontract,
)
from .selectors import (
    consortia_with_members,
    contract_detail,
    contracts_for_table,
    providers_filtered,
)
from .services import (
    annual_values,
    contract_structure,
    contract_timeline,
    coverage_check,
    landscape_comparison,
    provider_sizes,
)

# --- providers ---------------------------------------------------------------------------------


class ProviderListView(CapabilityRequiredMixin, ListView):
    capability = "providers.view"
    template_name = "providers/provider_list.html"
    context_object_name = "providers"
    paginate_by = 50

    def get_queryset(self):
        self.year = datetime.date.today().year
        self.filter_form = provider_forms.ProviderFilterForm(self.request.GET or None)
        params = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return providers_filtered(params, self.year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["providers"])
        sizes = provider_sizes(self.year, page)
        for provider in page:
            provider.size = sizes.get(provider.id)
            provider.size_label = ProviderSize(provider.size).label if provider.size else ""
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            providers=page,
            filter_form=self.filter_form,
            year=self.year,
            querystring=query.urlencode(),
            can_change=has_capability(self.request.user, "providers.change"),
        )
        return context


class ProviderDetailView(CapabilityRequiredMixin, DetailView):
    capability = "providers.view"
    template_name = "providers/provider_detail.html"
    context_object_name = "provider"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Provider.objects.prefetch_related("target_groups", "districts"),
            agb_code=self.kwargs["agb_code"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        provider = self.object
        year = datetime.date.today().year
        value = annual_values(year, [provider.id]).get(provider.id)
        size = provider_sizes(year, [provider])[provider.id]
        context.update(
            year=year,
            annual_value=value,
            size_label=ProviderSize(size).label,
            contracts=contracts_for_table().filter(contractor=provider),
            subcontracts=provider.subcontracts.select_related("contract__contractor")
            .prefetch_related("districts", "service_types")
            .order_by("-start_date"),
            district_teams=provider.district_teams.select_related("contract", "district"),
            consortia=provider.consortia.all(),
            can_change=has_capability(self.request.user, "providers.change"),
            can_view_contracts=has_capability(self.request.user, "contracts.view"),
        )
        return context


class FormPageMixin(CapabilityRequiredMixin):
    """Create/update pages share one template: title, the form, a cancel link."""

    template_name = "providers/form.html"
    page_title = ""
    success_message = gettext_lazy("Opgeslagen.")

    def get_page_title(self):
        return self.page_title

    def get_cancel_url(self):
        return self.get_success_url()

    # An edit page links to the record's removal page (removal_views.py) when this names it.
    remove_url_name = ""

    def remove_args(self, record) -> list:
        return [record.pk]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(page_title=self.get_page_title(), cancel_url=self.get_cancel_url())
        record = getattr(self, "object", None)
        if record is not None and record.pk and self.remove_url_name:
            context["remove_url"] = reverse(self.remove_url_name, args=self.remove_args(record))
            context["remove_label"] = capfirst(gettext("%(part)s verwijderen") % {
                "part": record._meta.verbose_name})  # fmt: skip
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, self.success_message)
        return response


class VersionCheckedMixin:
    """Create and update pages of Versioned records save through wmo.versions.save_versioned. A
    save based on an outdated version is refused with 409: the page names who changed the
    record and when, lists what is stored now where the user's input differs, and keeps that
    input in the form, now carrying the current version, so that saving again applies it."""

    def form_valid(self, form):
        instance = form.instance
        try:
            self.object = save_versioned(type(instance), instance.pk,
                                         form.cleaned_data.get("version"), self.request.user,
                                         form.save_with)  # fmt: skip
        except StaleVersion as exc:
            context = self.get_context_data(form=form, **form.refused_context(exc))
            return self.render_to_response(context, status=409)
        messages.success(self.request, self.get_success_message())
        return HttpResponseRedirect(self.get_success_url())

    def get_success_message(self):
        return self.success_message


class ProviderCreateView(VersionCheckedMixin, FormPageMixin, CreateView):
    capability = "providers.change"
    form_class = provider_forms.ProviderForm
    page_title = gettext_lazy("Nieuwe aanbieder")
    success_message = gettext_lazy("De aanbieder is opgeslagen.")

    def get_success_url(self):
        if self.object:
            return reverse("providers:provider-detail", args=[self.object.agb_code])
        return reverse("providers:provider-list")

    def get_cancel_url(self):
        return reverse("providers:provider-list")


class ProviderUpdateView(VersionCheckedMixin, FormPageMixin, UpdateView):
    capability = "providers.change"
    form_class = provider_forms.ProviderForm
    success_message = gettext_lazy("De aanbieder is opgeslagen.")
    remove_url_name = "providers:provider-remove"

    def get_object(self, queryset=None):
        return get_object_or_404(Provider, agb_code=self.kwargs["agb_code"])

    def remove_args(self, record) -> list:
        return [record.agb_code]

    def get_page_title(self):
        return gettext("Aanbieder %(name)s wijzigen") % {"name": self.object.name}

    def get_success_url(self):
        return reverse("providers:provider-detail", args=[self.object.agb_code])


class ProviderImportView(ImportUploadView):
    capability = "providers.change"
    template_name = "providers/import.html"
    importer_class = ProviderImporter
    page_title = gettext_lazy("Aanbieders importeren")


# --- consortia ----------------------------------------------------------------------------------


class ConsortiumListView(CapabilityRequiredMixin, ListView):
    capability = "contracts.view"
    template_name = "providers/consortium_list.html"
    context_object_name = "consortia"

    def get_queryset(self):
        return consortia_with_members()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = has_capability(self.request.user, "contracts.change")
        return context


class ConsortiumCreateView(VersionCheckedMixin, FormPageMixin, CreateView):
    capability = "contracts.change"
    form_class = provider_forms.ConsortiumForm
    page_title = gettext_lazy("Nieuw samenwerkingsverband")
    success_message = gettext_lazy("Het samenwerkingsverband is opgeslagen.")

    def get_success_url(self):
        return reverse("providers:consortium-list")


class ConsortiumUpdateView(VersionCheckedMixin, FormPageMixin, UpdateView):
    capability = "contracts.change"
    form_class = provider_forms.ConsortiumForm
    model = Consortium
    success_message = gettext_lazy("Het samenwerkingsverband is opgeslagen.")
    remove_url_name = "providers:consortium-remove"

    def get_page_title(self):
        return gettext("Samenwerkingsverband %(name)s wijzigen") % {"name": self.object.name}

    def get_success_url(self):
        return reverse("providers:consortium-list")


# --- contracts ----------------------------------------------------------------------------------


class ContractListView(CapabilityRequiredMixin, ListView):
    capability = "contracts.view"
    template_name = "providers/contract_list.html"
    context_object_name = "contracts"

    def get_queryset(self):
        queryset = contracts_for_table().order_by("-start_date", "reference")
        self.day = None
        raw = self.request.GET.get("peildatum", "")
        if raw:
            try:
                self.day = datetime.date.fromisoformat(raw)
            except ValueError:
                self.day = None
        if self.day:
            return queryset.in_force_on(self.day)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            day=self.day,
            can_change=has_capability(self.request.user, "contracts.change"),
        )
        return context


class ContractMixin:
    """Pages under /contracten/<pk>/ load the contract once."""

    def get_contract(self):
        if not hasattr(self, "_contract"):
            try:
                self._contract = contract_detail(self.kwargs["pk"])
            except Contract.DoesNotExist:
                raise Http404("Dit contract bestaat niet.") from None
        return self._contract


class ContractDetailView(CapabilityRequiredMixin, ContractMixin, TemplateView):
    capability = "contracts.view"
    template_name = "providers/contract_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.get_contract()
        context.update(
            contract=contract,
            timeline=contract_timeline(contract),
            warnings=coverage_check(contract),
            can_change=has_capability(self.request.user, "contracts.change"),
        )
        return context


class ContractStructureView(CapabilityRequiredMixin, ContractMixin, TemplateView):
    capability = "contracts.view"
    template_name = "providers/contract_structure.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.get_contract()
        context.update(
            contract=contract,
            structure=contract_structure(contract),
            can_change=has_capability(self.request.user, "contracts.change"),
        )
        return context


class ContractCreateView(VersionCheckedMixin, FormPageMixin, CreateView):
    capability = "contracts.change"
    form_class = provider_forms.ContractForm
    page_title = gettext_lazy("Nieuw contract")
    success_message = gettext_lazy("Het contract is opgeslagen.")

    def get_success_url(self):
        if self.object:
            return reverse("providers:contract-detail", args=[self.object.pk])
        return reverse("providers:contract-list")

    def get_cancel_url(self):
        return reverse("providers:contract-list")


class ContractUpdateView(VersionCheckedMixin, FormPageMixin, UpdateView):
    capability = "contracts.change"
    form_class = provider_forms.ContractForm
    model = Contract
    success_message = gettext_lazy("Het contract is opgeslagen.")
    remove_url_name = "providers:contract-remove"

    def get_page_title(self):
        return gettext("Contract %(reference)s wijzigen") % {"reference": self.object.reference}

    def get_success_url(self):
        return reverse("providers:contract-detail", args=[self.object.pk])


class ContractChildMixin(ContractMixin, FormPageMixin):
    """Create/update a record that belongs to a contract (value, option, subcontract, team)."""

    capability = "contracts.change"
    model = None
    success_url_name = "providers:contract-detail"
    # The page titles; %(part)s is the model's name (lower case), the title starts upper case.
    titles = {"create": gettext_lazy("%(part)s toevoegen — %(contract)s"),
              "update": gettext_lazy("%(part)s wijzigen — %(contract)s")}  # fmt: skip

    def get_object(self, queryset=None):
        return get_object_or_404(self.model, pk=self.kwargs["child"], contract_id=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "instance" in kwargs and kwargs["instance"] is None:  # a ModelForm creating one
            # The contract is set before validation, so the model's rules can see it.
            kwargs["instance"] = self.model(contract=self.get_contract())
        return kwargs

    def title(self, kind: str) -> str:
        return capfirst(self.titles[kind] % {"part": self.model._meta.verbose_name,
                                             "contract": self.get_contract().reference})  # fmt: skip

    def get_page_title(self):
        return self.title("update" if getattr(self, "object", None) else "create")

    def remove_args(self, record) -> list:
        return [self.kwargs["pk"], record.pk]

    def get_success_url(self):
        return reverse(self.success_url_name, args=[self.kwargs["pk"]])


class ContractValueCreateView(VersionCheckedMixin, ContractChildMixin, CreateView):
    model = ContractValue
    form_class = provider_forms.ContractValueForm
    success_message = gettext_lazy("De jaarwaarde is opgeslagen.")


class ContractValueUpdateView(VersionCheckedMixin, ContractChildMixin, UpdateView):
    model = ContractValue
    form_class = provider_forms.ContractValueForm
    success_message = gettext_lazy("De jaarwaarde is opgeslagen.")
    remove_url_name = "providers:value-remove"


class ContractOptionCreateView(VersionCheckedMixin, ContractChildMixin, CreateView):
    model = ContractOption
    form_class = provider_forms.ContractOptionForm
    success_message = gettext_lazy("De contractoptie is opgeslagen.")


class ContractOptionUpdateView(VersionCheckedMixin, ContractChildMixin, UpdateView):
    model = ContractOption
    form_class = provider_forms.ContractOptionForm
    success_message = gettext_lazy("De contractoptie is opgeslagen.")
    remove_url_name = "providers:option-remove"


class SubcontractCreateView(VersionCheckedMixin, ContractChildMixin, CreateView):
    model = Subcontract
    form_class = provider_forms.SubcontractForm
    success_message = gettext_lazy("De onderaanneming is opgeslagen.")
    success_url_name = "providers:contract-structure"


class SubcontractUpdateView(VersionCheckedMixin, ContractChildMixin, UpdateView):
    model = Subcontract
    form_class = provider_forms.SubcontractForm
    success_message = gettext_lazy("De onderaanneming is opgeslagen.")
    success_url_name = "providers:contract-structure"
    remove_url_name = "providers:subcontract-remove"


class DistrictTeamCreateView(VersionCheckedMixin, ContractChildMixin, CreateView):
    model = DistrictTeam
    form_class = provider_forms.DistrictTeamForm
    success_message = gettext_lazy("Het wijkteam is opgeslagen.")
    success_url_name = "providers:contract-structure"


class DistrictTeamUpdateView(VersionCheckedMixin, ContractChildMixin, UpdateView):
    model = DistrictTeam
    form_class = provider_forms.DistrictTeamForm
    success_message = gettext_lazy("Het wijkteam is opgeslagen.")
    success_url_name = "providers:contract-structure"
    remove_url_name = "providers:team-remove"


# --- landscape ----------------------------------------------------------------------------------


class LandscapeMixin(CapabilityRequiredMixin):
    capability = "landscape.view"

    def get_dates(self):
        form = provider_forms.LandscapeForm(self.request.GET or None)
        first = form.fields["datum1"].initial
        second = form.fields["datum2"].initial
        if form.is_bound and form.is_valid():
            first, second = form.cleaned_data["datum1"], form.cleaned_data["datum2"]
        elif not form.is_bound:
            form = provider_forms.LandscapeForm(initial={"datum1": first, "datum2": second})
        return form, first, second


class LandscapeView(LandscapeMixin, TemplateView):
    template_name = "providers/landscape.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, first, second = self.get_dates()
        context.update(
            form=form, first=first, second=second, rows=landscape_comparison(first, second)
        )
        return context


class LandscapeExportView(LandscapeMixin, View):
    """The compared table as CSV or XLSX, for the same two dates as the page."""

    fmt = "csv"

    def get(self, request, *args, **kwargs):
        _, first, second = self.get_dates()
        return downloads.table_response(
            self.fmt, landscape_rows(first, second),
            name=("landschap", first.isoformat(), second.isoformat()),
            sheet_title="Landschap per wijk",
        )  # fmt: skip


def landscape_rows(first, second):
    yield ["peildatum", "wijkcode", "wijk", "organisaties", "klein_of_bewonersorg", "klein",
           "bewonersorg", "aandeel_klein_of_bewonersorg_pct"]  # fmt: skip
    rows = landscape_comparison(first, second)
    for day, key in ((first, "first"), (second, "second")):
        for row in rows:
            figures = row[key]
            yield [day, figures.district.code if figures.district else "GM0344", figures.label,
                   figures.organisations, figures.small_or_resident, figures.small,
                   figures.resident, figures.share]  # fmt: skip

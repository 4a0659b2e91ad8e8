"""Pages that remove a record after confirmation: providers, consortia, contracts and a
contract's values, options, subcontracts and wijkteams. Each shows what is stored, and what
goes with it (a contract's parts: removal_outlook), and removes it through
wmo.versions.delete_versioned, so the removal is refused when someone changed the record since
the page was opened (the page then shows the record as it is now, to confirm again) or when
the record's own rules keep it (`removal_refusal`, or other records referring to it): said
before the button, which is then left out."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from django.views.generic.edit import FormView

from wmo.versions import RemovalRefused, StaleVersion, delete_versioned, removal_outlook

from . import forms as provider_forms
from .models import (
    Consortium,
    Contract,
    ContractOption,
    ContractValue,
    DistrictTeam,
    Provider,
    Subcontract,
)
from .views import ContractChildMixin, FormPageMixin


class RemovalView(FormPageMixin, FormView):
    """The confirmation page and the removal. A subclass names the model, the edit form whose
    fields the page lists (`edit_form_class`), how the record is found (`get_object`) and
    where the user goes next (`get_success_url`, `get_cancel_url`: the edit page)."""

    template_name = "providers/remove.html"
    form_class = provider_forms.RemovalForm
    model = None
    edit_form_class = None
    page_title_pattern = gettext_lazy("%(part)s %(name)s verwijderen")
    key_kwarg = "pk"  # the URL's name for the record

    def get_record(self):
        if not hasattr(self, "_record"):
            self._record = self.get_object()
        return self._record

    def get_page_title(self):
        record = self.get_record()
        return capfirst(self.page_title_pattern % {"part": record._meta.verbose_name,
                                                   "name": record})  # fmt: skip

    def get_initial(self):
        return {"version": self.get_record().version}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.get_record()
        # A refusal the removal itself met (409) stands for what the page would say.
        refusal, also = ((kwargs["refusal"], None) if kwargs.get("refusal")
                         else removal_outlook(record))  # fmt: skip
        context.update(record=record, summary=self.edit_form_class(instance=record).summary(),
                       refusal=refusal, also=also)  # fmt: skip
        return context

    def post(self, request, *args, **kwargs):
        try:
            self.get_record()
        except Http404:
            # Removed by someone else after this page was opened: what the user wanted is done.
            gone = StaleVersion(self.model, kwargs[self.key_kwarg], None)
            messages.warning(request, str(gone))
            return HttpResponseRedirect(self.get_success_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        record = self.get_record()
        try:
            delete_versioned(self.model, record.pk, form.cleaned_data["version"])
        except StaleVersion as exc:
            if exc.current is None:
                messages.warning(self.request, str(exc))
                return HttpResponseRedirect(self.get_success_url())
            self._record = exc.current
            form = self.form_class(initial={"version": exc.current.version})
            context = self.get_context_data(form=form, conflict=str(exc))
            return self.render_to_response(context, status=409)
        except RemovalRefused as exc:
            context = self.get_context_data(form=form, refusal=str(exc))
            return self.render_to_response(context, status=409)
        messages.success(self.request, gettext("%(part)s %(name)s is verwijderd.") % {
            "part": capfirst(self.model._meta.verbose_name), "name": record})  # fmt: skip
        return HttpResponseRedirect(self.get_success_url())


class ProviderRemoveView(RemovalView):
    capability = "providers.change"
    model = Provider
    edit_form_class = provider_forms.ProviderForm
    key_kwarg = "agb_code"

    def get_object(self):
        return get_object_or_404(Provider, agb_code=self.kwargs["agb_code"])

    def get_cancel_url(self):
        return reverse("providers:provider-update", args=[self.kwargs["agb_code"]])

    def get_success_url(self):
        return reverse("providers:provider-list")


class ConsortiumRemoveView(RemovalView):
    capability = "contracts.change"
    model = Consortium
    edit_form_class = provider_forms.ConsortiumForm

    def get_object(self):
        return get_object_or_404(Consortium, pk=self.kwargs["pk"])

    def get_cancel_url(self):
        return reverse("providers:consortium-update", args=[self.kwargs["pk"]])

    def get_success_url(self):
        return reverse("providers:consortium-list")


class ContractRemoveView(RemovalView):
    """A contract entered by mistake, with its values, options, subcontracts and wijkteams (the
    page counts them first); a tender that led to it loses the link, nothing more."""

    capability = "contracts.change"
    model = Contract
    edit_form_class = provider_forms.ContractForm

    def get_object(self):
        return get_object_or_404(Contract, pk=self.kwargs["pk"])

    def get_cancel_url(self):
        return reverse("providers:contract-update", args=[self.kwargs["pk"]])

    def get_success_url(self):
        return reverse("providers:contract-list")


class ContractChildRemoveView(ContractChildMixin, RemovalView):
    """A contract's value, option, subcontract or wijkteam; back to the contract afterwards."""

    edit_url_name = ""
    key_kwarg = "child"
    titles = {"remove": gettext_lazy("%(part)s verwijderen — %(contract)s")}

    def get_page_title(self):
        return self.title("remove")

    def get_cancel_url(self):
        return reverse(self.edit_url_name, args=[self.kwargs["pk"], self.kwargs["child"]])


class ContractValueRemoveView(ContractChildRemoveView):
    model = ContractValue
    edit_form_class = provider_forms.ContractValueForm
    edit_url_name = "providers:value-update"


class ContractOptionRemoveView(ContractChildRemoveView):
    model = ContractOption
    edit_form_class = provider_forms.ContractOptionForm
    edit_url_name = "providers:option-update"


class SubcontractRemoveView(ContractChildRemoveView):
    model = Subcontract
    edit_form_class = provider_forms.SubcontractForm
    edit_url_name = "providers:subcontract-update"
    success_url_name = "providers:contract-structure"


class DistrictTeamRemoveView(ContractChildRemoveView):
    model = DistrictTeam
    edit_form_class = provider_forms.DistrictTeamForm
    edit_url_name = "providers:team-update"
    success_url_name = "providers:contract-structure"

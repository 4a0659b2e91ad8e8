"""Pages: register a referral or case, the waiting list, referral and case details, uploads.
Thin: the rules are in rules.py, services.py and selectors.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.generic import DetailView, FormView, ListView, View

from districts.selectors import team_of
from wmo import downloads
from wmo.accounts import audit
from wmo.accounts.permissions import CapabilityRequiredMixin
from wmo.accounts.roles import has_capability
from wmo.catalogue.norms import norms_on
from wmo.imports.views import ImportUploadView

from . import services
from .contracts import referrals_without_contract
from .forms import CaseForm, CaseStepForm, ReferralForm, TransitionForm, WaitingListFilterForm
from .imports import CaseImporter, ReferralImporter
from .models import Referral
from .selectors import (
    cases_for,
    referral_details_for,
    referrals_for,
    sees_everything,
    successor_for,
)
from .waiting import first_contact_wait, referral_wait, within_norm

REFERRAL_CHOICE_FIELDS = ("service_type", "provider", "contractor")

ACTIONS = {
    "toewijzen": ("assign", _("Toewijzen")),
    "starten": ("start", _("Start ondersteuning vastleggen")),
    "beeindigen": ("end", _("Beëindigen")),
    "annuleren": ("cancel", _("Annuleren")),
}


def _paging_query(request) -> str:
    """The list's query string without its page and download format: the pagination links add
    their own page, so a filter such as the cases' ?status=alle stays on every page."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("formaat", None)
    return query.urlencode()


def _copy_errors(form, error: ValidationError):
    """The service's errors at the form's fields: where a field is named otherwise than the
    service's key (`form.service_fields`), at that field, so it is marked invalid too."""
    aliases = getattr(form, "service_fields", {})
    for name, messages_ in getattr(error, "message_dict", {"__all__": error.messages}).items():
        name = aliases.get(name, name)
        for message in messages_:
            form.add_error(name if name in form.fields else None, message)


# The BSN stays out of error reports (the POST data and every local variable below the view,
# the form's cleaned data included), and a page that held one is not cached, so Back never
# shows a used form with its idempotency key.
PRIVATE_FORM = [sensitive_post_parameters("bsn"), sensitive_variables(), never_cache]


RESUBMITTED = _(
    "Dit formulier was al verstuurd, met andere gegevens. Er is niets opgeslagen: controleer de "
    "gegevens en klik opnieuw op Registreren om ze als nieuwe registratie vast te leggen."
)


@method_decorator(PRIVATE_FORM, name="dispatch")
class RegistrationView(CapabilityRequiredMixin, FormView):
    template_name = "referrals/register.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "team": team_of(self.request.user)}

    def refused(self, form, error: ValidationError):
        """The service's errors next to the fields; a reused key with other data gets a fresh
        key, so submitting again registers the corrected data as a new record."""
        if "idempotency_key" in getattr(error, "message_dict", {}):
            form.renew_idempotency_key()
            form.add_error(None, RESUBMITTED)
        else:
            _copy_errors(form, error)
        return self.form_invalid(form)


class RegisterReferralView(RegistrationView):
    capability = "referrals.register"
    form_class = ReferralForm
    extra_context = {"page_title": _("Verwijzing registreren")}

    def get(self, request, *args, **kwargs):
        if request.GET.get("keuzes"):
            return self.choices_response()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"].narrow_choices()
        context["choices_url"] = f"{self.request.path}?keuzes=1"
        return context

    def choices_response(self):
        """The choice lists for the dates and selections typed so far, so the page can narrow
        them while the worker fills the form; the service checks the choice again on submit."""
        form = ReferralForm(data=self.request.GET, team=team_of(self.request.user))
        form.narrow_choices()
        return JsonResponse({
            name: [{"value": str(value), "label": str(label)}
                   for value, label in form.fields[name].choices]
            for name in REFERRAL_CHOICE_FIELDS
        })  # fmt: skip

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            referral = services.register_referral(
                user=self.request.user, bsn=data["bsn"], district=data["district"],
                municipality=data["municipality"], service_type=data["service_type"],
                provider=data["provider"], contractor=data["contractor"],
                referral_date=data["referral_date"],
                group_based=data["group_based"], birth_year=data["birth_year"],
                team=team_of(self.request.user), idempotency_key=data["idempotency_key"],
                previous_id=data["previous_id"], pilot=data["pilot"],
            )  # fmt: skip
        except ValidationError as error:
            return self.refused(form, error)
        messages.success(
            self.request,
            gettext("Verwijzing %(external_id)s is geregistreerd.")
            % {"external_id": referral.external_id},
        )
        return redirect("referrals:referral-detail", referral.external_id)


class RegisterCaseView(RegistrationView):
    capability = "cases.register"
    form_class = CaseForm
    extra_context = {"page_title": _("Buurtteamcasus registreren")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            case = services.register_case(
                user=self.request.user, bsn=data["bsn"], district=data["district"],
                buurtteam=data["buurtteam"], registration_date=data["registration_date"],
                first_contact_date=data["first_contact_date"], closed_date=data["closed_date"],
                support_form=data["support_form"], birth_year=data["birth_year"],
                idempotency_key=data["idempotency_key"],
            )  # fmt: skip
        except ValidationError as error:
            return self.refused(form, error)
        messages.success(
            self.request,
            gettext("Casus %(external_id)s is geregistreerd.") % {"external_id": case.external_id},
        )
        return redirect("referrals:case-detail", case.external_id)


# --- waiting list --------------------------------------------------------------------------------

SORT_FIELDS = {
    "-wachtdagen": ["referral_date", "external_id"], "wachtdagen": ["-referral_date", "external_id"],
    "voorziening": ["service_type__name", "referral_date"],
    "aanbieder": ["provider__name", "referral_date"], "wijk": ["district__code", "referral_date"],
}  # fmt: skip
GROUPS = {
    "team": ("team", "team__code"), "wijk": ("district", "district__name"),
    "voorziening": ("service_type", "service_type__name"), "aanbieder": ("provider", "provider__name"),
}  # fmt: skip
EXPORT_HEADER = ["verwijzing", "client", "buurtteam", "wijk", "voorziening", "aanbieder",
                 "verwijsdatum", "status", "dagen_wachtend", "norm_dagen", "beoordeling"]  # fmt: skip


class WaitingListView(CapabilityRequiredMixin, ListView):
    """Referred, not started, not cancelled — per team, wijk, service and provider."""

    capability = "referrals.view"
    template_name = "referrals/waiting_list.html"
    paginate_by = 100

    def get_queryset(self):
        user = self.request.user
        own_team = None if sees_everything(user) else team_of(user)
        self.filter_form = WaitingListFilterForm(self.request.GET or None, own_team=own_team)
        queryset = referrals_for(user).waiting().with_details()
        sort = "-wachtdagen"
        self.group_by = ""
        if self.filter_form.is_bound and self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            self.group_by = data["groepeer"]
            lookups = {"team": data.get("team"), "district": data["wijk"],
                       "service_type": data["voorziening"], "provider": data["aanbieder"]}  # fmt: skip
            queryset = queryset.filter(**{k: v for k, v in lookups.items() if v})
            sort = data["sorteer"] or sort
        return queryset.order_by(*SORT_FIELDS[sort])

    @cached_property
    def norms(self):
        """The norms valid today, read once: every wait on the list runs until today."""
        return norms_on(timezone.localdate())

    def summary(self, queryset):
        """Per group: number waiting, number over the norm, longest wait (one query)."""
        if not self.group_by:
            return []
        key, label = GROUPS[self.group_by]
        today = timezone.localdate()
        norms = self.norms
        groups: dict = {}
        rows = queryset.order_by().values_list(label, "referral_date", "service_type_id")
        for name, referral_date, service_type_id in rows.iterator(chunk_size=5000):
            days, norm = (today - referral_date).days, norms.waiting_days(service_type_id)
            group = groups.setdefault(name or "—", {"name": name or "—", "waiting": 0, "over": 0,
                                                     "longest": 0})  # fmt: skip
            group["waiting"] += 1
            group["over"] += norm is not None and not within_norm(days, norm)
            group["longest"] = max(group["longest"], days)
        return sorted(groups.values(), key=lambda g: (-g["over"], -g["waiting"], g["name"]))

    def get(self, request, *args, **kwargs):
        export = request.GET.get("formaat")
        if export in ("csv", "xlsx"):
            queryset = self.get_queryset()
            audit.record_export(queryset, request=request, details={"formaat": export})
            rows = self.export_rows(queryset)
            # The CSV streams: the list can hold every referral waiting in the city.
            return downloads.table_response(export, rows, name=("wachtlijst",),
                                            sheet_title="Wachtlijst", stream=True)  # fmt: skip
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        audit.record_view(context["object_list"], request=self.request)
        norms = self.norms
        context.update(
            page_title=gettext("Wachtlijst"), filter_form=self.filter_form, today=today,
            rows=[{"referral": r, "wait": referral_wait(r, today, norms)}
                  for r in context["object_list"]],
            querystring=_paging_query(self.request), team=team_of(self.request.user),
            summary=self.summary(self.object_list),
            group_label=dict(WaitingListFilterForm.base_fields["groepeer"].choices).get(self.group_by),
            can_register=has_capability(self.request.user, "referrals.register"),
            can_import=has_capability(self.request.user, "referrals.import"),
        )  # fmt: skip
        return context

    def export_rows(self, queryset):
        today = timezone.localdate()
        norms = self.norms
        yield EXPORT_HEADER
        for referral in queryset.iterator(chunk_size=2000):
            wait = referral_wait(referral, today, norms)
            yield [referral.external_id, referral.client.short_key,
                   referral.team.code if referral.team else "", referral.residence.code,
                   referral.service_type.code, referral.provider.agb_code,
                   referral.referral_date, referral.get_state_display(), wait.days, wait.norm,
                   wait.verdict]  # fmt: skip


# --- details and transitions ------------------------------------------------------------------


class ReferralDetailView(CapabilityRequiredMixin, DetailView):
    capability = "referrals.view"
    template_name = "referrals/referral_detail.html"
    context_object_name = "referral"

    def get_object(self, queryset=None):
        referral = get_object_or_404(
            referral_details_for(self.request.user),
            external_id=self.kwargs["external_id"],
        )
        audit.record_view(referral, request=self.request)
        return referral

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        referral = self.object
        forms_ = kwargs.get("action_forms") or {}
        actions = []
        for slug, (action, label) in ACTIONS.items():
            # A refused action stays on the page with its error, even when the state rules it
            # out (e.g. cancelling a started referral), so the worker sees why.
            if referral.state in services.ALLOWED_FROM[action] or action in forms_:
                form = forms_.get(action) or TransitionForm(action=action)
                url = reverse("referrals:referral-transition", args=[referral.external_id, slug])
                actions.append({"url": url, "label": label, "form": form})
        successor, succeeded = successor_for(referral, self.request.user)
        context.update(
            successor=successor, succeeded=succeeded,
            page_title=gettext("Verwijzing %(external_id)s") % {"external_id": referral.external_id}, actions=actions,
            events=referral.events.select_related("user").order_by("at", "id"),
            today=timezone.localdate(),
            wait=referral_wait(referral, timezone.localdate()),
        )  # fmt: skip
        return context


def _refused(form, label) -> dict:
    """What the page's error summary needs after a refused action. The action's form sits far
    down the page, below the facts: without the summary at the top (focused on load, linking to
    the field) and the title saying so, a worker missed that nothing was saved."""
    return {
        "form": form,
        "message": gettext("%(action)s: er is niets opgeslagen. Verbeter de gemarkeerde velden.")
        % {"action": label},
    }


class ReferralTransitionView(CapabilityRequiredMixin, View):
    capability = "referrals.change"

    def get(self, request, external_id, action):
        """The address bar shows this URL after a refused action: a refresh, the language
        switch or Enter goes back to the referral's page, not to a bare 405."""
        if action not in ACTIONS:
            raise Http404
        get_object_or_404(referrals_for(request.user), external_id=external_id)
        return redirect("referrals:referral-detail", external_id)

    def post(self, request, external_id, action):
        if action not in ACTIONS:
            raise Http404
        name = ACTIONS[action][0]
        referral = get_object_or_404(referrals_for(request.user), external_id=external_id)
        form = TransitionForm(request.POST, action=name)
        if form.is_valid():
            try:
                services.transition(referral, name, user=request.user,
                                    date=form.cleaned_data["date"],
                                    end_reason=form.cleaned_data.get("end_reason", ""))  # fmt: skip
            except ValidationError as error:
                # The transition's own date is the form's `date`; a reason error stays with the
                # reason; any other date rule is about the date just entered too.
                for field, messages_ in error.message_dict.items():
                    target = field if field in form.fields else "date"
                    for message in messages_:
                        form.add_error(target, message)
            else:
                messages.success(
                    request, gettext("%(value)s: opgeslagen.") % {"value": ACTIONS[action][1]}
                )
                return redirect("referrals:referral-detail", external_id)
        detail = ReferralDetailView(request=request, kwargs={"external_id": external_id})
        detail.object = detail.get_object()
        context = detail.get_context_data(action_forms={name: form})
        context["refused_action"] = _refused(form, ACTIONS[action][1])
        response = detail.render_to_response(context)
        response.status_code = 400
        return response


class InCareListView(CapabilityRequiredMixin, ListView):
    """The team's referrals whose support runs (contract managers: every team's), longest in
    care first: where a worker finds the referral to end, or to give a successor before the move
    of 1 January 2027."""

    capability = "referrals.view"
    template_name = "referrals/in_care_list.html"
    paginate_by = 100

    def get_queryset(self):
        return (referrals_for(self.request.user).in_care().with_details()
                .order_by("start_date", "external_id"))  # fmt: skip

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        audit.record_view(context["object_list"], request=self.request)
        context.update(today=timezone.localdate(), querystring=_paging_query(self.request),
                       page_title=gettext("Verwijzingen in zorg"))  # fmt: skip
        return context


CASE_STEPS = {
    "eerste-contact": ("first_contact", _("Eerste contact vastleggen")),
    "afsluiten": ("close", _("Casus afsluiten")),
}


class CaseListView(CapabilityRequiredMixin, ListView):
    """The team's open cases (contract managers: every team's), longest without a first contact
    first, each with its working days against the first-contact norm; `?status=alle` includes
    the closed ones."""

    capability = "cases.view"
    template_name = "referrals/case_list.html"
    paginate_by = 100

    def get_queryset(self):
        self.all_cases = self.request.GET.get("status") == "alle"
        cases = cases_for(self.request.user).select_related("district", "buurtteam")
        if not self.all_cases:
            cases = cases.filter(closed_date__isnull=True)
        # Without a first contact first, on SQLite and PostgreSQL alike (their NULL orders differ).
        return cases.order_by(F("first_contact_date").asc(nulls_first=True), "registration_date",
                              "external_id")  # fmt: skip

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        norms = norms_on(today)
        rows = [(case, first_contact_wait(case, today, norms)) for case in context["object_list"]]
        audit.record_view([case for case, _wait in rows], request=self.request)
        context.update(rows=rows, all_cases=self.all_cases, today=today,
                       querystring=_paging_query(self.request),
                       page_title=gettext("Casussen van het buurtteam"))  # fmt: skip
        return context


class CaseDetailView(CapabilityRequiredMixin, DetailView):
    capability = "cases.view"
    template_name = "referrals/case_detail.html"
    context_object_name = "case"

    def get_object(self, queryset=None):
        case = get_object_or_404(
            cases_for(self.request.user).select_related("client", "district", "buurtteam"),
            external_id=self.kwargs["external_id"],
        )
        audit.record_view(case, request=self.request)
        return case

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        forms_ = kwargs.get("step_forms") or {}
        steps = []
        if has_capability(self.request.user, "cases.change"):
            for slug, (step, label) in CASE_STEPS.items():
                if not getattr(case, services.CASE_STEPS[step]) or step in forms_:
                    form = forms_.get(step) or CaseStepForm(step=step)
                    url = reverse("referrals:case-step", args=[case.external_id, slug])
                    steps.append({"url": url, "label": label, "form": form})
        context.update(page_title=gettext("Buurtteamcasus %(external_id)s") % {"external_id": case.external_id},
                       wait=first_contact_wait(case, timezone.localdate()), steps=steps)  # fmt: skip
        return context


class CaseStepView(CapabilityRequiredMixin, View):
    """Records a case's first contact or its closing (services.case_step)."""

    capability = "cases.change"

    def get(self, request, external_id, step):
        """As ReferralTransitionView.get: back to the case's page after a refused step."""
        if step not in CASE_STEPS:
            raise Http404
        get_object_or_404(cases_for(request.user), external_id=external_id)
        return redirect("referrals:case-detail", external_id)

    def post(self, request, external_id, step):
        if step not in CASE_STEPS:
            raise Http404
        name, label = CASE_STEPS[step]
        case = get_object_or_404(cases_for(request.user), external_id=external_id)
        form = CaseStepForm(request.POST, step=name)
        if form.is_valid():
            try:
                services.case_step(case, name, user=request.user, date=form.cleaned_data["date"])
            except ValidationError as error:
                for messages_ in error.message_dict.values():
                    for message in messages_:
                        form.add_error("date", message)
            else:
                messages.success(request, gettext("%(value)s: opgeslagen.") % {"value": label})
                return redirect("referrals:case-detail", external_id)
        detail = CaseDetailView(request=request, kwargs={"external_id": external_id})
        detail.object = detail.get_object()
        context = detail.get_context_data(step_forms={name: form})
        context["refused_action"] = _refused(form, label)
        response = detail.render_to_response(context)
        response.status_code = 400
        return response


# --- uploads -------------------------------------------------------------------------------------


class ImportPageView(ImportUploadView):
    capability = "referrals.import"
    template_name = "referrals/import.html"
    importer_class = ReferralImporter


class ReferralImportView(ImportPageView):
    importer_class = ReferralImporter
    page_title = _("Verwijzingen importeren")


class CaseImportView(ImportPageView):
    importer_class = CaseImporter
    page_title = _("Buurtteamcasussen importeren")


# --- referrals without a contract in force --------------------------------------------------------

WITHOUT_CONTRACT_HEADER = ["verwijzing", "client", "wijk", "voorziening", "aanbieder",
                           "opdrachtnemer", "verwijsdatum"]  # fmt: skip
WITHOUT_CONTRACT_SHOWN = 500


class WithoutContractView(CapabilityRequiredMixin, View):
    """ "Zonder contract": referrals (imported history) whose contractor had no contract in force
    for the voorziening on the referral date (contracts.referrals_without_contract)."""

    capability = "referrals.without_contract"

    def get(self, request):
        referrals = referrals_without_contract()
        export = request.GET.get("formaat")
        if export in downloads.TABLE_FORMATS:
            audit.record_export([r.external_id for r in referrals], model=Referral,
                                request=request, details={"lijst": "zonder contract"})  # fmt: skip
            rows = [WITHOUT_CONTRACT_HEADER, *(
                [r.external_id, r.client.short_key, r.residence.code, r.service_type.code,
                 r.provider.agb_code, r.contractor.agb_code, r.referral_date] for r in referrals
            )]  # fmt: skip
            return downloads.table_response(export, rows, name=("zonder_contract",),
                                            sheet_title="Zonder contract")  # fmt: skip
        shown = referrals[:WITHOUT_CONTRACT_SHOWN]
        audit.record_view(shown, request=request, details={"lijst": "zonder contract"})
        return render(request, "referrals/without_contract.html", {
            "page_title": gettext("Verwijzingen zonder contract"), "referrals": shown,
            "more": max(0, len(referrals) - WITHOUT_CONTRACT_SHOWN),
        })  # fmt: skip

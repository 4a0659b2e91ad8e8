from functools import cached_property

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView, UpdateView

from providers.views import VersionCheckedMixin
from wmo import downloads
from wmo.accounts.permissions import CapabilityRequiredMixin
from wmo.accounts.roles import has_capability
from wmo.versions import StaleVersion, save_versioned

from . import selectors
from .calendar import tender_calendar
from .feeds import feed_token, issue_feed, mark_used, resolve_feed, revoke_feed
from .forms import (
    AwardForm,
    CandidateForm,
    CriterionFormSet,
    DialogueSessionForm,
    DocumentFormSet,
    MilestoneActualForm,
    MotionForm,
    MotionRequestFormSet,
    NewMotionRequestFormSet,
    OptionForm,
    ParticipantEditFormSet,
    ParticipantFormSet,
    ScoresForm,
)
from .models import (
    CalendarFeed,
    Candidate,
    DialogueSession,
    Milestone,
    Motion,
    Tender,
    TenderOption,
)
from .motions import MotionInvalid, save_motion
from .services import rank_candidates, weights_total
from .standstill import standstill_for
from .status import MilestoneStatus, days_late, milestone_status

VIEW, CHANGE = "procurement.view", "procurement.change"


class ProcurementMixin(CapabilityRequiredMixin):
    capability = VIEW
    write_capability = CHANGE

    def can_edit(self) -> bool:
        return has_capability(self.request.user, CHANGE)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.can_edit()
        return context


class EditMixin(ProcurementMixin):
    """Edit pages: showing the form is already a write, so read-only roles get 403 on GET too."""

    capability = CHANGE


class TimelineView(ProcurementMixin, TemplateView):
    template_name = "procurement/timeline.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tender = selectors.timeline_tender()
        context["tender"] = tender
        if tender is not None:
            context["timeline"] = selectors.timeline(
                tender,
                can_edit=context["can_edit"],
                can_view_contracts=has_capability(self.request.user, "contracts.view"),
            )
        feed = CalendarFeed.objects.filter(user=self.request.user).first()
        if feed is not None:
            url = self.request.build_absolute_uri(
                reverse("procurement:feed", args=[feed_token(feed)])
            )
            context["feed"] = feed
            context["feed_url"] = url
            context["feed_webcal_url"] = "webcal://" + url.split("://", 1)[1]
        return context


class TenderDetailView(ProcurementMixin, DetailView):
    template_name = "procurement/tender_detail.html"
    context_object_name = "tender"

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.tender_detail(self.kwargs["reference"]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tender = self.object
        today = timezone.localdate()
        milestones = list(tender.milestones.all())
        for milestone in milestones:
            milestone.current_status = milestone_status(milestone, today)
            milestone.late_days = days_late(milestone, today)
        context["steps"] = [m for m in milestones if m.kind == Milestone.Kind.STEP]
        context["council_moments"] = [m for m in milestones if m.kind != Milestone.Kind.STEP]
        context["status"] = tender.current_status(today)
        context["late_steps"] = sum(
            1 for m in context["steps"] if m.current_status == MilestoneStatus.LATE
        )
        criteria = list(tender.criteria.all())
        ranking = rank_candidates(tender)
        for row in ranking:
            row.cells = [row.scores.get(c.number) for c in criteria]
        context["ranking"] = ranking
        context["principles"] = list(tender.principles.all())
        context["criteria"] = criteria
        context["weights_total"] = weights_total(tender)
        context["standstill"] = standstill_for(tender)
        context["today"] = today
        context["can_view_contracts"] = has_capability(self.request.user, "contracts.view")
        context["extensions"] = selectors.extension_options(tender.contract, today)
        return context


class MilestoneUpdateView(VersionCheckedMixin, EditMixin, UpdateView):
    model = Milestone
    form_class = MilestoneActualForm
    template_name = "procurement/milestone_form.html"
    context_object_name = "milestone"

    def get_queryset(self):
        return Milestone.objects.select_related("tender")

    def get_success_message(self):
        return gettext("Opgeslagen: %(title)s. Status: %(label)s.") % {
            "title": self.object.title, "label": milestone_status(self.object).label,
        }  # fmt: skip

    def get_success_url(self):
        return reverse("procurement:tender", args=[self.object.tender.reference]) + (
            f"#mijlpaal-{self.object.code}"
        )


class OptionUpdateView(EditMixin, UpdateView):
    model = TenderOption
    form_class = OptionForm
    template_name = "procurement/option_form.html"
    context_object_name = "option"

    def get_queryset(self):
        return TenderOption.objects.select_related("tender", "contract_option__contract")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            gettext("Opgeslagen: %(title)s. Status: %(status)s.")
            % {"title": self.object.title, "status": self.object.get_status_display()},
        )
        return response

    def get_success_url(self):
        return reverse("procurement:tender", args=[self.object.tender.reference]) + "#opties"


class AwardUpdateView(EditMixin, UpdateView):
    model = Tender
    form_class = AwardForm
    template_name = "procurement/award_form.html"
    context_object_name = "tender"
    slug_field = slug_url_kwarg = "reference"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, gettext_lazy("Gunning en opschortende termijn opgeslagen."))
        return response

    def get_success_url(self):
        return reverse("procurement:tender", args=[self.object.reference]) + "#gunning"


class TenderChildMixin(EditMixin):
    """Pages under a tender. The tender is looked up only once the permission check has passed:
    an anonymous visitor is sent to the login page, not told whether the tender exists."""

    @cached_property
    def tender(self):
        return get_object_or_404(Tender, reference=self.kwargs["reference"])

    def tender_url(self, anchor=""):
        return reverse("procurement:tender", args=[self.tender.reference]) + anchor

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["tender"] = self.tender
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tender"] = self.tender
        return context


class CandidateCreateView(TenderChildMixin, FormView):
    form_class = CandidateForm
    template_name = "procurement/candidate_form.html"

    def form_valid(self, form):
        candidate = form.save()
        messages.success(
            self.request, gettext("Kandidaat toegevoegd: %(name)s.") % {"name": candidate.name}
        )
        return redirect(reverse("procurement:tender", args=[self.tender.reference]) + "#kandidaten")


class CandidateUpdateView(EditMixin, UpdateView):
    model = Candidate
    form_class = CandidateForm
    template_name = "procurement/candidate_form.html"
    context_object_name = "candidate"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tender"] = self.object.tender
        return context

    def form_valid(self, form):
        messages.success(
            self.request, gettext("Kandidaat opgeslagen: %(name)s.") % {"name": form.instance.name}
        )
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("procurement:tender", args=[self.object.tender.reference]) + "#kandidaten"


class ScoresView(EditMixin, FormView):
    form_class = ScoresForm
    template_name = "procurement/scores_form.html"

    @cached_property
    def candidate(self):
        """Looked up after the permission check (see TenderChildMixin)."""
        return get_object_or_404(
            Candidate.objects.select_related("tender").prefetch_related("scores"),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "candidate": self.candidate}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["candidate"] = self.candidate
        context["tender"] = self.candidate.tender
        return context

    def form_valid(self, form):
        form.save()
        messages.success(
            self.request,
            gettext("Beoordeling opgeslagen: %(name)s.") % {"name": self.candidate.name},
        )
        return redirect(
            reverse("procurement:tender", args=[self.candidate.tender.reference]) + "#beoordeling"
        )


class DialogueSessionCreateView(TenderChildMixin, FormView):
    form_class = DialogueSessionForm
    template_name = "procurement/dialogue_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("participants", ParticipantFormSet(prefix="deelnemers", instance=None))
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        participants = ParticipantFormSet(request.POST, prefix="deelnemers", instance=form.instance)
        if not (form.is_valid() and participants.is_valid()):
            return self.render_to_response(
                self.get_context_data(form=form, participants=participants)
            )
        with transaction.atomic():
            session = form.save()
            participants.instance = session
            participants.save()
        messages.success(
            request, gettext("Dialoogsessie toegevoegd: %(theme)s.") % {"theme": session.theme}
        )
        return redirect(reverse("procurement:tender", args=[self.tender.reference]) + "#dialoog")


class DialogueSessionUpdateView(EditMixin, UpdateView):
    """The session's date, theme and candidates, and its other participants: change, add and
    remove them in one form; nothing is saved unless all of it is valid."""

    model = DialogueSession
    form_class = DialogueSessionForm
    template_name = "procurement/dialogue_form.html"
    context_object_name = "session"

    def get_queryset(self):
        return DialogueSession.objects.select_related("tender")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tender"] = self.object.tender
        context.setdefault(
            "participants", ParticipantEditFormSet(instance=self.object, prefix="deelnemers")
        )
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        participants = ParticipantEditFormSet(
            request.POST, instance=self.object, prefix="deelnemers"
        )
        form_ok, participants_ok = form.is_valid(), participants.is_valid()
        if not (form_ok and participants_ok):
            return self.render_to_response(
                self.get_context_data(form=form, participants=participants)
            )
        with transaction.atomic():
            session = form.save()
            participants.save()
        messages.success(
            request, gettext("Dialoogsessie opgeslagen: %(theme)s.") % {"theme": session.theme}
        )
        return redirect(reverse("procurement:tender", args=[session.tender.reference]) + "#dialoog")


class CriteriaView(TenderChildMixin, TemplateView):
    """The tender's award criteria and weights, as the contract manager sets them: change, add
    and remove them together; the weights that remain make 100 %."""

    template_name = "procurement/criteria_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("criteria", CriterionFormSet(instance=self.tender, prefix="criteria"))
        return context

    def post(self, request, *args, **kwargs):
        criteria = CriterionFormSet(request.POST, instance=self.tender, prefix="criteria")
        if not criteria.is_valid():
            return self.render_to_response(self.get_context_data(criteria=criteria))
        with transaction.atomic():
            criteria.save()
        messages.success(request, gettext_lazy("Gunningscriteria en wegingen opgeslagen."))
        return redirect(self.tender_url("#beoordeling"))


class DocumentsView(TenderChildMixin, TemplateView):
    """The tender's documents (title, date, link): change, add and remove them together."""

    template_name = "procurement/documents_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tender"] = self.tender
        context.setdefault("documents", DocumentFormSet(instance=self.tender, prefix="documenten"))
        return context

    def post(self, request, *args, **kwargs):
        documents = DocumentFormSet(request.POST, instance=self.tender, prefix="documenten")
        if not documents.is_valid():
            return self.render_to_response(self.get_context_data(documents=documents))
        with transaction.atomic():
            documents.save()
        messages.success(request, gettext_lazy("Documenten opgeslagen."))
        return redirect(self.tender_url("#documenten"))


class MotionListView(ProcurementMixin, ListView):
    template_name = "procurement/motion_list.html"
    context_object_name = "motions"

    def get_queryset(self):
        return selectors.motions()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tenders"] = list(selectors.tenders()) if context["can_edit"] else []
        return context


class MotionDetailView(ProcurementMixin, DetailView):
    template_name = "procurement/motion_detail.html"
    context_object_name = "motion"

    def get_queryset(self):
        return selectors.motions()


class MotionFormMixin:
    """A motion with its requests in one form. The motion's rules, each request's and those
    between them are `motions.motion_errors`, the same for the API; nothing is saved unless all
    of it is valid. A change based on an outdated version of the motion is refused with 409
    (wmo.versions.save_versioned), the input kept, as on the contract pages."""

    template_name = "procurement/motion_form.html"
    formset_class = MotionRequestFormSet

    def motion_context(self, motion, form, requests):
        return {"motion": motion if motion.pk else None, "tender": motion.tender,
                "form": form, "requests": requests}  # fmt: skip

    def save_or_show(self, form, requests):
        motion = form.instance
        form_ok, requests_ok = form.is_valid(), requests.is_valid()
        if form_ok and requests_ok:
            rows = requests.inputs()

            def save(**stamps):
                for name, value in stamps.items():
                    setattr(motion, name, value)
                return save_motion(
                    motion,
                    requests=[item for _, item in rows],
                    milestones=list(form.cleaned_data["milestones"]),
                    options=list(form.cleaned_data["options"]),
                )

            try:
                save_versioned(Motion, motion.pk, form.cleaned_data.get("version"),
                               self.request.user, save)  # fmt: skip
            except StaleVersion as refused:
                context = self.motion_context(motion, form, requests)
                context.update(form.refused_context(refused))
                if refused.current is not None:
                    context["differences"] += requests.differences_from(refused.current)
                return self.render_to_response(self.get_context_data(**context), status=409)
            except MotionInvalid as invalid:
                self._attach(invalid.errors, form, requests, rows)
            else:
                messages.success(
                    self.request, gettext("Motie opgeslagen: %(title)s.") % {"title": motion.title}
                )
                return redirect("procurement:motion", pk=motion.pk)
        return self.render_to_response(
            self.get_context_data(**self.motion_context(motion, form, requests))
        )

    @staticmethod
    def _attach(errors, form, requests, rows):
        for name, messages_ in errors.fields.items():
            for message in messages_:
                form.add_error(name if name in form.fields else None, message)
        for index, found in errors.requests.items():
            request_form = rows[index][0]
            for name, messages_ in found.items():
                for message in messages_:
                    request_form.add_error(name if name in request_form.fields else None, message)
        requests.non_form_errors().extend(errors.request_list)


class MotionCreateView(MotionFormMixin, TenderChildMixin, TemplateView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in kwargs:
            motion = Motion(tender=self.tender)
            form = MotionForm(instance=motion)
            requests = NewMotionRequestFormSet(instance=motion, prefix="verzoeken")
            context.update(self.motion_context(motion, form, requests))
        return context

    def post(self, request, *args, **kwargs):
        motion = Motion(tender=self.tender)
        form = MotionForm(request.POST, instance=motion)
        requests = NewMotionRequestFormSet(request.POST, instance=motion, prefix="verzoeken")
        return self.save_or_show(form, requests)


class MotionUpdateView(MotionFormMixin, EditMixin, TemplateView):
    @cached_property
    def motion(self):
        """Looked up after the permission check (see TenderChildMixin)."""
        return get_object_or_404(Motion.objects.select_related("tender"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in kwargs:
            form = MotionForm(instance=self.motion)
            requests = MotionRequestFormSet(instance=self.motion, prefix="verzoeken")
            context.update(self.motion_context(self.motion, form, requests))
        return context

    def post(self, request, *args, **kwargs):
        form = MotionForm(request.POST, instance=self.motion)
        requests = MotionRequestFormSet(request.POST, instance=self.motion, prefix="verzoeken")
        return self.save_or_show(form, requests)


def calendar_response(request, attachment: bool = True) -> HttpResponse:
    tenders = (
        selectors.tenders()
        .select_related("contract")
        .prefetch_related("milestones", "options", "motions")
    )
    if not tenders:
        raise Http404("Geen aanbesteding.")
    base_url = request.build_absolute_uri("/").rstrip("/")
    return downloads.file_response(
        tender_calendar(tenders, base_url=base_url),
        "text/calendar; charset=utf-8",
        "aanbesteding-wmo.ics" if attachment else None,
    )


class CalendarView(CapabilityRequiredMixin, View):
    """All milestones and decision dates as an .ics file to download (needs a session)."""

    capability = VIEW

    def get(self, request):
        return calendar_response(request)


class CalendarFeedView(View):
    """The same calendar behind a personal secret link, for calendar apps that poll without a
    session. Any token that does not open a feed is a plain 404, so tokens cannot be probed."""

    def get(self, request, token):
        feed = resolve_feed(token)
        if feed is None:
            raise Http404("Onbekende of ingetrokken agendalink.")
        # Served inline: some calendar apps refuse a subscription answered as a download.
        response = calendar_response(request, attachment=False)
        mark_used(feed)
        # The URL is a credential: keep it out of shared caches and search engines.
        response["Cache-Control"] = "private, no-cache"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response


class CalendarFeedIssueView(CapabilityRequiredMixin, View):
    """Make (or replace) the signed-in user's own subscription link. Everyone who may view the
    tender may manage their own link, so the read capability also guards this POST."""

    capability = VIEW
    http_method_names = ["post"]

    def post(self, request):
        replaced = CalendarFeed.objects.filter(user=request.user).exists()
        issue_feed(request.user)
        messages.success(
            request,
            "Nieuwe agendalink gemaakt. De vorige link werkt niet meer; abonneer opnieuw met de "
            "nieuwe link."
            if replaced
            else "Agendalink gemaakt. Abonneer in uw agenda-app met de link hieronder.",
        )
        return redirect(reverse("procurement:timeline") + "#agenda")


class CalendarFeedRevokeView(CapabilityRequiredMixin, View):
    capability = VIEW
    http_method_names = ["post"]

    def post(self, request):
        if revoke_feed(request.user):
            messages.success(
                request, gettext_lazy("Agendalink ingetrokken. De link werkt niet meer.")
            )
        else:
            messages.info(request, gettext_lazy("U had geen agendalink."))
        return redirect(reverse("procurement:timeline") + "#agenda")

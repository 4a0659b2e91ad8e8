"""The Normen page: norms and targets with their history. Contract managers add a new dated
value; council members read. A value once recorded does not change, so the records of a norm
are its history (who recorded what, when, from which source)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.generic import CreateView, TemplateView

from wmo.accounts.permissions import CapabilityRequiredMixin
from wmo.accounts.roles import has_capability

from .forms import NormForm
from .models import UNITS, Norm, NormKind, ServiceType
from .norms import series_overview

# The page addresses of the programme's norm and targets (Dutch, as the site is).
SLUGS = {
    NormKind.BT_FIRST_CONTACT_WORKDAYS: "eerste-contact-buurtteam",
    NormKind.BT_REFERRAL_PCT: "doorverwijzing-buurtteam",
    NormKind.BT_GROUP_PCT: "groepsgericht-buurtteam",
    NormKind.GROUP_PCT: "groepsgericht-aanvullende-zorg",
}
KINDS = {slug: kind for kind, slug in SLUGS.items()}


def series_url(kind: str, service: ServiceType | None, create: bool = False) -> str:
    if kind == NormKind.WAITING_DAYS:
        name = "catalogue:waiting-norm-create" if create else "catalogue:waiting-norm"
        return reverse(name, args=[service.code])
    return reverse("catalogue:norm-create" if create else "catalogue:norm", args=[SLUGS[kind]])


class NormListView(CapabilityRequiredMixin, TemplateView):
    capability = "norms.view"
    template_name = "catalogue/norm_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = series_overview(today)
        for row in rows:
            row["url"] = series_url(row["kind"], row["service"])
        context.update(
            page_title=gettext("Normen en doelen"), today=today,
            programme=[r for r in rows if r["kind"] != NormKind.WAITING_DAYS],
            waiting=[r for r in rows if r["kind"] == NormKind.WAITING_DAYS],
        )  # fmt: skip
        return context


class SeriesMixin(CapabilityRequiredMixin):
    """One norm: a kind of the programme, or a voorziening's waiting norm."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.service = None
        if "service" in kwargs:
            self.kind = NormKind.WAITING_DAYS
            self.service = get_object_or_404(ServiceType, code=kwargs["service"])
        elif kwargs.get("kind") in KINDS:
            self.kind = KINDS[kwargs["kind"]]
        else:
            raise Http404("Onbekende norm.")

    @property
    def title(self) -> str:
        label = NormKind(self.kind).label
        return f"{label}: {self.service.name}" if self.service else label

    def series_context(self) -> dict:
        return {"kind_label": NormKind(self.kind).label, "service": self.service,
                "unit": UNITS[self.kind], "history_url": series_url(self.kind, self.service),
                "create_url": series_url(self.kind, self.service, create=True)}  # fmt: skip


class NormHistoryView(SeriesMixin, TemplateView):
    capability = "norms.view"
    template_name = "catalogue/norm_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        records = list(
            Norm.objects.filter(kind=self.kind, service_type=self.service)
            .select_related("recorded_by")
            .order_by("-valid_from")
        )
        current = next((n for n in records if n.valid_from <= today), None)
        context.update(
            page_title=self.title, today=today, records=records, current=current,
            can_change=has_capability(self.request.user, "norms.change"),
            **self.series_context(),
        )  # fmt: skip
        return context


class NormCreateView(SeriesMixin, CreateView):
    capability = "norms.change"
    model = Norm
    form_class = NormForm
    template_name = "catalogue/norm_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Norm(kind=self.kind, service_type=self.service)
        latest = (
            Norm.objects.filter(kind=self.kind, service_type=self.service)
            .order_by("-valid_from")
            .first()
        )
        if latest is not None and not self.request.POST:
            kwargs["initial"] = {"source": latest.source}
        return kwargs

    def form_valid(self, form):
        form.instance.recorded_by = self.request.user
        response = super().form_valid(form)
        messages.success(
            self.request,
            gettext(
                "Opgeslagen: %(value_text)s vanaf %(valid_from)s. Al berekende perioden die op of "
                "na die dag eindigen krijgen de nieuwe waarde bij hun volgende berekening."
            )
            % {
                "value_text": form.instance.value_text,
                "valid_from": f"{form.instance.valid_from:%d-%m-%Y}",
            },
        )
        return response

    def get_success_url(self):
        return series_url(self.kind, self.service)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=gettext("Nieuwe waarde — %(title)s") % {"title": self.title},
            **self.series_context(),
        )
        return context

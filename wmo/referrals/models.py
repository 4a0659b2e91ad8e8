import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wmo import identifiers
from wmo.catalogue.models import ServiceType

# --- clients, buurtteam cases and referrals -----------------------------------------------------


class Client(models.Model):
    """A person, known only by a keyed hash of the BSN (see `wmo.referrals.pseudonyms`)."""

    key = models.CharField(_("cliëntsleutel"), max_length=64, unique=True)
    birth_year = models.PositiveSmallIntegerField(_("geboortejaar"), null=True, blank=True)

    class Meta:
        verbose_name = _("cliënt")
        verbose_name_plural = _("cliënten")

    def __str__(self):
        return self.short_key

    @property
    def short_key(self) -> str:
        return self.key[:10]


class SupportForm(models.TextChoices):
    GROUP = "group", _("Groepsgericht")
    INDIVIDUAL = "individual", _("Individueel")
    BLENDED = "blended", _("Gecombineerd")


class BuurtteamCase(models.Model):
    """A buurtteam case (objective III); norm: first contact within 5 working days."""

    external_id = models.CharField(_("casusnummer"), max_length=identifiers.MAX_LENGTH, unique=True,
                                   validators=[identifiers.validate_record_number])  # fmt: skip
    client = models.ForeignKey(Client, verbose_name=_("cliënt"), related_name="cases",
                               on_delete=models.PROTECT)  # fmt: skip
    district = models.ForeignKey("districts.District", verbose_name=_("wijk"),
                                 related_name="cases", on_delete=models.PROTECT)  # fmt: skip
    buurtteam = models.ForeignKey("districts.Buurtteam", verbose_name=_("buurtteam"),
                                  related_name="cases", on_delete=models.PROTECT)  # fmt: skip
    registration_date = models.DateField(_("aanmelddatum"))
    first_contact_date = models.DateField(_("datum eerste contact"), null=True, blank=True)
    closed_date = models.DateField(_("afsluitdatum"), null=True, blank=True)
    support_form = models.CharField(_("vorm van ondersteuning"), max_length=12,
                                    choices=SupportForm.choices)  # fmt: skip
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("geregistreerd door"), related_name="+",
        on_delete=models.SET_NULL, null=True, blank=True,
    )  # fmt: skip
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("buurtteamcasus")
        verbose_name_plural = _("buurtteamcasussen")
        ordering = ["-registration_date", "external_id"]
        indexes = [
            models.Index(fields=["registration_date"], name="case_registration_idx"),
            models.Index(fields=["first_contact_date"], name="case_first_contact_idx"),
            models.Index(fields=["closed_date"], name="case_closed_idx"),
        ]

    def __str__(self):
        return self.external_id

    def clean(self):
        from .rules import case_date_errors

        errors = case_date_errors(self.registration_date, self.first_contact_date, self.closed_date)
        if errors:
            raise ValidationError(errors)


class EndReason(models.TextChoices):
    """iWmo code list WMO588."""

    DEATH = "02", _("02 — Overlijden")
    AS_PLANNED = "19", _("19 — Volgens plan beëindigd")
    TEMPORARY = "20", _("20 — Tijdelijk beëindigd")
    BY_CLIENT = "21", _("21 — Eenzijdig door cliënt beëindigd")
    BY_PROVIDER = "22", _("22 — Eenzijdig door aanbieder beëindigd")
    AGREED_EARLY = "23", _("23 — In overeenstemming voortijdig beëindigd")
    MOVED = "31", _("31 — Verhuizing")
    BY_MUNICIPALITY = "36", _("36 — Beëindigd door gemeente")
    CHANGE_REQUEST = "37", _("37 — Wijzigingsverzoek")
    OTHER_PROVIDER = "38", _("38 — Overstap naar andere aanbieder")
    OTHER_DOMAIN = "39", _("39 — Uitstroom naar ander domein (bijv. Wlz)")


class ReferralState(models.TextChoices):
    REGISTERED = "registered", _("Aangemeld")
    ASSIGNED = "assigned", _("Toegewezen")
    STARTED = "started", _("Gestart")
    ENDED = "ended", _("Beëindigd")
    CANCELLED = "cancelled", _("Geannuleerd")


def state_from_dates(assignment_date, start_date, end_date, cancelled_date) -> str:
    """The state follows from the dates; it is never stored on its own."""
    if cancelled_date:
        return ReferralState.CANCELLED
    if end_date:
        return ReferralState.ENDED
    if start_date:
        return ReferralState.STARTED
    if assignment_date:
        return ReferralState.ASSIGNED
    return ReferralState.REGISTERED


class ReferralQuerySet(models.QuerySet):
    def with_details(self, *joined: str):
        """With what pages, lists, downloads and API answers show of a referral: the client and
        the providers joined in (and `joined`), the small reference tables (wijk, gemeente,
        voorziening, team) read in one query each. PostgreSQL's planner weighs every order of
        the joins: with all seven joined it spent 40-50 ms planning a page of referrals that
        then ran in 3 ms; with three joined, about 1 ms."""
        return self.select_related("client", "provider", "contractor", *joined).prefetch_related(
            "district", "municipality", "service_type", "team"
        )

    def chain_above(self, pk) -> list[str]:
        """The external ids of the referral `pk` and of the referrals before it, nearest first:
        one query per link, and a circle already stored ends the walk rather than looping."""
        chain: list[str] = []
        seen = set()
        while pk is not None and pk not in seen:
            seen.add(pk)
            found = self.filter(pk=pk).values_list("external_id", "previous_id").first()
            if found is None:
                break
            chain.append(found[0])
            pk = found[1]
        return chain

    def in_state(self, state: str):
        if state == ReferralState.CANCELLED:
            return self.filter(cancelled_date__isnull=False)
        base = self.filter(cancelled_date__isnull=True)
        if state == ReferralState.ENDED:
            return base.filter(end_date__isnull=False)
        base = base.filter(end_date__isnull=True)
        if state == ReferralState.STARTED:
            return base.filter(start_date__isnull=False)
        base = base.filter(start_date__isnull=True)
        if state == ReferralState.ASSIGNED:
            return base.filter(assignment_date__isnull=False)
        if state == ReferralState.REGISTERED:
            return base.filter(assignment_date__isnull=True)
        return self.none()

    def waiting(self):
        """Referred, not started, not cancelled."""
        return self.filter(start_date__isnull=True, cancelled_date__isnull=True)

    def in_care(self):
        """Started and not ended: the support runs (its end is recorded on the referral)."""
        return self.filter(start_date__isnull=False, end_date__isnull=True)

    def visible_to(self, user):
        """Buurtteam workers see their own team's referrals; contract managers see all."""
        from districts.selectors import team_of
        from wmo.accounts.roles import CM, has_role

        if getattr(user, "is_superuser", False) or has_role(user, CM):
            return self
        team = team_of(user)
        return self.filter(team=team) if team else self.none()


def support_closed_on():
    """The day a referral stopped counting: its end or its cancellation, whichever came first;
    the last representable day when it has neither. A referral counts in a quarter Q when this is
    on or after Q.start. Both COALESCE orders are needed because SQLite's MIN() is NULL as soon as
    one argument is. `Referral` indexes exactly this expression, so the indicator engine's quarter
    pre-filter is an index-only scan instead of a sequential scan of every referral."""
    return Coalesce(
        Least(Coalesce("end_date", "cancelled_date"), Coalesce("cancelled_date", "end_date")),
        Value(datetime.date.max),
        output_field=models.DateField(),
    )


class Referral(models.Model):
    """A referral to a voorziening: registered → assigned → started → ended, or cancelled."""

    external_id = models.CharField(_("verwijzingsnummer"), max_length=identifiers.MAX_LENGTH,
                                   unique=True, validators=[identifiers.validate_record_number])  # fmt: skip
    # client and service_type lead composite indexes (Meta): their own index would only slow
    # every insert, and imports write many.
    client = models.ForeignKey(Client, verbose_name=_("cliënt"), related_name="referrals",
                               on_delete=models.PROTECT, db_index=False)  # fmt: skip
    # Where the client lives: a wijk of Utrecht, or for opvang en verblijf (objective V) another
    # municipality of the U16 region; exactly one of the two (rules.referral_area_errors).
    district = models.ForeignKey("districts.District", verbose_name=_("wijk"), null=True, blank=True,
                                 related_name="referrals", on_delete=models.PROTECT)  # fmt: skip
    municipality = models.ForeignKey("districts.Municipality", verbose_name=_("gemeente (U16)"),
                                     null=True, blank=True, related_name="referrals",
                                     on_delete=models.PROTECT)  # fmt: skip
    service_type = models.ForeignKey(ServiceType, verbose_name=_("voorziening"),
                                     related_name="referrals", on_delete=models.PROTECT,
                                     db_index=False)  # fmt: skip
    provider = models.ForeignKey("providers.Provider", verbose_name=_("aanbieder"),
                                 related_name="referrals", on_delete=models.PROTECT)  # fmt: skip
    contractor = models.ForeignKey(
        "providers.Provider", verbose_name=_("opdrachtnemer (contracthouder)"),
        related_name="contracted_referrals", on_delete=models.PROTECT,
    )  # fmt: skip
    referral_date = models.DateField(_("verwijsdatum"))
    assignment_date = models.DateField(_("toewijzingsdatum"), null=True, blank=True)
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    end_reason = models.CharField(_("reden beëindiging"), max_length=2, blank=True,
                                  choices=EndReason.choices)  # fmt: skip
    cancelled_date = models.DateField(_("annuleringsdatum"), null=True, blank=True)
    group_based = models.BooleanField(_("groepsgericht"), default=False)
    # TRANSITION.md: the referral this one succeeds (same client); one-to-one, so a referral has
    # at most one successor (`referral.successor`). rules.previous_referral_errors says so once.
    previous = models.OneToOneField("self", verbose_name=_("vorige verwijzing"), null=True,
                                    blank=True, related_name="successor",
                                    on_delete=models.SET_NULL)  # fmt: skip
    # A Beschermd Thuis pilot referral (2027–2028), reported on its own (rules.pilot_errors).
    # db_default: the bulk writers (demo, COPY) that name their columns leave it out.
    pilot = models.BooleanField(_("pilot Beschermd Thuis"), default=False, db_default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("geregistreerd door"), related_name="+",
        on_delete=models.SET_NULL, null=True, blank=True,
    )  # fmt: skip
    team = models.ForeignKey("districts.Buurtteam", verbose_name=_("buurtteam"),
                             related_name="referrals", on_delete=models.SET_NULL,
                             null=True, blank=True)  # fmt: skip
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("verwijzing")
        verbose_name_plural = _("verwijzingen")
        ordering = ["-referral_date", "external_id"]
        indexes = [
            models.Index(fields=["referral_date"], name="referral_date_idx"),
            # The waiting list, longest waiting first: the referrals neither started nor
            # cancelled, a few thousand however many referrals there are. Without this index
            # PostgreSQL walked referral_date_idx past every started referral to find them
            # (84 ms for a page of 100 at the demo's 110,000 referrals; under 2 ms with it).
            models.Index(
                fields=["referral_date", "external_id"],
                name="referral_waiting_idx",
                condition=Q(start_date__isnull=True, cancelled_date__isnull=True),
            ),
            # The Beschermd Thuis pilots, counted on their own by the transition monitor: a
            # few among all referrals (a scan of the demo's 110,000 took 34 ms).
            models.Index(
                fields=["referral_date"], name="referral_pilot_idx", condition=Q(pilot=True)
            ),
            models.Index(fields=["start_date"], name="referral_start_idx"),
            models.Index(fields=["end_date"], name="referral_end_idx"),
            models.Index(fields=["cancelled_date"], name="referral_cancelled_idx"),
            models.Index(fields=["service_type", "referral_date"], name="referral_service_idx"),
            # The indicator engine selects a period's referrals by this expression and reads the
            # included columns only (PostgreSQL; other databases ignore `include`). Migration
            # 0010 adds the care history columns PostgreSQL keeps (care_history.py) to it.
            models.Index(
                support_closed_on(),
                name="referral_closed_on_idx",
                include=[
                    "id",
                    "referral_date",
                    "start_date",
                    "end_date",
                    "cancelled_date",
                    "client",
                    "district",
                    "municipality",
                    "service_type",
                    "provider",
                    "contractor",
                    "group_based",
                ],
            ),  # fmt: skip
            # The buurtteam referral rate looks up a client's referrals by date.
            models.Index(fields=["client", "referral_date"], name="referral_client_date_idx"),
        ]
        # The date rules of rules.py, also in the database: the quarter pre-filter relies on them
        # and the importers' COPY path writes rows without the model's clean().
        constraints = [
            models.CheckConstraint(
                condition=Q(district__isnull=False, municipality__isnull=True)
                | Q(district__isnull=True, municipality__isnull=False),
                name="referral_wijk_or_municipality",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_date__gte=F("referral_date")),
                name="referral_start_after_referral",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=False, end_date__gte=F("start_date")),
                name="referral_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_date__isnull=True)
                | Q(start_date__isnull=True, cancelled_date__gte=F("referral_date")),
                name="referral_cancelled_before_start",
            ),
        ]

    def __str__(self):
        return self.external_id

    @property
    def state(self) -> str:
        return state_from_dates(
            self.assignment_date, self.start_date, self.end_date, self.cancelled_date
        )

    def get_state_display(self) -> str:
        return ReferralState(self.state).label

    @property
    def residence(self):
        """The client's wijk, or for a U16 client from outside Utrecht the municipality: both
        have a code and a name."""
        return self.district if self.district_id else self.municipality

    def clean(self):
        from .rules import (
            pilot_errors,
            previous_referral_errors,
            referral_area_errors,
            referral_date_errors,
            successor_order_errors,
        )

        errors = referral_date_errors(
            self.referral_date, self.assignment_date, self.start_date, self.end_date,
            self.end_reason, self.cancelled_date,
        )  # fmt: skip
        service_type = self.service_type if self.service_type_id else None
        municipality = self.municipality if self.municipality_id else None
        area = referral_area_errors(self.district_id, municipality, service_type)
        errors.update({name: text for name, text in area.items() if name not in errors})
        if self.previous_id:
            previous = self.previous
            successor = Referral.objects.filter(previous_id=previous.pk).exclude(pk=self.pk)
            for name, text in previous_referral_errors(
                previous.external_id, self.client_id, previous.client_id, self.external_id,
                successor.values_list("external_id", flat=True).first(),
                dates=(self.referral_date, self.start_date),
                previous_dates=(previous.referral_date, previous.start_date),
                # Only a stored referral can be named by the chain above its predecessor.
                chain=Referral.objects.chain_above(previous.previous_id) if self.pk else (),
            ).items():  # fmt: skip
                errors.setdefault(name, text)
        following = self.pk and Referral.objects.filter(previous_id=self.pk).values_list(
            "external_id", "referral_date", "start_date").first()  # fmt: skip
        if following:
            for name, text in successor_order_errors(
                following[0], (self.referral_date, self.start_date), following[1:]
            ).items():  # fmt: skip
                errors.setdefault(name, text)
        if self.service_type_id:
            for name, text in pilot_errors(
                self.pilot, self.service_type, self.referral_date
            ).items():
                errors.setdefault(name, text)
        if errors:
            raise ValidationError(errors)


class TransitionNotice(models.Model):
    """A weekly warning to contract managers (notices.warn_unresolved): clients still unresolved
    within 60 days before the transition day. Shown in the app on the continuity monitor."""

    transition_day = models.DateField(_("overgangsdag"))
    as_of = models.DateField(_("peildatum"))
    unresolved = models.PositiveIntegerField(_("onopgelost"))
    text = models.TextField(_("melding"))
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("overgangsmelding")
        verbose_name_plural = _("overgangsmeldingen")
        ordering = ["-as_of"]
        constraints = [models.UniqueConstraint(fields=["transition_day", "as_of"],
                                               name="transition_notice_once_a_day")]  # fmt: skip

    def __str__(self):
        return self.text


class ReferralEvent(models.Model):
    """One change of a referral: who, when, the state before and after and the changed values."""

    referral = models.ForeignKey(Referral, verbose_name=_("verwijzing"), related_name="events",
                                 on_delete=models.CASCADE)  # fmt: skip
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("gebruiker"), related_name="+",
                             on_delete=models.SET_NULL, null=True, blank=True)  # fmt: skip
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True)
    source = models.CharField(_("bron"), max_length=20, default="form")
    from_state = models.CharField(_("van status"), max_length=12, blank=True)
    to_state = models.CharField(_("naar status"), max_length=12)
    changes = models.JSONField(_("gewijzigde waarden"), default=dict, blank=True)

    class Meta:
        verbose_name = _("verwijzingsgebeurtenis")
        verbose_name_plural = _("verwijzingsgebeurtenissen")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.referral}: {self.from_state or '—'} → {self.to_state}"

    @property
    def source_label(self) -> str:
        return {"form": gettext("formulier"), "api": "API", "import": gettext("import")}.get(
            self.source, self.source
        )

    @property
    def from_label(self) -> str:
        return ReferralState(self.from_state).label if self.from_state else "—"

    @property
    def to_label(self) -> str:
        return ReferralState(self.to_state).label

    def changed_values(self) -> list[tuple[str, str]]:
        """(Dutch label, shown value) per changed value, in the order of the referral's fields:
        the stored JSON keeps no order of its own."""
        order = list(CHANGE_LABELS)
        keys = sorted(self.changes, key=lambda k: order.index(k) if k in order else len(order))
        return [(CHANGE_LABELS.get(k, k), _shown(self.changes[k])) for k in keys]


CHANGE_LABELS = {
    "district": _("wijk"), "municipality": _("gemeente"), "service_type": _("voorziening"),
    "provider": _("aanbieder"), "contractor": _("opdrachtnemer"), "client": _("cliënt"),
    "team": _("buurtteam"), "referral_date": _("verwijsdatum"),
    "assignment_date": _("toewijzingsdatum"), "start_date": _("startdatum"),
    "end_date": _("einddatum"), "end_reason": _("reden beëindiging"),
    "cancelled_date": _("annuleringsdatum"), "group_based": _("groepsgericht"),
    "previous": _("vorige verwijzing"), "pilot": _("pilot"),
}  # fmt: skip


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("ja") if value else gettext("nee")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value).strftime("%d-%m-%Y")
        except ValueError:
            return value
    return str(value)

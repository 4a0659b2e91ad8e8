"""The 2025–2027 tender "Wmo aanvullende zorg in de wijk": its steps, candidates, dialogue,
evaluation, award and standstill, contract options and the council motions about it.

Statuses are derived from dates (never stored when an event fires); the rules themselves live in
`status`, `awards` and `standstill`, so the pages, the API, the calendar export and the tests
share them."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from .awards import milestone_decision_errors
from .standstill import standstill_for
from .status import future_date_error, milestone_status, tender_status

DEFAULT_STANDSTILL_DAYS = 20
MAX_STANDSTILL_DAYS = 365


class Tender(models.Model):
    class Procedure(models.TextChoices):
        DIALOGUE = "dialogue", "Dialooggerichte aanbesteding"
        OPEN = "open", "Openbare procedure"
        RESTRICTED = "restricted", "Niet-openbare procedure"

    class Regime(models.TextChoices):
        SAS_ABOVE = (
            "sas_above_threshold",
            "Sociale en andere specifieke diensten, boven de Europese drempel",
        )
        SAS_BELOW = (
            "sas_below_threshold",
            "Sociale en andere specifieke diensten, onder de Europese drempel",
        )
        FULL = "full", "Volledig regime"

    class Instrument(models.TextChoices):
        PUBLIC_CONTRACT = "public_contract", "Overheidsopdracht"
        SUBSIDY = "subsidy", "Subsidie"
        OPEN_HOUSE = "open_house", "Open house"

    class Status(models.TextChoices):
        PREPARATION = "preparation", "In voorbereiding"
        CONSULTATION = "consultation", "Marktconsultatie"
        PUBLISHED = "published", "Gepubliceerd"
        SELECTION = "selection", "Selectie"
        DIALOGUE = "dialogue", "Dialoog"
        EVALUATION = "evaluation", "Beoordeling"
        AWARD = "award", "Gunning"
        IMPLEMENTATION = "implementation", "Implementatie"
        CONTRACT = "contract", "Contract loopt"
        CANCELLED = "cancelled", "Ingetrokken"

    title = models.CharField("titel", max_length=200)
    reference = models.CharField(
        "kenmerk",
        max_length=30,
        unique=True,
        help_text="Kenmerk van de gemeente, bijvoorbeeld 30209886.",
    )
    procedure = models.CharField("procedure", max_length=20, choices=Procedure.choices)
    regime = models.CharField("regime", max_length=30, choices=Regime.choices)
    instrument = models.CharField("instrument", max_length=20, choices=Instrument.choices)
    cancelled_date = models.DateField(
        "ingetrokken op",
        null=True,
        blank=True,
        help_text="Alleen als de aanbesteding is ingetrokken. De status volgt verder uit de "
        "vastgelegde data van de stappen.",
    )
    contract_start = models.DateField("start van het contract", null=True, blank=True)
    awarded_candidate = models.ForeignKey(
        "Candidate",
        verbose_name="gegunde kandidaat",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    standstill_days = models.PositiveSmallIntegerField(
        "opschortende termijn (kalenderdagen)",
        default=DEFAULT_STANDSTILL_DAYS,
        validators=[
            MinValueValidator(1, "De opschortende termijn is minstens 1 kalenderdag."),
            MaxValueValidator(
                MAX_STANDSTILL_DAYS,
                f"De opschortende termijn is hoogstens {MAX_STANDSTILL_DAYS} kalenderdagen.",
            ),
        ],
        help_text="Standaard 20 kalenderdagen (Alcatel-termijn). Eindigt de termijn op een "
        "zaterdag, zondag of feestdag, dan loopt hij door tot de eerstvolgende werkdag "
        "(Algemene termijnenwet).",
    )
    contract = models.ForeignKey(
        "providers.Contract", verbose_name="contract", null=True, blank=True,
        related_name="tenders", on_delete=models.SET_NULL,
        help_text="Het contract dat uit deze aanbesteding is voortgekomen.",
    )  # fmt: skip

    class Meta:
        verbose_name = "aanbesteding"
        verbose_name_plural = "aanbestedingen"
        ordering = ["reference"]

    def __str__(self):
        return f"{self.title} ({self.reference})"

    def _decision_date(self, code):
        """An award date is the actual date of its step (see `procurement.awards`); reads the
        prefetched milestones when the caller prefetched them."""
        if self.pk is None:
            return None
        step = next((m for m in self.milestones.all() if m.code == code), None)
        return step.actual_start if step else None

    @property
    def provisional_award_date(self):
        """The award decision (voorlopige gunning): the actual date of step 'provisional_award'."""
        return self._decision_date("provisional_award")

    @property
    def definitive_award_date(self):
        """The signing (definitieve gunning): the actual date of step 'definitive_award'."""
        return self._decision_date("definitive_award")

    def current_status(self, today: datetime.date | None = None):
        return tender_status(self, today)

    @property
    def status(self):
        """Derived from the recorded dates (`status.tender_status`), never stored."""
        return self.current_status()

    @property
    def standstill(self):
        return standstill_for(self)

    def clean(self):
        errors = {}
        if error := future_date_error(self.cancelled_date):
            errors["cancelled_date"] = error
        if self.awarded_candidate_id and self.awarded_candidate.tender_id != self.pk:
            errors["awarded_candidate"] = "Deze kandidaat doet niet mee aan deze aanbesteding."
        elif (
            self.contract_id
            and self.awarded_candidate_id
            and self.awarded_candidate.consortium_id
            and self.contract.consortium_id
            and self.contract.consortium_id != self.awarded_candidate.consortium_id
        ):
            errors["contract"] = (
                "Dit contract is gesloten met een ander samenwerkingsverband dan de gegunde "
                "kandidaat."
            )
        if errors:
            raise ValidationError(errors)


class TenderDocument(models.Model):
    tender = models.ForeignKey(
        Tender, verbose_name="aanbesteding", related_name="documents", on_delete=models.CASCADE
    )
    title = models.CharField("titel", max_length=200)
    date = models.DateField("datum")
    url = models.URLField("link", blank=True)

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documenten"
        ordering = ["date", "title"]

    def __str__(self):
        return self.title


class Milestone(models.Model):
    """A step of the college letter, or a moment the council is informed.

    The planned period is stored at the precision the letter gives: a date range plus the Dutch
    label it came from ("half mei 2025"). The actual date is one day or a range."""

    class Kind(models.TextChoices):
        STEP = "step", "Stap"
        COUNCIL_INFO = "council_info", "Informatie aan de raad"

    class Channel(models.TextChoices):
        NONE = "", "—"
        VERZAMELBRIEF = "verzamelbrief", "Verzamelbrief"
        RAADSINFORMATIEBRIEF = "raadsinformatiebrief", "Raadsinformatiebrief"

    tender = models.ForeignKey(
        Tender, verbose_name="aanbesteding", related_name="milestones", on_delete=models.CASCADE
    )
    code = models.SlugField("code", max_length=60)
    kind = models.CharField("soort", max_length=20, choices=Kind.choices, default=Kind.STEP)
    channel = models.CharField(
        "kanaal", max_length=30, choices=Channel.choices, default=Channel.NONE, blank=True
    )
    concerns = models.ForeignKey(
        "self",
        verbose_name="over de stap",
        null=True,
        blank=True,
        related_name="council_information",
        on_delete=models.SET_NULL,
    )
    order = models.PositiveSmallIntegerField("volgorde")
    title = models.CharField("omschrijving", max_length=200)
    planned_start = models.DateField("gepland vanaf")
    planned_end = models.DateField("gepland tot en met")
    planned_label = models.CharField(
        "gepland (zoals in de brief)", max_length=100, help_text="Bijvoorbeeld 'half mei 2025'."
    )
    actual_start = models.DateField(
        "werkelijke datum",
        null=True,
        blank=True,
        help_text="De dag waarop de stap plaatsvond, of de eerste dag als het een periode is.",
    )
    actual_end = models.DateField(
        "werkelijk tot en met",
        null=True,
        blank=True,
        help_text="Alleen bij een periode: de laatste dag.",
    )
    is_period = models.BooleanField(
        "periode",
        default=False,
        help_text="Een periode (zoals de dialoog) is pas afgerond als 'werkelijk tot en met' is "
        "ingevuld; met alleen een werkelijke begindatum loopt hij nog.",
    )
    notes = models.TextField("toelichting", blank=True)

    class Meta:
        verbose_name = "mijlpaal"
        verbose_name_plural = "mijlpalen"
        ordering = ["tender", "order", "planned_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "code"],
                name="procurement_milestone_code_unique",
                violation_error_message="Deze code bestaat al voor deze aanbesteding.",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="procurement_milestone_planned_range",
                violation_error_message="'Gepland tot en met' ligt vóór 'gepland vanaf'.",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | (Q(actual_start__isnull=False) & Q(actual_end__gte=F("actual_start"))),
                name="procurement_milestone_actual_range",
                violation_error_message="'Werkelijk tot en met' vraagt een werkelijke datum ervoor.",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = "Deze datum ligt vóór 'gepland vanaf'."
        for name in ("actual_start", "actual_end"):
            if error := future_date_error(getattr(self, name)):
                errors[name] = error
        if self.actual_end and not self.actual_start:
            errors["actual_start"] = "Vul de werkelijke (eerste) datum in."
        elif self.actual_end and self.actual_end < self.actual_start:
            errors.setdefault("actual_end", "Deze datum ligt vóór de werkelijke datum.")
        if self.tender_id and not errors:
            errors.update(milestone_decision_errors(self))
        if errors:
            raise ValidationError(errors)

    def status(self, today: datetime.date | None = None):
        return milestone_status(self, today)


class Candidate(models.Model):
    """A party (usually a consortium from providers/) that applied for the tender. A candidate
    not (yet) registered as a consortium keeps its name in `consortium_name`."""

    class Status(models.TextChoices):
        APPLIED = "applied", "Aangemeld"
        SELECTED = "selected", "Geselecteerd voor de dialoog"
        NOT_SELECTED = "not_selected", "Niet geselecteerd"
        WITHDRAWN = "withdrawn", "Teruggetrokken"

    tender = models.ForeignKey(
        Tender, verbose_name="aanbesteding", related_name="candidates", on_delete=models.CASCADE
    )
    name = models.CharField("naam", max_length=200)
    consortium = models.ForeignKey(
        "providers.Consortium", verbose_name="samenwerkingsverband", null=True, blank=True,
        related_name="tender_candidacies", on_delete=models.PROTECT,
    )  # fmt: skip
    consortium_name = models.CharField(
        "samenwerkingsverband (naam)", max_length=200, null=True, blank=True,
        help_text="Alleen invullen als het samenwerkingsverband nog niet als consortium bestaat.",
    )  # fmt: skip
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.APPLIED
    )

    class Meta:
        verbose_name = "kandidaat"
        verbose_name_plural = "kandidaten"
        ordering = ["tender", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "name"],
                name="procurement_candidate_name_unique",
                violation_error_message="Er is al een kandidaat met deze naam.",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def selection_date(self):
        """The selection decision, one for all candidates: the actual date of the tender's step
        'selection', for a candidate that was selected or not."""
        if self.status not in (self.Status.SELECTED, self.Status.NOT_SELECTED):
            return None
        return self.tender._decision_date("selection")

    @property
    def consortium_label(self) -> str:
        """The consortium's registered name, else the free-text name, else empty."""
        if self.consortium_id:
            return self.consortium.name
        return self.consortium_name or ""


class DialogueSession(models.Model):
    tender = models.ForeignKey(
        Tender,
        verbose_name="aanbesteding",
        related_name="dialogue_sessions",
        on_delete=models.CASCADE,
    )
    date = models.DateField("datum")
    theme = models.CharField("thema", max_length=200)
    candidates = models.ManyToManyField(
        Candidate, verbose_name="kandidaten", related_name="dialogue_sessions", blank=True
    )
    notes = models.TextField("verslag", blank=True)

    class Meta:
        verbose_name = "dialoogsessie"
        verbose_name_plural = "dialoogsessies"
        ordering = ["tender", "date", "theme"]

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.theme}"


class DialogueParticipant(models.Model):
    """Who took part besides the candidates: client representatives, experts by experience,
    partners and the municipality. Organisations or roles, not private persons' details."""

    class Kind(models.TextChoices):
        CLIENT_REPRESENTATIVE = "client_representative", "Cliëntvertegenwoordiger"
        EXPERT_BY_EXPERIENCE = "expert_by_experience", "Ervaringsdeskundige"
        PARTNER = "partner", "Partner"
        MUNICIPALITY = "municipality", "Gemeente"

    session = models.ForeignKey(
        DialogueSession, verbose_name="dialoogsessie", related_name="participants",
        on_delete=models.CASCADE,
    )  # fmt: skip
    kind = models.CharField("soort deelnemer", max_length=30, choices=Kind.choices)
    name = models.CharField("naam of organisatie", max_length=200)

    class Meta:
        verbose_name = "deelnemer"
        verbose_name_plural = "deelnemers"
        ordering = ["session", "kind", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class Principle(models.Model):
    """One of the 8 content principles of the assignment, with its weight in the evaluation."""

    tender = models.ForeignKey(
        Tender, verbose_name="aanbesteding", related_name="principles", on_delete=models.CASCADE
    )
    number = models.PositiveSmallIntegerField(
        "nummer",
        validators=[
            MinValueValidator(1, "Nummer 1 t/m 8."),
            MaxValueValidator(8, "Nummer 1 t/m 8."),
        ],
    )
    title = models.CharField("uitgangspunt", max_length=200)
    weight = models.DecimalField(
        "weging (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("12.50"),
        validators=[
            MinValueValidator(Decimal("0"), "Een weging kan niet negatief zijn."),
            MaxValueValidator(Decimal("100"), "Een weging is hoogstens 100 %%."),
        ],
    )

    class Meta:
        verbose_name = "inhoudelijk uitgangspunt"
        verbose_name_plural = "inhoudelijke uitgangspunten"
        ordering = ["tender", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "number"],
                name="procurement_principle_number_unique",
                violation_error_message="Dit uitgangspunt bestaat al.",
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


SCORE_MIN, SCORE_MAX = Decimal("0"), Decimal("10")


class EvaluationScore(models.Model):
    candidate = models.ForeignKey(
        Candidate, verbose_name="kandidaat", related_name="scores", on_delete=models.CASCADE
    )
    principle = models.ForeignKey(
        Principle, verbose_name="uitgangspunt", related_name="scores", on_delete=models.CASCADE
    )
    score = models.DecimalField(
        "score",
        max_digits=3,
        decimal_places=1,
        validators=[
            MinValueValidator(SCORE_MIN, "Een score ligt tussen 0 en 10."),
            MaxValueValidator(SCORE_MAX, "Een score ligt tussen 0 en 10."),
        ],
    )
    motivation = models.TextField("motivering", blank=True)

    class Meta:
        verbose_name = "beoordeling"
        verbose_name_plural = "beoordelingen"
        ordering = ["candidate", "principle__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "principle"],
                name="procurement_one_score_per_principle",
                violation_error_message="Voor dit uitgangspunt is al een score ingevoerd.",
            )
        ]

    def __str__(self):
        return f"{self.candidate} — {self.principle.number}: {self.score}"


class TenderOption(models.Model):
    """An option of the contract on the same timeline, linked to the contract's own option in
    providers/ once the contract exists."""

    class Kind(models.TextChoices):
        BT_PILOTS = "bt_pilots", "Pilots Beschermd Thuis"
        U16_DECISION_2029 = "u16_decision_2029", "Besluit 2029 met de U16"
        HBH_REVIEW_2031 = "hbh_review_2031", "Herzieningsclausule hulp bij het huishouden"
        EXTENSION = "extension", "Verlengingsoptie"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        EXERCISED = "exercised", "Gelicht"
        LAPSED = "lapsed", "Vervallen"

    tender = models.ForeignKey(
        Tender, verbose_name="aanbesteding", related_name="options", on_delete=models.CASCADE
    )
    code = models.SlugField("code", max_length=60)
    title = models.CharField("titel", max_length=200)
    kind = models.CharField("soort", max_length=30, choices=Kind.choices)
    decision_date = models.DateField("besluitdatum", null=True, blank=True)
    period_start = models.DateField("periode vanaf")
    period_end = models.DateField("periode tot en met", null=True, blank=True)
    period_label = models.CharField("periode (zoals in de stukken)", max_length=100, blank=True)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.OPEN)
    description = models.TextField("omschrijving", blank=True)
    contract_option = models.ForeignKey(
        "providers.ContractOption", verbose_name="contractoptie", null=True, blank=True,
        related_name="tender_options", on_delete=models.SET_NULL,
    )  # fmt: skip

    class Meta:
        verbose_name = "contractoptie"
        verbose_name_plural = "contractopties"
        ordering = ["tender", "period_start", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "code"],
                name="procurement_option_code_unique",
                violation_error_message="Deze code bestaat al voor deze aanbesteding.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_end__gte=F("period_start")),
                name="procurement_option_period_range",
                violation_error_message="'Periode tot en met' ligt vóór 'periode vanaf'.",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = "Deze datum ligt vóór 'periode vanaf'."
        if self.status != self.Status.OPEN and not self.decision_date:
            errors["decision_date"] = (
                "Vul de besluitdatum in: een gelichte of vervallen optie is een besluit."
            )
        if (
            self.contract_option_id
            and self.tender_id
            and self.tender.contract_id
            and self.contract_option.contract_id != self.tender.contract_id
        ):
            errors["contract_option"] = (
                "Deze contractoptie hoort bij een ander contract dan het contract van de "
                "aanbesteding."
            )
        if errors:
            raise ValidationError(errors)


class Motion(models.Model):
    class Status(models.TextChoices):
        UNKNOWN = "unknown", "Onbekend"
        ADOPTED = "adopted", "Aangenomen"
        REJECTED = "rejected", "Verworpen"
        HELD = "held", "Aangehouden"
        WITHDRAWN = "withdrawn", "Ingetrokken"

    tender = models.ForeignKey(
        Tender, verbose_name="aanbesteding", related_name="motions", on_delete=models.CASCADE
    )
    date = models.DateField("datum")
    title = models.CharField("titel", max_length=200)
    submitter = models.CharField("indiener", max_length=200, blank=True)
    party = models.CharField("partij", max_length=100)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.UNKNOWN
    )
    summary = models.TextField("samenvatting", blank=True)
    url = models.URLField("link", blank=True)
    milestones = models.ManyToManyField(
        Milestone, verbose_name="betreft mijlpalen", related_name="motions", blank=True
    )
    options = models.ManyToManyField(
        TenderOption, verbose_name="betreft besluiten", related_name="motions", blank=True
    )

    class Meta:
        verbose_name = "motie"
        verbose_name_plural = "moties"
        ordering = ["-date", "title"]

    def __str__(self):
        return f"{self.title} ({self.date:%d-%m-%Y})"


class MotionRequest(models.Model):
    """One request ('verzoekt het college …') of a motion, with the college's response."""

    class Status(models.TextChoices):
        OPEN = "open", "Openstaand"
        IN_PROGRESS = "in_progress", "In behandeling"
        DONE = "done", "Uitgevoerd"
        DECLINED = "declined", "Niet uitgevoerd"

    motion = models.ForeignKey(
        Motion, verbose_name="motie", related_name="requests", on_delete=models.CASCADE
    )
    number = models.PositiveSmallIntegerField("nummer")
    text = models.TextField("verzoek")
    response = models.TextField("reactie van het college", blank=True)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = "verzoek"
        verbose_name_plural = "verzoeken"
        ordering = ["motion", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["motion", "number"],
                name="procurement_motion_request_number_unique",
                violation_error_message="Dit verzoeknummer bestaat al voor deze motie.",
            )
        ]

    def __str__(self):
        return f"{self.motion.title} — verzoek {self.number}"

    def clean(self):
        if self.status in (self.Status.DONE, self.Status.DECLINED) and not self.response.strip():
            raise ValidationError(
                {"response": "Geef de reactie van het college bij een afgehandeld verzoek."}
            )


class CalendarFeed(models.Model):
    """A user's personal subscription link to the tender calendar, for calendar apps that cannot
    sign in.

    The link's token is `key` (random, `secrets.token_urlsafe`) followed by an HMAC of it under
    the site's SECRET_KEY, checked with `hmac.compare_digest`. The database alone therefore holds
    nothing that opens the feed, yet the page can show the link again on every visit. A new link
    replaces the key (the old link stops working); revoking deletes the row."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="gebruiker", related_name="procurement_feed",
        on_delete=models.CASCADE,
    )  # fmt: skip
    key = models.CharField("sleutel", max_length=32, unique=True, editable=False)
    issued_at = models.DateTimeField("link gemaakt op", auto_now=True)
    last_used_at = models.DateTimeField("laatst opgehaald", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "agenda-abonnement"
        verbose_name_plural = "agenda-abonnementen"

    def __str__(self):
        return f"Agenda-abonnement van {self.user}"

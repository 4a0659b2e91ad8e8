"""The tender and its timeline: the tender itself, its documents and its milestones."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wmo.versions import Versioned

from ..awards import milestone_decision_errors
from ..standstill import standstill_for
from ..status import early_date_errors, milestone_status, tender_status

DEFAULT_STANDSTILL_DAYS = 20
MAX_STANDSTILL_DAYS = 365


def _standstill_too_long() -> str:
    return gettext("De opschortende termijn is hoogstens %(days)s kalenderdagen.") % {
        "days": MAX_STANDSTILL_DAYS
    }


class Tender(models.Model):
    class Procedure(models.TextChoices):
        DIALOGUE = "dialogue", _("Dialooggerichte aanbesteding")
        OPEN = "open", _("Openbare procedure")
        RESTRICTED = "restricted", _("Niet-openbare procedure")

    class Regime(models.TextChoices):
        SAS_ABOVE = (
            "sas_above_threshold",
            _("Sociale en andere specifieke diensten, boven de Europese drempel"),
        )
        SAS_BELOW = (
            "sas_below_threshold",
            _("Sociale en andere specifieke diensten, onder de Europese drempel"),
        )
        FULL = "full", _("Volledig regime")

    class Instrument(models.TextChoices):
        PUBLIC_CONTRACT = "public_contract", _("Overheidsopdracht")
        SUBSIDY = "subsidy", _("Subsidie")
        OPEN_HOUSE = "open_house", _("Open house")

    class Status(models.TextChoices):
        PREPARATION = "preparation", _("In voorbereiding")
        CONSULTATION = "consultation", _("Marktconsultatie")
        PUBLISHED = "published", _("Gepubliceerd")
        SELECTION = "selection", _("Selectie")
        DIALOGUE = "dialogue", _("Dialoog")
        EVALUATION = "evaluation", _("Beoordeling")
        AWARD = "award", _("Gunning")
        IMPLEMENTATION = "implementation", _("Implementatie")
        CONTRACT = "contract", _("Contract loopt")
        CANCELLED = "cancelled", _("Ingetrokken")

    title = models.CharField(_("titel"), max_length=200)
    reference = models.CharField(
        _("kenmerk"),
        max_length=30,
        unique=True,
        help_text=_("Kenmerk van de gemeente, bijvoorbeeld 30209886."),
    )
    procedure = models.CharField(_("procedure"), max_length=20, choices=Procedure.choices)
    regime = models.CharField(_("regime"), max_length=30, choices=Regime.choices)
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices)
    cancelled_date = models.DateField(
        _("ingetrokken op"),
        null=True,
        blank=True,
        help_text=_(
            "Alleen als de aanbesteding is ingetrokken. De status volgt verder uit de "
            "vastgelegde data van de stappen."
        ),
    )
    contract_start = models.DateField(_("start van het contract"), null=True, blank=True)
    awarded_candidate = models.ForeignKey(
        "Candidate",
        verbose_name=_("gegunde kandidaat"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    standstill_days = models.PositiveSmallIntegerField(
        _("opschortende termijn (kalenderdagen)"),
        default=DEFAULT_STANDSTILL_DAYS,
        validators=[
            MinValueValidator(1, _("De opschortende termijn is minstens 1 kalenderdag.")),
            # Lazy, with the number filled in: the message as the migrations hold it.
            MaxValueValidator(MAX_STANDSTILL_DAYS, lazy(_standstill_too_long, str)()),
        ],
        help_text=_(
            "Standaard 20 kalenderdagen (Alcatel-termijn). Eindigt de termijn op een "
            "zaterdag, zondag of feestdag, dan loopt hij door tot de eerstvolgende werkdag "
            "(Algemene termijnenwet)."
        ),
    )
    contract = models.ForeignKey(
        "providers.Contract", verbose_name=_("contract"), null=True, blank=True,
        related_name="tenders", on_delete=models.SET_NULL,
        help_text=_("Het contract dat uit deze aanbesteding is voortgekomen."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("aanbesteding")
        verbose_name_plural = _("aanbestedingen")
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
        errors = early_date_errors(self, recorded=("cancelled_date",))
        if self.awarded_candidate_id and self.awarded_candidate.tender_id != self.pk:
            errors["awarded_candidate"] = gettext(
                "Deze kandidaat doet niet mee aan deze aanbesteding."
            )
        elif (
            self.contract_id
            and self.awarded_candidate_id
            and self.awarded_candidate.consortium_id
            and self.contract.consortium_id
            and self.contract.consortium_id != self.awarded_candidate.consortium_id
        ):
            errors["contract"] = gettext(
                "Dit contract is gesloten met een ander samenwerkingsverband dan de gegunde "
                "kandidaat."
            )
        if errors:
            raise ValidationError(errors)


class TenderDocument(models.Model):
    tender = models.ForeignKey(
        Tender, verbose_name=_("aanbesteding"), related_name="documents", on_delete=models.CASCADE
    )
    title = models.CharField(_("titel"), max_length=200)
    date = models.DateField(_("datum"))
    url = models.URLField(_("link"), blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["date", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        if errors := early_date_errors(self):
            raise ValidationError(errors)


class Milestone(Versioned):
    """A step of the college letter, or a moment the council is informed.

    The planned period is stored at the precision the letter gives: a date range plus the Dutch
    label it came from ("half mei 2025"). The actual date is one day or a range."""

    class Kind(models.TextChoices):
        STEP = "step", _("Stap")
        COUNCIL_INFO = "council_info", _("Informatie aan de raad")

    class Channel(models.TextChoices):
        NONE = "", "—"
        VERZAMELBRIEF = "verzamelbrief", _("Verzamelbrief")
        RAADSINFORMATIEBRIEF = "raadsinformatiebrief", _("Raadsinformatiebrief")

    tender = models.ForeignKey(
        Tender, verbose_name=_("aanbesteding"), related_name="milestones", on_delete=models.CASCADE
    )
    code = models.SlugField(_("code"), max_length=60)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.STEP)
    channel = models.CharField(
        _("kanaal"), max_length=30, choices=Channel.choices, default=Channel.NONE, blank=True
    )
    concerns = models.ForeignKey(
        "self",
        verbose_name=_("over de stap"),
        null=True,
        blank=True,
        related_name="council_information",
        on_delete=models.SET_NULL,
    )
    order = models.PositiveSmallIntegerField(_("volgorde"))
    title = models.CharField(_("omschrijving"), max_length=200)
    planned_start = models.DateField(_("gepland vanaf"))
    planned_end = models.DateField(_("gepland tot en met"))
    planned_label = models.CharField(
        _("gepland (zoals in de brief)"),
        max_length=100,
        help_text=_("Bijvoorbeeld 'half mei 2025'."),
    )
    actual_start = models.DateField(
        _("werkelijke datum"),
        null=True,
        blank=True,
        help_text=_("De dag waarop de stap plaatsvond, of de eerste dag als het een periode is."),
    )
    actual_end = models.DateField(
        _("werkelijk tot en met"),
        null=True,
        blank=True,
        help_text=_("Alleen bij een periode: de laatste dag."),
    )
    is_period = models.BooleanField(
        _("periode"),
        default=False,
        help_text=_(
            "Een periode (zoals de dialoog) is pas afgerond als 'werkelijk tot en met' is "
            "ingevuld; met alleen een werkelijke begindatum loopt hij nog."
        ),
    )
    notes = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")
        ordering = ["tender", "order", "planned_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "code"],
                name="procurement_milestone_code_unique",
                violation_error_message=_("Deze code bestaat al voor deze aanbesteding."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="procurement_milestone_planned_range",
                violation_error_message=_("'Gepland tot en met' ligt vóór 'gepland vanaf'."),
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | (Q(actual_start__isnull=False) & Q(actual_end__gte=F("actual_start"))),
                name="procurement_milestone_actual_range",
                violation_error_message=_(
                    "'Werkelijk tot en met' vraagt een werkelijke datum ervoor."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = early_date_errors(self, recorded=("actual_start", "actual_end"))
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors.setdefault("planned_end", gettext("Deze datum ligt vóór 'gepland vanaf'."))
        if self.actual_end and not self.actual_start:
            errors["actual_start"] = gettext("Vul de werkelijke (eerste) datum in.")
        elif self.actual_end and self.actual_end < self.actual_start:
            errors.setdefault("actual_end", gettext("Deze datum ligt vóór de werkelijke datum."))
        if self.tender_id and not errors:
            errors.update(milestone_decision_errors(self))
        if errors:
            raise ValidationError(errors)

    def status(self, today: datetime.date | None = None):
        return milestone_status(self, today)

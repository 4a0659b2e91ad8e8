"""Candidates, the dialogue sessions with them, the content principles the dialogue is about, the
award criteria they are evaluated on and their scores, from which the award follows."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..status import early_date_errors
from .tender import Tender


class Candidate(models.Model):
    """A party (usually a consortium from providers/) that applied for the tender. A candidate
    not (yet) registered as a consortium keeps its name in `consortium_name`."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Aangemeld")
        SELECTED = "selected", _("Geselecteerd voor de dialoog")
        NOT_SELECTED = "not_selected", _("Niet geselecteerd")
        WITHDRAWN = "withdrawn", _("Teruggetrokken")

    tender = models.ForeignKey(
        Tender, verbose_name=_("aanbesteding"), related_name="candidates", on_delete=models.CASCADE
    )
    name = models.CharField(_("naam"), max_length=200)
    consortium = models.ForeignKey(
        "providers.Consortium", verbose_name=_("samenwerkingsverband"), null=True, blank=True,
        related_name="tender_candidacies", on_delete=models.PROTECT,
    )  # fmt: skip
    consortium_name = models.CharField(
        _("samenwerkingsverband (naam)"), max_length=200, null=True, blank=True,
        help_text=_("Alleen invullen als het samenwerkingsverband nog niet als consortium bestaat."),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )

    class Meta:
        verbose_name = _("kandidaat")
        verbose_name_plural = _("kandidaten")
        ordering = ["tender", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "name"],
                name="procurement_candidate_name_unique",
                violation_error_message=_("Er is al een kandidaat met deze naam."),
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
        verbose_name=_("aanbesteding"),
        related_name="dialogue_sessions",
        on_delete=models.CASCADE,
    )
    date = models.DateField(_("datum"))
    theme = models.CharField(_("thema"), max_length=200)
    candidates = models.ManyToManyField(
        Candidate, verbose_name=_("kandidaten"), related_name="dialogue_sessions", blank=True
    )
    notes = models.TextField(_("verslag"), blank=True)

    class Meta:
        verbose_name = _("dialoogsessie")
        verbose_name_plural = _("dialoogsessies")
        ordering = ["tender", "date", "theme"]

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.theme}"

    def clean(self):
        if errors := early_date_errors(self):
            raise ValidationError(errors)


class DialogueParticipant(models.Model):
    """Who took part besides the candidates: client representatives, experts by experience,
    partners and the municipality. Organisations or roles, not private persons' details."""

    class Kind(models.TextChoices):
        CLIENT_REPRESENTATIVE = "client_representative", _("Cliëntvertegenwoordiger")
        EXPERT_BY_EXPERIENCE = "expert_by_experience", _("Ervaringsdeskundige")
        PARTNER = "partner", _("Partner")
        MUNICIPALITY = "municipality", _("Gemeente")

    session = models.ForeignKey(
        DialogueSession, verbose_name=_("dialoogsessie"), related_name="participants",
        on_delete=models.CASCADE,
    )  # fmt: skip
    kind = models.CharField(_("soort deelnemer"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("naam of organisatie"), max_length=200)

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["session", "kind", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class Principle(models.Model):
    """One of the content principles ("inhoudelijke uitgangspunten") of the assignment, in the
    words of the college letter. They are what the dialogue is about, not award criteria: they
    carry no weight and no scores (see `AwardCriterion`)."""

    tender = models.ForeignKey(
        Tender, verbose_name=_("aanbesteding"), related_name="principles", on_delete=models.CASCADE
    )
    number = models.PositiveSmallIntegerField(
        _("nummer"),
        validators=[
            MinValueValidator(1, _("Nummer 1 t/m 8.")),
            MaxValueValidator(8, _("Nummer 1 t/m 8.")),
        ],
    )
    title = models.CharField(
        _("uitgangspunt"), max_length=200, help_text=_("Letterlijk zoals in de collegebrief.")
    )

    class Meta:
        verbose_name = _("inhoudelijk uitgangspunt")
        verbose_name_plural = _("inhoudelijke uitgangspunten")
        ordering = ["tender", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "number"],
                name="procurement_principle_number_unique",
                violation_error_message=_("Dit uitgangspunt bestaat al."),
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


WEIGHT_MIN, WEIGHT_MAX = Decimal("0"), Decimal("100")


class AwardCriterion(models.Model):
    """An award criterion of a tender with its weight, as the contract manager sets it for that
    tender. No default criteria and no default weight: a new tender has none until they are
    recorded, and together the weights make 100 % (`services.weights_error`)."""

    tender = models.ForeignKey(
        Tender, verbose_name=_("aanbesteding"), related_name="criteria", on_delete=models.CASCADE
    )
    number = models.PositiveSmallIntegerField(
        _("nummer"), validators=[MinValueValidator(1, _("Een nummer is minstens 1."))]
    )
    title = models.CharField(_("gunningscriterium"), max_length=200)
    weight = models.DecimalField(
        _("weging (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(WEIGHT_MIN, _("Een weging kan niet negatief zijn.")),
            MaxValueValidator(WEIGHT_MAX, _("Een weging is hoogstens 100 %%.")),
        ],
    )

    class Meta:
        verbose_name = _("gunningscriterium")
        verbose_name_plural = _("gunningscriteria")
        ordering = ["tender", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "number"],
                name="procurement_criterion_number_unique",
                violation_error_message=_("Dit nummer heeft al een gunningscriterium."),
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


SCORE_MIN, SCORE_MAX = Decimal("0"), Decimal("10")


class EvaluationScore(models.Model):
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("kandidaat"), related_name="scores", on_delete=models.CASCADE
    )
    criterion = models.ForeignKey(
        AwardCriterion, verbose_name=_("gunningscriterium"), related_name="scores",
        on_delete=models.CASCADE,
    )  # fmt: skip
    score = models.DecimalField(
        _("score"),
        max_digits=3,
        decimal_places=1,
        validators=[
            MinValueValidator(SCORE_MIN, _("Een score ligt tussen 0 en 10.")),
            MaxValueValidator(SCORE_MAX, _("Een score ligt tussen 0 en 10.")),
        ],
    )
    motivation = models.TextField(_("motivering"), blank=True)

    class Meta:
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        ordering = ["candidate", "criterion__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "criterion"],
                name="procurement_one_score_per_criterion",
                violation_error_message=_("Voor dit gunningscriterium is al een score ingevoerd."),
            )
        ]

    def __str__(self):
        return f"{self.candidate} — {self.criterion.number}: {self.score}"

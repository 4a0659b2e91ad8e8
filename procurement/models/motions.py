"""Council motions about the tender and the requests they make."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wmo.versions import Versioned

from ..status import early_date_errors
from .options import TenderOption
from .tender import Milestone, Tender


class Motion(Versioned):
    class Status(models.TextChoices):
        UNKNOWN = "unknown", _("Onbekend")
        ADOPTED = "adopted", _("Aangenomen")
        REJECTED = "rejected", _("Verworpen")
        HELD = "held", _("Aangehouden")
        WITHDRAWN = "withdrawn", _("Ingetrokken")

    tender = models.ForeignKey(
        Tender, verbose_name=_("aanbesteding"), related_name="motions", on_delete=models.CASCADE
    )
    date = models.DateField(_("datum"))
    title = models.CharField(_("titel"), max_length=200)
    submitter = models.CharField(_("indiener"), max_length=200, blank=True)
    party = models.CharField(_("partij"), max_length=100)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UNKNOWN
    )
    summary = models.TextField(_("samenvatting"), blank=True)
    url = models.URLField(_("link"), blank=True)
    milestones = models.ManyToManyField(
        Milestone, verbose_name=_("betreft mijlpalen"), related_name="motions", blank=True
    )
    options = models.ManyToManyField(
        TenderOption, verbose_name=_("betreft besluiten"), related_name="motions", blank=True
    )

    class Meta:
        verbose_name = _("motie")
        verbose_name_plural = _("moties")
        ordering = ["-date", "title"]

    def __str__(self):
        return f"{self.title} ({self.date:%d-%m-%Y})"

    def clean(self):
        # A motion is recorded once the council has voted on it: its date has come.
        if errors := early_date_errors(self, recorded=("date",)):
            raise ValidationError(errors)


class MotionRequest(models.Model):
    """One request ('verzoekt het college …') of a motion, with the college's response."""

    class Status(models.TextChoices):
        OPEN = "open", _("Openstaand")
        IN_PROGRESS = "in_progress", _("In behandeling")
        DONE = "done", _("Uitgevoerd")
        DECLINED = "declined", _("Niet uitgevoerd")

    motion = models.ForeignKey(
        Motion, verbose_name=_("motie"), related_name="requests", on_delete=models.CASCADE
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    text = models.TextField(_("verzoek"))
    response = models.TextField(_("reactie van het college"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        verbose_name = _("verzoek")
        verbose_name_plural = _("verzoeken")
        ordering = ["motion", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["motion", "number"],
                name="procurement_motion_request_number_unique",
                violation_error_message=_("Dit verzoeknummer bestaat al voor deze motie."),
            )
        ]

    def __str__(self):
        return f"{self.motion.title} — verzoek {self.number}"

    def clean(self):
        if self.status in (self.Status.DONE, self.Status.DECLINED) and not self.response.strip():
            raise ValidationError(
                {
                    "response": gettext(
                        "Geef de reactie van het college bij een afgehandeld verzoek."
                    )
                }
            )

"""Council motions about the tender and the requests they make."""

from django.core.exceptions import ValidationError
from django.db import models

from .options import TenderOption
from .tender import Milestone, Tender


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

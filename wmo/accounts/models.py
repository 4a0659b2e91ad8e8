from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Append-only trail of who looked at or changed a person's record, and when."""

    class Action(models.TextChoices):
        VIEW = "view", "Bekeken"
        CREATE = "create", "Aangemaakt"
        CHANGE = "change", "Gewijzigd"
        EXPORT = "export", "Geëxporteerd"

    at = models.DateTimeField("tijdstip", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="gebruiker", null=True, on_delete=models.SET_NULL
    )
    # Kept beside the FK so the trail survives removal of the account.
    username = models.CharField("gebruikersnaam", max_length=150)
    action = models.CharField("handeling", max_length=10, choices=Action.choices)
    object_type = models.CharField("soort gegeven", max_length=100)
    object_id = models.CharField("kenmerk", max_length=100)
    path = models.CharField("adres", max_length=500, blank=True)

    class Meta:
        verbose_name = "auditregel"
        verbose_name_plural = "audittrail"
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type} {self.object_id}"

from auditlog.models import AbstractLogEntry
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(AbstractLogEntry):
    """One line of the audit trail (in the spirit of NEN 7513): who (`actor`, and the user name
    kept beside it so the line survives removal of the account), when (`timestamp`), which
    action, on which record or records (`content_type` and `record_ids`), from which address
    (`remote_addr`) and page or endpoint (`path`).

    Built on django-auditlog's log entry (settings.AUDITLOG_LOGENTRY_MODEL points here), with
    what a trail of person-level data needs beyond it: import and export as actions, several
    records in one line (a list page, an import, an export), and an actor reference that never
    changes. Written only through `wmo.accounts.audit`; the database refuses UPDATE and DELETE
    (migration 0004), except the retention purge (`audit.purge`)."""

    class Action(AbstractLogEntry.Action):
        # django-auditlog's numbers (CREATE 0, UPDATE 1, DELETE 2, ACCESS 3) plus two of ours.
        IMPORT = 4
        EXPORT = 5

        choices = (
            (AbstractLogEntry.Action.ACCESS, _("Bekeken")),
            (AbstractLogEntry.Action.CREATE, _("Aangemaakt")),
            (AbstractLogEntry.Action.UPDATE, _("Gewijzigd")),
            (AbstractLogEntry.Action.DELETE, _("Verwijderd")),
            (IMPORT, _("Geïmporteerd")),
            (EXPORT, _("Geëxporteerd")),
        )

    action = models.PositiveSmallIntegerField(_("handeling"), choices=Action.choices, db_index=True)
    # A plain reference without a database constraint: removing an account must neither fail
    # nor rewrite its lines (SET_NULL would be an UPDATE, which the trail refuses).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.DO_NOTHING, db_constraint=False, null=True, blank=True,
        related_name="+", verbose_name=_("gebruiker"),
    )  # fmt: skip
    actor_username = models.CharField(_("gebruikersnaam"), max_length=150, db_index=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", models.PROTECT, related_name="+",
        verbose_name=_("soort gegeven"),
    )  # fmt: skip
    record_ids = models.JSONField(
        _("kenmerken"), default=list, blank=True,
        help_text=_("De kenmerken (verwijzingsnummer, casusnummer) van de gegevens in deze regel."),
    )  # fmt: skip
    record_count = models.PositiveIntegerField(_("aantal gegevens"), default=1)
    path = models.CharField(_("pagina of endpoint"), max_length=500, blank=True)

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("auditregel")
        verbose_name_plural = _("audittrail")
        ordering = ["-id"]
        indexes = [models.Index(fields=["remote_addr"], name="accounts_audit_addr_idx")]

    def __str__(self):
        return (f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_username} "
                f"{self.get_action_display()} {self.object_repr}")  # fmt: skip

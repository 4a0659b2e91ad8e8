"""An uploaded file's import, run by a Celery job. Its state lives here, not only in the broker,
so the job page can show progress and the report, and a redelivered message is not imported
twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        RUNNING = "running", _("Bezig")
        DONE = "done", _("Klaar")
        FAILED = "failed", _("Mislukt")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(_("soort"), max_length=30, db_index=True)
    title = models.CharField(_("import"), max_length=100)
    # The importer's dotted path, set from code (the upload view's importer), never from input.
    importer = models.CharField(_("importeur"), max_length=200)
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    file_size = models.BigIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # The file in IMPORT_UPLOAD_DIR while the job waits or runs; empty once it is removed.
    stored_name = models.CharField(_("opgeslagen als"), max_length=80, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("geüpload door"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    # The uploader's address, for the audit trail's line of the import the job makes.
    address = models.GenericIPAddressField(_("adres"), null=True, blank=True)
    dry_run = models.BooleanField(_("alleen controleren"), default=False)

    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.QUEUED, db_index=True)  # fmt: skip
    stage = models.CharField(_("stap"), max_length=10, blank=True)
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    rows_processed = models.PositiveIntegerField(_("rijen verwerkt"), default=0)
    rows = models.PositiveIntegerField(_("gegevensrijen"), default=0)
    new_rows = models.PositiveIntegerField(_("nieuw"), default=0)
    changed_rows = models.PositiveIntegerField(_("gewijzigd"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("ongewijzigd"), default=0)
    problem_count = models.PositiveIntegerField(_("problemen"), default=0)
    # The first problems (problems.MAX_KEPT_PROBLEMS) as {line, column, value, message}.
    problems = models.JSONField(_("gevonden problemen"), default=list, blank=True)
    # Rows saved but worth a look (ImportResult.warnings), in the same form.
    warning_count = models.PositiveIntegerField(_("waarschuwingen"), default=0)
    warnings = models.JSONField(_("waarschuwingen bij opgeslagen rijen"), default=list, blank=True)
    summary = models.TextField(_("samenvatting"), blank=True)
    message = models.TextField(_("toelichting"), blank=True)
    error = models.TextField(_("foutmelding"), blank=True)

    created_at = models.DateTimeField(_("geüpload"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("naar de wachtrij"), null=True, blank=True)
    started_at = models.DateTimeField(_("gestart"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("laatste teken van leven"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    task_id = models.CharField(_("taak-id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("importtaak")
        verbose_name_plural = _("importtaken")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.title}: {self.file_name} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def accepted(self) -> bool:
        """Finished without a problem: imported (or, in a dry run, found fine)."""
        return self.status == self.Status.DONE and not self.problem_count

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wmo.periods.fields import PeriodField


class IndicatorRun(models.Model):
    """One computation of a period (a quarter, half-year or year). Its state lives here, not
    only in the broker, so the app can show progress and refuse a second concurrent run for the
    same period."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        RUNNING = "running", _("Bezig")
        DONE = "done", _("Klaar")
        FAILED = "failed", _("Mislukt")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    # The period computed: 2026Q3, 2026H1 or 2026 (the column kept its first name).
    quarter = PeriodField(_("periode"), db_index=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    step = models.CharField(_("stap"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("aangevraagd"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("laatste teken van leven"), null=True, blank=True)
    error = models.TextField(_("foutmelding"), blank=True)
    # Attempts started by a worker; a transient database or broker error sends the run back to
    # the queue for another attempt (tasks.compute_quarter), the error text kept beside it.
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    rows_written = models.PositiveIntegerField(_("rijen geschreven"), default=0)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("aangevraagd door"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    trigger = models.CharField(_("aanleiding"), max_length=40, default="handmatig")
    # The Celery message that carries the run. Empty while the run is recorded but not handed
    # to the broker (it was away): wmo.dispatch sends such runs once it is back (tasks.send_run).
    task_id = models.CharField(_("taak-id"), max_length=64, blank=True)
    # Records its period counts in changed while the run was computing (an import or edit
    # committed after it began reading): once done, the run queues its period again
    # (tasks.queue_run, tasks.compute_quarter), so the change is not missed.
    rerun_requested = models.BooleanField(_("opnieuw nodig"), default=False)

    class Meta:
        verbose_name = _("indicatorberekening")
        verbose_name_plural = _("indicatorberekeningen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarter"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_run_per_quarter",
            )
        ]

    def __str__(self):
        return f"{self.quarter} {self.get_status_display()} ({self.progress}%)"

    AWAITING_BROKER_STEP = "Wacht tot de wachtrij bereikbaar is"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def awaits_broker(self) -> bool:
        """Recorded, but handing it to the broker failed: it waits for the dispatcher."""
        return (
            self.status == self.Status.QUEUED
            and not self.task_id
            and self.step == self.AWAITING_BROKER_STEP
        )

    @property
    def awaiting_broker_message(self) -> str:
        return gettext(
            "De wachtrij (Celery-broker) is nu niet bereikbaar. De berekening van %(quarter)s is "
            "vastgelegd en start vanzelf zodra de wachtrij weer bereikbaar is; tot dan blijven de "
            "bestaande cijfers staan."
        ) % {"quarter": self.quarter}


TENTH, CENT = Decimal("0.1"), Decimal("0.01")


class StoredFigure(models.DecimalField):
    """A stored value or numerator: amounts have cents (BUDGET.md), every other figure is whole
    or has one decimal. Read back in the figure's own precision — a count or a numerator of
    counts as an int (`numerator`), a tenth as one decimal — so the other indicators read as
    they always did, whatever the column's scale."""

    def __init__(self, *args, whole_as_int=False, **kwargs):
        self.whole_as_int = whole_as_int
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.whole_as_int:
            kwargs["whole_as_int"] = True
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        value = Decimal(value)
        if self.whole_as_int and value == value.to_integral_value():
            return int(value)
        tenth = value.quantize(TENTH)
        return tenth if tenth == value else value.quantize(CENT)


class IndicatorValue(models.Model):
    """A stored figure: the same number in every dashboard, export, API answer and report."""

    # The period's text form (2026Q3, 2026H1, 2026), read as a Period (wmo.periods); the column
    # kept its first name.
    quarter = PeriodField(_("periode"))
    level = models.CharField(_("niveau"), max_length=20)
    level_key = models.CharField(_("niveausleutel"), max_length=80)
    indicator = models.CharField(_("indicator"), max_length=40)
    # Empty means undefined (no denominator), never 0.
    value = StoredFigure(_("waarde"), max_digits=16, decimal_places=2, null=True, blank=True)
    # A count, or an amount in euros (cost_per_client_eur: the spend).
    numerator = StoredFigure(_("teller"), max_digits=18, decimal_places=2, null=True, blank=True,
                             whole_as_int=True)  # fmt: skip
    denominator = models.BigIntegerField(_("noemer"), null=True, blank=True)
    norm = models.DecimalField(_("norm"), max_digits=8, decimal_places=1, null=True, blank=True)
    # What council members may see of it, marked when the period is stored (suppression.marks);
    # council readers turn the row into what they show with suppression.council_view.
    suppression = models.CharField(
        _("afscherming"), max_length=9, blank=True, default="",
        choices=[("", _("getoond")), ("primary", _("primair afgeschermd")),
                 ("secondary", _("secundair afgeschermd")),
                 ("withheld", _("achtergehouden met de uitsplitsing"))],
    )  # fmt: skip

    class Meta:
        verbose_name = _("indicatorwaarde")
        verbose_name_plural = _("indicatorwaarden")
        ordering = ["quarter", "level", "level_key", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarter", "level", "level_key", "indicator"], name="one_value_per_cell"
            )
        ]
        indexes = [
            models.Index(fields=["indicator", "level", "quarter"], name="indicator_trend_idx")
        ]

    def __str__(self):
        return f"{self.quarter} {self.level}:{self.level_key} {self.indicator}={self.value}"


class BaselineFigure(models.Model):
    """The published yearly figures 2020–2022 (the 0-measurement), loaded on migrate."""

    year = models.PositiveSmallIntegerField(_("jaar"))
    service = models.CharField(_("voorziening of buurtteam"), max_length=60)
    indicator = models.CharField(_("indicator"), max_length=40)
    value = models.DecimalField(_("waarde"), max_digits=12, decimal_places=1)
    norm = models.DecimalField(_("norm"), max_digits=8, decimal_places=1, null=True, blank=True)
    unit = models.CharField(
        _("eenheid"),
        max_length=20,
        blank=True,
        help_text=_("Zoals gepubliceerd (days, working_days)."),
    )
    note = models.TextField(
        _("noot"), blank=True,
        help_text=_("Wat bij het cijfer gezegd moet worden, zoals een eenheid die de bron niet "
        "eenduidig geeft."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("nulmeting")
        verbose_name_plural = _("nulmeting 2020–2022")
        ordering = ["service", "indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "service", "indicator"], name="one_baseline_cell"
            )
        ]

    def __str__(self):
        return f"{self.year} {self.service} {self.indicator}={self.value}"


class BudgetLine(models.Model):
    """The programme budget per objective and year in k€ (budget_2024_2027.csv); year None is
    the structural figure."""

    objective = models.CharField(_("beleidsdoel"), max_length=10)
    line = models.CharField(_("regel"), max_length=40)
    year = models.PositiveSmallIntegerField(_("jaar"), null=True, blank=True)
    amount_keur = models.DecimalField(_("bedrag (k€)"), max_digits=12, decimal_places=0)
    # Optimistic locking (indicators/budget_lines.py): a change carries the version its editor
    # read; one based on an outdated version is refused, so no edit silently overwrites another.
    version = models.PositiveIntegerField(_("versie"), default=1, editable=False)

    class Meta:
        verbose_name = _("begrotingsregel")
        verbose_name_plural = _("begroting")
        ordering = ["objective", "line", "year"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "line", "year"], name="one_budget_cell"),
            models.UniqueConstraint(
                fields=["objective", "line"], condition=Q(year__isnull=True),
                name="one_structural_budget_cell",
            ),
        ]  # fmt: skip

    def __str__(self):
        year = self.year or gettext("structureel")
        return f"{self.objective} {self.line} {year}: {self.amount_keur} k€"


class BudgetLineChange(models.Model):
    """One change of a budget cell, kept for good: who, when, the value before (None: the cell
    was new) and after. Append-only: written by indicators/budget_lines.py only, never
    changed or deleted."""

    class Kind(models.TextChoices):
        CHANGED = "changed", _("gewijzigd")
        ADDED = "added", _("toegevoegd")
        NEW_YEAR = "new_year", _("nieuw jaar (structureel overgenomen)")

    objective = models.CharField(_("beleidsdoel"), max_length=10)
    line = models.CharField(_("regel"), max_length=40)
    year = models.PositiveSmallIntegerField(_("jaar"), null=True, blank=True)
    previous_amount = models.DecimalField(_("vorig bedrag (k€)"), max_digits=12, decimal_places=0,
                                          null=True, blank=True)  # fmt: skip
    new_amount = models.DecimalField(_("nieuw bedrag (k€)"), max_digits=12, decimal_places=0)
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    changed_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gewijzigd door"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    # The name as it was: the history still says who when the account is gone.
    changed_by_name = models.CharField(_("naam wijziger"), max_length=150)

    class Meta:
        verbose_name = _("wijziging begrotingsregel")
        verbose_name_plural = _("wijzigingen begrotingsregels")
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return (f"{self.objective} {self.line} {self.year or gettext('structureel')}: "
                f"{self.previous_amount} → {self.new_amount} k€")  # fmt: skip

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Een wijziging van de begroting wordt bewaard zoals ze is.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Een wijziging van de begroting wordt bewaard zoals ze is.")

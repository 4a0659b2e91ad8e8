"""The contract's options (extensions and other choices) of a tender."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from providers.models import OptionStatus

from ..status import early_date_errors
from .tender import Tender


class TenderOption(models.Model):
    """An option of the contract on the same timeline, linked to the contract's own option in
    providers/ once the contract exists."""

    class Kind(models.TextChoices):
        BT_PILOTS = "bt_pilots", _("Pilots Beschermd Thuis")
        U16_DECISION_2029 = "u16_decision_2029", _("Besluit 2029 met de U16")
        HBH_REVIEW_2031 = "hbh_review_2031", _("Heroverwegingsclausule hulp bij het huishouden")
        EXTENSION = "extension", _("Verlengingsoptie")

    # The contract's own statuses: one word for an exercised option on both pages.
    Status = OptionStatus

    tender = models.ForeignKey(
        Tender, verbose_name=_("aanbesteding"), related_name="options", on_delete=models.CASCADE
    )
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    decision_date = models.DateField(_("besluitdatum"), null=True, blank=True)
    period_start = models.DateField(_("periode vanaf"))
    period_end = models.DateField(_("periode tot en met"), null=True, blank=True)
    period_label = models.CharField(_("periode (zoals in de stukken)"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    description = models.TextField(_("omschrijving"), blank=True)
    contract_option = models.ForeignKey(
        "providers.ContractOption", verbose_name=_("contractoptie"), null=True, blank=True,
        related_name="tender_options", on_delete=models.SET_NULL,
    )  # fmt: skip

    class Meta:
        verbose_name = _("contractoptie")
        verbose_name_plural = _("contractopties")
        ordering = ["tender", "period_start", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "code"],
                name="procurement_option_code_unique",
                violation_error_message=_("Deze code bestaat al voor deze aanbesteding."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_end__gte=F("period_start")),
                name="procurement_option_period_range",
                violation_error_message=_("'Periode tot en met' ligt vóór 'periode vanaf'."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = early_date_errors(self)
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors.setdefault("period_end", gettext("Deze datum ligt vóór 'periode vanaf'."))
        if self.status != self.Status.OPEN and not self.decision_date:
            errors["decision_date"] = gettext(
                "Vul de besluitdatum in: een gelichte of vervallen optie is een besluit."
            )
        if (
            self.contract_option_id
            and self.tender_id
            and self.tender.contract_id
            and self.contract_option.contract_id != self.tender.contract_id
        ):
            errors["contract_option"] = gettext(
                "Deze contractoptie hoort bij een ander contract dan het contract van de "
                "aanbesteding."
            )
        if errors:
            raise ValidationError(errors)

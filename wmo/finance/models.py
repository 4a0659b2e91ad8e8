"""Spend bookings from the municipality's financial administration (domain/BUDGET.md)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from wmo.catalogue.models import Objective
from wmo.imports.limits import EARLIEST_DATE
from wmo.periods import Quarter
from wmo.periods.fields import PeriodField

BUURTTEAM_OBJECTIVE = Objective.III
BUURTTEAM_WITH_SERVICE = gettext_noop(
    "Laat service_type leeg bij beleidsdoel III: buurtteamuitgaven noemen geen voorziening."
)
BUURTTEAM_WITH_CONTRACTOR = gettext_noop(
    "Laat contractor_agb leeg bij beleidsdoel III: buurtteamuitgaven noemen geen opdrachtnemer."
)
SERVICE_REQUIRED = gettext_noop("service_type is verplicht bij beleidsdoel IV en V.")
CONTRACTOR_REQUIRED = gettext_noop("contractor_agb is verplicht bij beleidsdoel IV en V.")


def service_objective_mismatch(service_code: str, service_objective: str, objective: str) -> str:
    return gettext(
        "Voorziening %(service)s hoort bij beleidsdoel %(service_objective)s, niet bij %(objective)s."
    ) % {"service": service_code, "service_objective": service_objective, "objective": objective}


class SpendBooking(models.Model):
    """One booking (or credit note: a negative amount) in one quarter, keyed on the financial
    administration's booking id so a file imported twice changes nothing."""

    booking_id = models.CharField(_("boekingsnummer"), max_length=60, unique=True)
    quarter = PeriodField(_("kwartaal"), kinds=(Quarter,), db_index=True)
    objective = models.CharField(_("beleidsdoel"), max_length=3, choices=Objective.choices)
    service_type = models.ForeignKey(
        "catalogue.ServiceType", verbose_name=_("voorziening"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    contractor = models.ForeignKey(
        "providers.Provider", verbose_name=_("opdrachtnemer"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    amount_eur = models.DecimalField(_("bedrag (€)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("uitgavenboeking")
        verbose_name_plural = _("uitgavenboekingen")
        ordering = ["quarter", "booking_id"]

    def __str__(self):
        return f"{self.booking_id} {self.quarter} {self.objective}: € {self.amount_eur}"

    def clean(self):
        """Buurtteam spend (III) names no service or contractor; IV and V name both, and the
        service belongs to the booking's objective; the quarter has begun and is not before the
        Wmo 2015 (INTERCHANGE.md: no date in the future or before 2015). One rule for importer,
        admin and API."""
        errors = {}
        quarter = Quarter.parse(self.quarter) if self.quarter else None
        if quarter and quarter.start > timezone.localdate():
            errors["quarter"] = gettext("Kwartaal %(quarter)s is nog niet begonnen; een boeking "
                                        "ligt niet in de toekomst.") % {"quarter": quarter}  # fmt: skip
        elif quarter and quarter.end < EARLIEST_DATE:
            errors["quarter"] = gettext("Kwartaal %(quarter)s ligt vóór 2015; de Wmo 2015 ging in "
                                        "op 1 januari 2015.") % {"quarter": quarter}  # fmt: skip
        if self.objective == BUURTTEAM_OBJECTIVE:
            if self.service_type_id:
                errors["service_type"] = gettext(BUURTTEAM_WITH_SERVICE)
            if self.contractor_id:
                errors["contractor"] = gettext(BUURTTEAM_WITH_CONTRACTOR)
        elif self.objective:
            if not self.service_type_id:
                errors["service_type"] = gettext(SERVICE_REQUIRED)
            elif self.service_type.objective != self.objective:
                errors["service_type"] = service_objective_mismatch(
                    self.service_type.code, self.service_type.objective, self.objective
                )
            if not self.contractor_id:
                errors["contractor"] = gettext(CONTRACTOR_REQUIRED)
        if errors:
            raise ValidationError(errors)

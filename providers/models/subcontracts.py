"""The parts of a contract others deliver: subcontracts (onderaannemingen) and, for a city-wide
contract, the one accountable district team per wijk."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import get_text_list
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext

from districts.models import District
from wmo.catalogue.models import ServiceType
from wmo.versions import Versioned

from ..terms import TermQuerySet
from .contracts import Contract
from .organisations import Provider


class Subcontract(Versioned):
    """Part of a contract delivered by a subcontractor (onderaanneming)."""

    contract = models.ForeignKey(
        Contract,
        verbose_name=gettext_lazy("contract"),
        related_name="subcontracts",
        on_delete=models.CASCADE,
    )
    subcontractor = models.ForeignKey(
        Provider,
        verbose_name=gettext_lazy("onderaannemer"),
        related_name="subcontracts",
        on_delete=models.PROTECT,
    )
    districts = models.ManyToManyField(
        District,
        verbose_name=gettext_lazy("wijken"),
        related_name="subcontracts",
        blank=True,
        help_text=gettext_lazy("Leeg: alle wijken van het contract."),
    )
    service_types = models.ManyToManyField(
        ServiceType,
        verbose_name=gettext_lazy("voorzieningen"),
        related_name="subcontracts",
        blank=True,
    )
    annual_value = models.DecimalField(
        gettext_lazy("jaarwaarde (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, gettext_lazy("Een jaarwaarde kan niet negatief zijn."))],
    )
    share_percent = models.DecimalField(
        gettext_lazy("aandeel in het contract (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, gettext_lazy("Een aandeel kan niet negatief zijn.")),
            # "%%": Django formats the message with the limit as parameters.
            MaxValueValidator(100, gettext_lazy("Een aandeel is hoogstens 100 %%.")),
        ],
    )
    start_date = models.DateField(gettext_lazy("ingangsdatum"))
    end_date = models.DateField(gettext_lazy("einddatum"))
    approved_on = models.DateField(
        gettext_lazy("goedgekeurd door de gemeente op"), null=True, blank=True
    )
    risk_provisions = models.TextField(gettext_lazy("risicobepalingen"), blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("onderaanneming")
        verbose_name_plural = gettext_lazy("onderaannemingen")
        ordering = ["contract", "subcontractor__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="subcontract_end_after_start",
                violation_error_message=gettext_lazy("De einddatum ligt vóór de ingangsdatum."),
            )
        ]

    def __str__(self):
        return f"{self.subcontractor} in {self.contract.reference}"

    def clean(self):
        errors: dict[str, list[str]] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        if self.start_date and self.end_date and self.end_date < self.start_date:
            add("end_date", gettext("De einddatum ligt vóór de ingangsdatum."))
        if self.annual_value is None and self.share_percent is None:
            add("annual_value", gettext("Vul een jaarwaarde of een aandeel in."))
        if self.contract_id:
            contract = self.contract
            if self.subcontractor_id and self.subcontractor_id == contract.contractor_id:
                add("subcontractor",
                    gettext("Een aanbieder kan niet zijn eigen onderaannemer zijn."))  # fmt: skip
            if self.start_date and self.start_date < contract.start_date:
                add("start_date", gettext("De onderaanneming begint vóór het contract "
                                          "(ingangsdatum %(date)s).")
                                  % {"date": f"{contract.start_date:%d-%m-%Y}"})  # fmt: skip
            if self.end_date and self.end_date > contract.effective_end:
                add("end_date", gettext("De onderaanneming loopt door na het einde van het "
                                        "contract (einddatum %(date)s).")
                                % {"date": f"{contract.effective_end:%d-%m-%Y}"})  # fmt: skip
            if self.share_percent is not None and self.start_date and self.end_date:
                day, others = self._peak_share_of_others()
                if others + self.share_percent > 100:
                    add("share_percent",
                        gettext("De aandelen van de onderaannemingen die tegelijk lopen komen "
                                "samen boven 100 %% (op %(day)s al toegekend: %(share)s %%).")
                        % {"day": f"{day:%d-%m-%Y}", "share": f"{others.normalize():f}"})  # fmt: skip
        if errors:
            raise ValidationError(errors)

    def removal_refusal(self) -> str | None:
        """A wijkteam is run by the contractor or one of its subcontractors (DistrictTeam.clean):
        the last subcontract of a provider that runs a team of the contract cannot go first."""
        if (
            self.contract.subcontracts.filter(subcontractor_id=self.subcontractor_id)
            .exclude(pk=self.pk)
            .exists()
        ):
            return None
        teams = list(self.contract.district_teams.filter(provider_id=self.subcontractor_id)
                     .values_list("name", flat=True))  # fmt: skip
        if not teams:
            return None
        return ngettext(
            "Deze onderaanneming kan niet worden verwijderd: %(subcontractor)s voert het wijkteam "
            "%(teams)s van dit contract uit. Wijs dat wijkteam eerst een andere uitvoerende "
            "aanbieder toe, of verwijder het.",
            "Deze onderaanneming kan niet worden verwijderd: %(subcontractor)s voert de wijkteams "
            "%(teams)s van dit contract uit. Wijs die wijkteams eerst een andere uitvoerende "
            "aanbieder toe, of verwijder ze.",
            len(teams),
        ) % {"subcontractor": self.subcontractor,
             "teams": get_text_list(teams, pgettext("opsomming", "en"))}  # fmt: skip

    def _peak_share_of_others(self) -> tuple[datetime.date, Decimal]:
        """The day in this subcontract's term on which the other subcontracts of the contract in
        force together hold the largest share, and that share: only shares in force on the same
        day add up (60 % for the first half of a year and 60 % for the second are fine)."""
        others = list(Subcontract.objects.filter(
            contract_id=self.contract_id, share_percent__isnull=False,
            start_date__lte=self.end_date, end_date__gte=self.start_date,
        ).exclude(pk=self.pk).values_list("start_date", "end_date", "share_percent"))  # fmt: skip
        # The total only rises on a day one of them starts: the peak is on such a day.
        days = sorted({self.start_date, *(max(start, self.start_date) for start, _, _ in others)})
        peak_day, peak = self.start_date, Decimal(0)
        for day in days:
            total = sum((share for start, end, share in others if start <= day <= end), Decimal(0))
            if total > peak:
                peak_day, peak = day, total
        return peak_day, peak

    def relation_errors(self, related: dict) -> dict[str, str]:
        """One subcontractor holds one subcontract per part of a contract: another one of the same
        contract and subcontractor for an overlapping period, wijk and voorziening (an empty
        list: all of the contract's) counts the same work twice. `related`: the would-be
        districts and service_types."""
        if not self.contract_id:
            return {}
        errors = self._scope_errors(related)
        if self.subcontractor_id and self.start_date and self.end_date:
            errors.update(self._twice_errors(related))
        return errors

    def _scope_errors(self, related: dict) -> dict[str, str]:
        """A subcontract delivers part of its contract: only the contract's voorzieningen, and
        only in its wijken (all of them for a city-wide contract)."""
        errors = {}
        contract = self.contract
        bought = {s.pk for s in contract.service_types.all()}
        outside = [s for s in related.get("service_types") or () if s.pk not in bought]
        if outside:
            errors["service_types"] = gettext(
                "Het contract omvat deze voorzieningen niet: %(services)s."
            ) % {"services": ", ".join(str(s) for s in outside)}
        if not contract.city_wide:
            covered = {d.pk for d in contract.districts.all()}
            outside = [d for d in related.get("districts") or () if d.pk not in covered]
            if outside:
                errors["districts"] = gettext(
                    "Het contract geldt niet in deze wijken: %(districts)s."
                ) % {"districts": ", ".join(str(d) for d in outside)}
        return errors

    def _twice_errors(self, related: dict) -> dict[str, str]:
        wijken = {d.pk for d in related.get("districts") or ()}
        services = {s.pk for s in related.get("service_types") or ()}
        others = (Subcontract.objects.filter(
            contract_id=self.contract_id, subcontractor_id=self.subcontractor_id,
            start_date__lte=self.end_date, end_date__gte=self.start_date,
        ).exclude(pk=self.pk).prefetch_related("districts", "service_types"))  # fmt: skip
        for other in others:
            their_wijken = {d.pk for d in other.districts.all()}
            their_services = {s.pk for s in other.service_types.all()}
            if ((not wijken or not their_wijken or wijken & their_wijken)
                    and (not services or not their_services or services & their_services)):  # fmt: skip
                return {"subcontractor": gettext(
                    "%(subcontractor)s heeft in dit contract al een onderaanneming voor (een deel "
                    "van) deze wijken en voorzieningen, van %(start)s t/m %(end)s; wijzig die in "
                    "plaats van een tweede."
                ) % {"subcontractor": other.subcontractor, "start": f"{other.start_date:%d-%m-%Y}",
                     "end": f"{other.end_date:%d-%m-%Y}"}}  # fmt: skip
        return {}

    def value_in(self, year: int, contract_value: Decimal | None = None) -> Decimal:
        """Annual value: the stated value, or the share of the contract's value that year."""
        if self.annual_value is not None:
            return self.annual_value
        if self.share_percent is not None:
            base = contract_value if contract_value is not None else self.contract.value_in(year)
            return (base or Decimal(0)) * self.share_percent / 100
        return Decimal(0)


class DistrictTeam(Versioned):
    """For a city-wide contract: the one accountable (specialist) team in a wijk."""

    contract = models.ForeignKey(
        Contract,
        verbose_name=gettext_lazy("contract"),
        related_name="district_teams",
        on_delete=models.CASCADE,
    )
    district = models.ForeignKey(
        District,
        verbose_name=gettext_lazy("wijk"),
        related_name="district_teams",
        on_delete=models.PROTECT,
    )
    name = models.CharField(gettext_lazy("naam van het team"), max_length=200)
    provider = models.ForeignKey(
        Provider,
        verbose_name=gettext_lazy("uitvoerende aanbieder"),
        related_name="district_teams",
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = gettext_lazy("wijkteam")
        verbose_name_plural = gettext_lazy("wijkteams")
        ordering = ["contract", "district__code", "name"]
        # clean() names the field; this holds against two saves racing past it.
        constraints = [
            models.UniqueConstraint(
                "contract", "district", Lower("name"), name="district_team_unique_in_wijk",
                violation_error_message=gettext_lazy("Dit contract heeft in deze wijk al een "
                                                     "wijkteam met deze naam."),
            )
        ]  # fmt: skip

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.contract_id and self.provider_id:
            contract = self.contract
            involved = (
                self.provider_id == contract.contractor_id
                or contract.subcontracts.filter(subcontractor_id=self.provider_id).exists()
            )
            if not involved:
                errors["provider"] = gettext("Het wijkteam moet worden uitgevoerd door de "
                                             "contractpartij of een van haar onderaannemers.")  # fmt: skip
        if self.contract_id and self.district_id and self.name:
            twin = (DistrictTeam.objects.filter(contract_id=self.contract_id,
                                                district_id=self.district_id,
                                                name__iexact=self.name.strip())
                    .exclude(pk=self.pk).exists())  # fmt: skip
            if twin:
                errors["name"] = gettext("Dit contract heeft in deze wijk al een wijkteam met deze "
                                         "naam; wijzig dat wijkteam in plaats van een tweede toe "
                                         "te voegen.")  # fmt: skip
        if errors:
            raise ValidationError(errors)

"""Contracts: their term and extensions, yearly values and options (`terms.py` says when a
contract is in force)."""

import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy

from districts.models import District
from wmo.catalogue.models import ServiceType
from wmo.versions import Versioned

from ..terms import ContractQuerySet, add_months, interval_contains
from .organisations import Consortium, Provider

WMO_2015 = datetime.date(2015, 1, 1)
LAST_CONTRACT_DAY = datetime.date(2099, 12, 31)


class Instrument(models.TextChoices):
    PUBLIC_CONTRACT = "public_contract", gettext_lazy("Overheidsopdracht")
    FRAMEWORK_AGREEMENT = "framework_agreement", gettext_lazy("Raamovereenkomst")
    SUBSIDY = "subsidy", gettext_lazy("Subsidie")


class Financing(models.TextChoices):
    LUMP_SUM = "lump_sum", gettext_lazy("Vierkantbekostiging")
    PER_UNIT = "per_unit", gettext_lazy("Per geleverde eenheid (declaratie)")
    PERSON_FOLLOWING = (
        "person_following",
        gettext_lazy("Persoonsvolgend (virtueel budget per resultaatgebied)"),
    )


class Contract(Versioned):
    """An agreement between the municipality and one contracting party."""

    reference = models.CharField(
        gettext_lazy("kenmerk"), max_length=40, unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z",
                                   gettext_lazy("Een kenmerk bestaat uit letters, cijfers, '.', "
                                                "'-' en '_'."))],
        error_messages={"unique": gettext_lazy("Er bestaat al een contract met dit kenmerk.")},
    )  # fmt: skip
    name = models.CharField(gettext_lazy("omschrijving"), max_length=200)
    contractor = models.ForeignKey(
        Provider,
        verbose_name=gettext_lazy("contractpartij"),
        related_name="contracts",
        on_delete=models.PROTECT,
    )
    consortium = models.ForeignKey(
        Consortium,
        verbose_name=gettext_lazy("samenwerkingsverband"),
        related_name="contracts",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    service_types = models.ManyToManyField(
        ServiceType,
        verbose_name=gettext_lazy("voorzieningen"),
        related_name="contracts",
        blank=True,
    )
    districts = models.ManyToManyField(
        District, verbose_name=gettext_lazy("wijken"), related_name="contracts", blank=True
    )
    city_wide = models.BooleanField(
        gettext_lazy("stedelijk contract"),
        default=False,
        help_text=gettext_lazy(
            "Een stedelijk contract heeft in elke wijk precies één aanspreekbaar wijkteam."
        ),
    )
    instrument = models.CharField(
        gettext_lazy("instrument"), max_length=20, choices=Instrument.choices
    )
    financing = models.CharField(
        gettext_lazy("bekostiging"), max_length=20, choices=Financing.choices
    )
    start_date = models.DateField(gettext_lazy("ingangsdatum"))
    end_date = models.DateField(gettext_lazy("einddatum"))
    extension_count = models.PositiveSmallIntegerField(
        gettext_lazy("aantal verlengingsopties"), default=0,
        validators=[MaxValueValidator(
            10, gettext_lazy("Meer dan 10 verlengingsopties is niet aannemelijk."))],
    )  # fmt: skip
    extension_months = models.PositiveSmallIntegerField(
        gettext_lazy("duur per verlenging (maanden)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, gettext_lazy("Een verlenging duurt minstens 1 maand."))],
    )
    extensions_exercised = models.PositiveSmallIntegerField(
        gettext_lazy("verlengingen gelicht"), default=0
    )
    notes = models.TextField(gettext_lazy("toelichting"), blank=True)
    # The tender that produced this contract is linked from procurement's side (arrows point
    # procurement → providers), so there is no field for it here.

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("contract")
        verbose_name_plural = gettext_lazy("contracten")
        ordering = ["-start_date", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="contract_end_after_start",
                violation_error_message=gettext_lazy("De einddatum ligt vóór de ingangsdatum."),
            ),
            # Files, the API and people write a reference in either case: AZ-2027-STAD and
            # az-2027-stad are one contract.
            models.UniqueConstraint(
                Lower("reference"),
                name="contract_reference_unique_ignoring_case",
                violation_error_message=gettext_lazy("Er bestaat al een contract met dit kenmerk."),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.name}"

    def clean(self):
        errors = {}
        if self.reference and (Contract.objects.filter(reference__iexact=self.reference)
                               .exclude(pk=self.pk).exists()):  # fmt: skip
            errors["reference"] = self._meta.get_field("reference").error_messages["unique"]
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = gettext("De einddatum ligt vóór de ingangsdatum.")
        if self.start_date and self.start_date < WMO_2015:
            errors["start_date"] = gettext(
                "Een contract onder de Wmo 2015 begint niet vóór 01-01-2015."
            )
        last_day = f"{LAST_CONTRACT_DAY:%d-%m-%Y}"
        if self.end_date and self.end_date > LAST_CONTRACT_DAY:
            errors["end_date"] = gettext("Een einddatum na %(date)s is geen looptijd; geef de "
                                         "einddatum van het contract.") % {"date": last_day}  # fmt: skip
        if self.extension_count and not self.extension_months:
            errors["extension_months"] = gettext("Geef de duur van een verlenging op.")
        if (self.end_date and self.end_date <= LAST_CONTRACT_DAY
                and self.latest_possible_end > LAST_CONTRACT_DAY):  # fmt: skip
            errors["extension_months"] = gettext(
                "Met alle verlengingsopties loopt het contract door na %(date)s; "
                "kies minder of kortere verlengingen."
            ) % {"date": last_day}
        if (self.extensions_exercised or 0) > (self.extension_count or 0):
            errors["extensions_exercised"] = gettext(
                "Er zijn meer verlengingen gelicht dan er verlengingsopties zijn."
            )
        if self.consortium_id and self.contractor_id:
            main = (
                Consortium.objects.filter(pk=self.consortium_id)
                .values_list("main_contractor_id", flat=True)
                .first()
            )
            if main != self.contractor_id:
                errors["contractor"] = gettext(
                    "Bij een samenwerkingsverband is de hoofdaannemer de contractpartij."
                )
        if errors:
            raise ValidationError(errors)

    def relation_errors(self, related: dict) -> dict[str, str]:
        """A contract buys at least one voorziening, in named wijken or city-wide. `related`:
        the would-be districts and service_types."""
        errors = {}
        if not related.get("service_types"):
            errors["service_types"] = gettext("Kies ten minste één voorziening.")
        if not self.city_wide and not related.get("districts"):
            errors["districts"] = gettext(
                "Kies de wijken waar het contract geldt, of maak het stedelijk."
            )
        if self.pk:
            for name, text in self._still_subcontracted(related).items():
                errors.setdefault(name, text)
        return errors

    def _still_subcontracted(self, related: dict) -> dict[str, str]:
        """A contract keeps the voorzieningen and wijken its subcontracts name: dropped, they
        would leave a subcontract outside its contract (Subcontract._scope_errors)."""
        errors = {}
        kept_services = {s.pk for s in related.get("service_types") or ()}
        kept_districts = {d.pk for d in related.get("districts") or ()}
        services, districts = set(), set()
        for sub in self.subcontracts.prefetch_related("service_types", "districts"):
            services |= {s for s in sub.service_types.all() if s.pk not in kept_services}
            if not self.city_wide:
                districts |= {d for d in sub.districts.all() if d.pk not in kept_districts}
        if services and kept_services:
            errors["service_types"] = gettext(
                "Onderaannemingen van dit contract leveren deze voorzieningen nog: %(services)s. "
                "Wijzig die eerst."
            ) % {"services": ", ".join(sorted(str(s) for s in services))}
        if districts and kept_districts:
            errors["districts"] = gettext(
                "Onderaannemingen van dit contract werken nog in deze wijken: %(districts)s. "
                "Wijzig die eerst."
            ) % {"districts": ", ".join(sorted(str(d) for d in districts))}
        return errors

    @property
    def effective_end(self) -> datetime.date:
        """End date after the extensions already exercised."""
        if self.extensions_exercised and self.extension_months:
            return add_months(self.end_date, self.extensions_exercised * self.extension_months)
        return self.end_date

    @property
    def latest_possible_end(self) -> datetime.date:
        if self.extension_count and self.extension_months:
            return add_months(self.end_date, self.extension_count * self.extension_months)
        return self.end_date

    def is_in_force_on(self, day: datetime.date) -> bool:
        return interval_contains(self.start_date, self.effective_end, day)

    def value_in(self, year: int) -> Decimal | None:
        return self.values.filter(year=year).values_list("amount", flat=True).first()


class ContractValue(Versioned):
    """The annual value of a contract in one year, in euros."""

    contract = models.ForeignKey(
        Contract,
        verbose_name=gettext_lazy("contract"),
        related_name="values",
        on_delete=models.CASCADE,
    )
    year = models.PositiveSmallIntegerField(
        gettext_lazy("jaar"),
        validators=[
            MinValueValidator(2000, gettext_lazy("Het jaar moet 2000 of later zijn.")),
            MaxValueValidator(2100, gettext_lazy("Het jaar moet 2100 of eerder zijn.")),
        ],
    )
    amount = models.DecimalField(
        gettext_lazy("jaarwaarde (€)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0, gettext_lazy("Een jaarwaarde kan niet negatief zijn."))],
    )

    class Meta:
        verbose_name = gettext_lazy("jaarwaarde")
        verbose_name_plural = gettext_lazy("jaarwaarden")
        ordering = ["contract", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "year"],
                name="one_value_per_contract_year",
                violation_error_message=gettext_lazy(
                    "Voor dit contract is dit jaar al een jaarwaarde ingevoerd."
                ),
            )
        ]

    def __str__(self):
        amount = number_format(self.amount, decimal_pos=2, force_grouping=True)
        return f"{self.contract.reference} {self.year}: € {amount}"

    def validate_constraints(self, exclude=None):
        # The contract is given by the page and the user chooses the year: a second value for
        # that year is the year field's error, not one for the form as a whole.
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            errors.setdefault("year", []).extend(errors.pop(NON_FIELD_ERRORS, []))
            raise ValidationError(errors) from exc

    def clean(self):
        if self.contract_id and self.year:
            contract = self.contract
            if (
                contract.start_date
                and contract.end_date
                and not (contract.start_date.year <= self.year <= contract.latest_possible_end.year)
            ):
                raise ValidationError(
                    {"year": gettext("Het jaar valt buiten de looptijd van het contract "
                                     "(%(first)s–%(last)s).")
                             % {"first": contract.start_date.year,
                                "last": contract.latest_possible_end.year}}
                )  # fmt: skip


class OptionStatus(models.TextChoices):
    """What became of an option, in the contract and in the tender alike (procurement): an
    option is "gelicht" (exercised), the word of the procurement documents, never "gebruikt"."""

    OPEN = "open", gettext_lazy("Open")
    EXERCISED = "exercised", gettext_lazy("Gelicht")
    LAPSED = "lapsed", gettext_lazy("Vervallen")


class ContractOption(Versioned):
    """An option in a contract with its own dates: the Beschermd Thuis pilots, the HbH review clause."""

    contract = models.ForeignKey(
        Contract,
        verbose_name=gettext_lazy("contract"),
        related_name="options",
        on_delete=models.CASCADE,
    )
    name = models.CharField(gettext_lazy("naam"), max_length=200)
    service_type = models.ForeignKey(
        ServiceType,
        verbose_name=gettext_lazy("voorziening"),
        related_name="contract_options",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    trigger = models.TextField(gettext_lazy("aanleiding / voorwaarde"), blank=True)
    start_date = models.DateField(gettext_lazy("begin"), null=True, blank=True)
    end_date = models.DateField(gettext_lazy("einde"), null=True, blank=True)
    decision_date = models.DateField(gettext_lazy("beslisdatum"))
    status = models.CharField(
        gettext_lazy("status"),
        max_length=10,
        choices=OptionStatus.choices,
        default=OptionStatus.OPEN,
    )

    class Meta:
        verbose_name = gettext_lazy("contractoptie")
        verbose_name_plural = gettext_lazy("contractopties")
        ordering = ["decision_date", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        for name in ("start_date", "end_date", "decision_date"):
            if getattr(self, name) and getattr(self, name) < WMO_2015:
                errors[name] = gettext("Een datum vóór %(date)s valt niet onder de Wmo 2015.") % {
                    "date": f"{WMO_2015:%d-%m-%Y}"}  # fmt: skip
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors.setdefault("end_date", gettext("Het einde ligt vóór het begin."))
        if self.decision_date and self.start_date and self.decision_date > self.start_date:
            errors.setdefault("decision_date", gettext("Over een optie wordt beslist vóór zij "
                                                       "begint: de beslisdatum ligt na het begin."))  # fmt: skip
        contract = self.contract if self.contract_id else None
        if contract and contract.start_date and contract.end_date:
            # An option adds to the contract's term, it does not reach past it: from the start
            # through the end with every extension exercised.
            last = contract.latest_possible_end
            term = {"start": f"{contract.start_date:%d-%m-%Y}", "end": f"{last:%d-%m-%Y}"}
            if self.start_date and not contract.start_date <= self.start_date <= last:
                errors.setdefault("start_date", gettext(
                    "Het begin valt buiten de looptijd van het contract (%(start)s t/m %(end)s, "
                    "met alle verlengingen).") % term)  # fmt: skip
            if self.end_date and not contract.start_date <= self.end_date <= last:
                errors.setdefault("end_date", gettext(
                    "Het einde valt buiten de looptijd van het contract (%(start)s t/m %(end)s, "
                    "met alle verlengingen).") % term)  # fmt: skip
        if errors:
            raise ValidationError(errors)

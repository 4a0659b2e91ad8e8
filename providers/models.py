"""Providers, consortia, contracts, subcontracts and district teams.

The rules that every entry point must obey (forms, API, importer, demo data) live here, in field
validators and `clean()` methods, with their Dutch messages; `terms.py` says when a contract or
subcontract is in force (`Contract.objects.in_force_on(day)`); `services.py` holds the derived
figures (size, coverage check, landscape)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy

from districts.models import District
from wmo.catalogue.models import ServiceType

from .terms import ContractQuerySet, TermQuerySet, add_months, interval_contains

AGB_CODE = RegexValidator(r"^[0-9]{8}\Z", "Een AGB-code bestaat uit precies 8 cijfers.")
KVK_NUMBER = RegexValidator(r"^[0-9]{8}\Z", "Een KvK-nummer bestaat uit precies 8 cijfers.")
WMO_2015 = datetime.date(2015, 1, 1)
LAST_CONTRACT_DAY = datetime.date(2099, 12, 31)
LARGE_THRESHOLD = Decimal("100000")
"""A provider whose contracts and subcontracts are worth more than this per year is large."""


class Versioned(models.Model):
    """A record that two contract managers may edit at once. Pages and the API save it through
    services.save_versioned, which refuses a save based on an outdated version (optimistic
    locking) and counts the version up; who saved last, and when, go in the refusal."""

    version = models.PositiveIntegerField(gettext_lazy("versie"), default=1, editable=False)
    changed_at = models.DateTimeField(gettext_lazy("laatst gewijzigd op"), null=True, blank=True,
                                      editable=False)  # fmt: skip
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("laatst gewijzigd door"), null=True, blank=True,
        editable=False, on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        abstract = True


class ProviderKind(models.TextChoices):
    CARE_PROVIDER = "care_provider", gettext_lazy("Zorgaanbieder")
    RESIDENT_ORG = "resident_org", gettext_lazy("Bewoners- of doelgroeporganisatie")
    WELFARE = "welfare", gettext_lazy("Welzijnsorganisatie")


class ProviderSize(models.TextChoices):
    LARGE = "large", gettext_lazy("Groot")
    SMALL = "small", gettext_lazy("Klein")


class TargetGroup(models.Model):
    """A target group a provider specialises in (ouderen, LVB, GGZ, a community …)."""

    code = models.SlugField(gettext_lazy("code"), max_length=40, unique=True)
    name = models.CharField(gettext_lazy("naam"), max_length=100)

    class Meta:
        verbose_name = gettext_lazy("doelgroep")
        verbose_name_plural = gettext_lazy("doelgroepen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Provider(Versioned):
    """An organisation that delivers (or may deliver) aanvullende zorg; the AGB code is the key."""

    agb_code = models.CharField(
        gettext_lazy("AGB-code"),
        max_length=8,
        unique=True,
        validators=[AGB_CODE],
        error_messages={"unique": gettext_lazy("Er bestaat al een aanbieder met deze AGB-code.")},
    )
    kvk_number = models.CharField(
        gettext_lazy("KvK-nummer"), max_length=8, blank=True, validators=[KVK_NUMBER]
    )
    name = models.CharField(gettext_lazy("naam"), max_length=200)
    kind = models.CharField(gettext_lazy("soort"), max_length=20, choices=ProviderKind.choices)
    size_override = models.CharField(
        gettext_lazy("omvang (handmatig)"),
        max_length=5,
        choices=ProviderSize.choices,
        blank=True,
        help_text=gettext_lazy(
            "Leeg: de omvang volgt uit de jaarwaarde van contracten en onderaannemingen "
            "(groot boven € 100.000)."
        ),
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=gettext_lazy("doelgroepen"), related_name="providers", blank=True
    )
    districts = models.ManyToManyField(
        District, verbose_name=gettext_lazy("wijken"), related_name="providers", blank=True
    )
    active = models.BooleanField(gettext_lazy("actief"), default=True)

    class Meta:
        verbose_name = gettext_lazy("aanbieder")
        verbose_name_plural = gettext_lazy("aanbieders")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ConsortiumForm(models.TextChoices):
    JOINT_ENTITY = "joint_entity", gettext_lazy("Nieuwe gezamenlijke rechtspersoon")
    MAIN_CONTRACTOR = "main_contractor", gettext_lazy("Hoofdaannemer met onderaannemers")


class Consortium(Versioned):
    """Providers that contract together (samenwerkingsverband)."""

    name = models.CharField(
        gettext_lazy("naam"),
        max_length=200,
        unique=True,
        error_messages={
            "unique": gettext_lazy("Er bestaat al een samenwerkingsverband met deze naam.")
        },
    )
    form = models.CharField(gettext_lazy("vorm"), max_length=20, choices=ConsortiumForm.choices)
    main_contractor = models.ForeignKey(
        Provider,
        verbose_name=gettext_lazy("hoofdaannemer / contractpartij"),
        related_name="consortia_led",
        on_delete=models.PROTECT,
        help_text=gettext_lazy("Bij een gezamenlijke rechtspersoon: die nieuwe organisatie zelf."),
    )
    members = models.ManyToManyField(
        Provider, verbose_name=gettext_lazy("leden"), related_name="consortia", blank=True
    )

    class Meta:
        verbose_name = gettext_lazy("samenwerkingsverband")
        verbose_name_plural = gettext_lazy("samenwerkingsverbanden")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        # Contract.clean holds a consortium's contract to its main contractor; changing the main
        # contractor under such a contract left a contract that could not be saved unchanged.
        if self.pk and self.main_contractor_id:
            held = list(Contract.objects.filter(consortium_id=self.pk)
                        .exclude(contractor_id=self.main_contractor_id)
                        .order_by("reference").values_list("reference", flat=True))  # fmt: skip
            if held:
                raise ValidationError({"main_contractor": (
                    f"{'Contract' if len(held) == 1 else 'De contracten'} {', '.join(held)} "
                    f"{'noemt' if len(held) == 1 else 'noemen'} dit samenwerkingsverband met een "
                    "andere contractpartij; bij een samenwerkingsverband is de hoofdaannemer de "
                    "contractpartij. Haal eerst het samenwerkingsverband van die contracten af."
                )})  # fmt: skip

    def relation_errors(self, related: dict) -> dict[str, str]:
        """Providers contract together (POLICY.md: no single provider can do this alone): one
        member besides the main contractor at least. `related`: the would-be members."""
        others = {member.pk for member in related.get("members") or ()} - {self.main_contractor_id}
        if not others:
            return {"members": "Een samenwerkingsverband bestaat uit ten minste twee aanbieders: "
                               "kies naast de hoofdaannemer ten minste één ander lid."}  # fmt: skip
        return {}


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
                                   "Een kenmerk bestaat uit letters, cijfers, '.', '-' en '_'.")],
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
        validators=[MaxValueValidator(10, "Meer dan 10 verlengingsopties is niet aannemelijk.")],
    )  # fmt: skip
    extension_months = models.PositiveSmallIntegerField(
        gettext_lazy("duur per verlenging (maanden)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, "Een verlenging duurt minstens 1 maand.")],
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
                violation_error_message="De einddatum ligt vóór de ingangsdatum.",
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.name}"

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "De einddatum ligt vóór de ingangsdatum."
        if self.start_date and self.start_date < WMO_2015:
            errors["start_date"] = "Een contract onder de Wmo 2015 begint niet vóór 01-01-2015."
        if self.end_date and self.end_date > LAST_CONTRACT_DAY:
            errors["end_date"] = (f"Een einddatum na {LAST_CONTRACT_DAY:%d-%m-%Y} is geen "
                                  "looptijd; geef de einddatum van het contract.")  # fmt: skip
        if self.extension_count and not self.extension_months:
            errors["extension_months"] = "Geef de duur van een verlenging op."
        if (self.end_date and self.end_date <= LAST_CONTRACT_DAY
                and self.latest_possible_end > LAST_CONTRACT_DAY):  # fmt: skip
            errors["extension_months"] = (
                f"Met alle verlengingsopties loopt het contract door na {LAST_CONTRACT_DAY:%d-%m-%Y}; "
                "kies minder of kortere verlengingen."
            )
        if (self.extensions_exercised or 0) > (self.extension_count or 0):
            errors["extensions_exercised"] = (
                "Er zijn meer verlengingen gelicht dan er verlengingsopties zijn."
            )
        if self.consortium_id and self.contractor_id:
            main = (
                Consortium.objects.filter(pk=self.consortium_id)
                .values_list("main_contractor_id", flat=True)
                .first()
            )
            if main != self.contractor_id:
                errors["contractor"] = (
                    "Bij een samenwerkingsverband is de hoofdaannemer de contractpartij."
                )
        if errors:
            raise ValidationError(errors)

    def relation_errors(self, related: dict) -> dict[str, str]:
        """A contract buys at least one voorziening, in named wijken or city-wide. `related`:
        the would-be districts and service_types."""
        errors = {}
        if not related.get("service_types"):
            errors["service_types"] = "Kies ten minste één voorziening."
        if not self.city_wide and not related.get("districts"):
            errors["districts"] = "Kies de wijken waar het contract geldt, of maak het stedelijk."
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


class ContractValue(models.Model):
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
            MinValueValidator(2000, "Het jaar moet 2000 of later zijn."),
            MaxValueValidator(2100, "Het jaar moet 2100 of eerder zijn."),
        ],
    )
    amount = models.DecimalField(
        gettext_lazy("jaarwaarde (€)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0, "Een jaarwaarde kan niet negatief zijn.")],
    )

    class Meta:
        verbose_name = gettext_lazy("jaarwaarde")
        verbose_name_plural = gettext_lazy("jaarwaarden")
        ordering = ["contract", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "year"],
                name="one_value_per_contract_year",
                violation_error_message="Voor dit contract is dit jaar al een jaarwaarde ingevoerd.",
            )
        ]

    def __str__(self):
        return f"{self.contract.reference} {self.year}: € {self.amount}"

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
                    {"year": f"Het jaar valt buiten de looptijd van het contract "
                             f"({contract.start_date.year}–{contract.latest_possible_end.year})."}
                )  # fmt: skip


class OptionStatus(models.TextChoices):
    """What became of an option, in the contract and in the tender alike (procurement): an
    option is "gelicht" (exercised), the word of the procurement documents, never "gebruikt"."""

    OPEN = "open", gettext_lazy("Open")
    EXERCISED = "exercised", gettext_lazy("Gelicht")
    LAPSED = "lapsed", gettext_lazy("Vervallen")


class ContractOption(models.Model):
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
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Het einde ligt vóór het begin."})


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
        validators=[MinValueValidator(0, "Een jaarwaarde kan niet negatief zijn.")],
    )
    share_percent = models.DecimalField(
        gettext_lazy("aandeel in het contract (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, "Een aandeel kan niet negatief zijn."),
            # "%%": Django formats the message with the limit as parameters.
            MaxValueValidator(100, "Een aandeel is hoogstens 100 %%."),
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
                violation_error_message="De einddatum ligt vóór de ingangsdatum.",
            )
        ]

    def __str__(self):
        return f"{self.subcontractor} in {self.contract.reference}"

    def clean(self):
        errors: dict[str, list[str]] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        if self.start_date and self.end_date and self.end_date < self.start_date:
            add("end_date", "De einddatum ligt vóór de ingangsdatum.")
        if self.annual_value is None and self.share_percent is None:
            add("annual_value", "Vul een jaarwaarde of een aandeel in.")
        if self.contract_id:
            contract = self.contract
            if self.subcontractor_id and self.subcontractor_id == contract.contractor_id:
                add("subcontractor", "Een aanbieder kan niet zijn eigen onderaannemer zijn.")
            if self.start_date and self.start_date < contract.start_date:
                add("start_date", "De onderaanneming begint vóór het contract "
                                  f"(ingangsdatum {contract.start_date:%d-%m-%Y}).")  # fmt: skip
            if self.end_date and self.end_date > contract.effective_end:
                add("end_date", "De onderaanneming loopt door na het einde van het contract "
                                f"(einddatum {contract.effective_end:%d-%m-%Y}).")  # fmt: skip
            if self.share_percent is not None:
                others = Subcontract.objects.filter(contract_id=self.contract_id).exclude(
                    pk=self.pk
                ).aggregate(total=Sum("share_percent"))["total"] or Decimal(0)
                if others + self.share_percent > 100:
                    add("share_percent",
                        f"De aandelen van alle onderaannemingen samen komen boven 100 % "
                        f"(al toegekend: {others.normalize():f} %).")  # fmt: skip
        if errors:
            raise ValidationError(errors)

    def relation_errors(self, related: dict) -> dict[str, str]:
        """One subcontractor holds one subcontract per part of a contract: another one of the same
        contract and subcontractor for an overlapping period, wijk and voorziening (an empty
        list: all of the contract's) counts the same work twice. `related`: the would-be
        districts and service_types."""
        if not (self.contract_id and self.subcontractor_id and self.start_date and self.end_date):
            return {}
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
                return {"subcontractor": (
                    f"{other.subcontractor} heeft in dit contract al een onderaanneming voor "
                    f"(een deel van) deze wijken en voorzieningen, van {other.start_date:%d-%m-%Y} "
                    f"t/m {other.end_date:%d-%m-%Y}; wijzig die in plaats van een tweede."
                )}  # fmt: skip
        return {}

    def value_in(self, year: int, contract_value: Decimal | None = None) -> Decimal:
        """Annual value: the stated value, or the share of the contract's value that year."""
        if self.annual_value is not None:
            return self.annual_value
        if self.share_percent is not None:
            base = contract_value if contract_value is not None else self.contract.value_in(year)
            return (base or Decimal(0)) * self.share_percent / 100
        return Decimal(0)


class DistrictTeam(models.Model):
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

    def __str__(self):
        return self.name

    def clean(self):
        if self.contract_id and self.provider_id:
            contract = self.contract
            involved = (
                self.provider_id == contract.contractor_id
                or contract.subcontracts.filter(subcontractor_id=self.provider_id).exists()
            )
            if not involved:
                raise ValidationError(
                    {"provider": "Het wijkteam moet worden uitgevoerd door de contractpartij "
                                 "of een van haar onderaannemers."}
                )  # fmt: skip

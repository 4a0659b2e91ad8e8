"""Who contracts: providers (the AGB code is the key), their target groups and consortia."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext, gettext_lazy, ngettext

from districts.models import District
from wmo.versions import Versioned

AGB_CODE = RegexValidator(
    r"^[0-9]{8}\Z", gettext_lazy("Een AGB-code bestaat uit precies 8 cijfers.")
)
KVK_NUMBER = RegexValidator(
    r"^[0-9]{8}\Z", gettext_lazy("Een KvK-nummer bestaat uit precies 8 cijfers.")
)
LARGE_THRESHOLD = Decimal("100000")
"""A provider whose contracts and subcontracts are worth more than this per year is large."""


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
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="consortium_name_unique_ignoring_case",
                violation_error_message=gettext_lazy(
                    "Er bestaat al een samenwerkingsverband met deze naam."
                ),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.name and (Consortium.objects.filter(name__iexact=self.name)
                          .exclude(pk=self.pk).exists()):  # fmt: skip
            errors["name"] = self._meta.get_field("name").error_messages["unique"]
        # Contract.clean holds a consortium's contract to its main contractor; changing the main
        # contractor under such a contract left a contract that could not be saved unchanged.
        if self.pk and self.main_contractor_id:
            held = list(self.contracts.exclude(contractor_id=self.main_contractor_id)
                        .order_by("reference").values_list("reference", flat=True))  # fmt: skip
            if held:
                errors["main_contractor"] = ngettext(
                    "Contract %(contracts)s noemt dit samenwerkingsverband met een andere "
                    "contractpartij; bij een samenwerkingsverband is de hoofdaannemer de "
                    "contractpartij. Haal eerst het samenwerkingsverband van die contracten af.",
                    "De contracten %(contracts)s noemen dit samenwerkingsverband met een andere "
                    "contractpartij; bij een samenwerkingsverband is de hoofdaannemer de "
                    "contractpartij. Haal eerst het samenwerkingsverband van die contracten af.",
                    len(held),
                ) % {"contracts": ", ".join(held)}
        if errors:
            raise ValidationError(errors)

    def relation_errors(self, related: dict) -> dict[str, str]:
        """Providers contract together (POLICY.md: no single provider can do this alone): one
        member besides the main contractor at least. `related`: the would-be members."""
        others = {member.pk for member in related.get("members") or ()} - {self.main_contractor_id}
        if not others:
            return {"members": gettext("Een samenwerkingsverband bestaat uit ten minste twee "
                                       "aanbieders: kies naast de hoofdaannemer ten minste één "
                                       "ander lid.")}  # fmt: skip
        return {}

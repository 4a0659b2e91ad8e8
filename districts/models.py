from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CBS_WIJK_CODE = RegexValidator(
    r"^WK[0-9]{6}\Z",
    _("Een CBS-wijkcode bestaat uit 'WK' en zes cijfers, bijvoorbeeld WK034403."),
)
CBS_GEMEENTE_CODE = RegexValidator(
    r"^GM[0-9]{4}\Z",
    _("Een CBS-gemeentecode bestaat uit 'GM' en vier cijfers, bijvoorbeeld GM0310."),
)
# Utrecht's own residents are referred with their wijk; at the `municipality` level of the
# indicators they count under this code.
UTRECHT_GEMEENTE_CODE = "GM0344"
BUURTTEAM_CODE = RegexValidator(
    r"^BT[0-9]{2}\Z", _("Een buurtteamcode bestaat uit 'BT' en twee cijfers, bijvoorbeeld BT05.")
)


class District(models.Model):
    """One of Utrecht's ten wijken; the CBS code is the stable key."""

    code = models.CharField(
        _("CBS-wijkcode"), max_length=8, unique=True, validators=[CBS_WIJK_CODE]
    )
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def latest_population(self):
        """The population of this year or the latest before it (a later year entered ahead is
        a forecast; only when there is nothing else); uses prefetched rows when loaded."""
        rows = list(self.populations.all())
        this_year = timezone.localdate().year
        rows = [row for row in rows if row.year <= this_year] or rows
        return max(rows, key=lambda row: row.year) if rows else None


class Municipality(models.Model):
    """One of the 16 municipalities of the U16 region, for whom Utrecht commissions opvang en
    verblijf (objective V); the CBS gemeente code is the stable key. Utrecht itself is one
    (GM0344): its own residents are referred with their wijk instead."""

    code = models.CharField(
        _("CBS-gemeentecode"), max_length=6, unique=True, validators=[CBS_GEMEENTE_CODE]
    )
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DistrictPopulation(models.Model):
    district = models.ForeignKey(
        District, verbose_name=_("wijk"), related_name="populations", on_delete=models.CASCADE
    )
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(2000, _("Het jaar moet 2000 of later zijn."))]
    )
    population = models.PositiveIntegerField(_("aantal inwoners"))

    class Meta:
        verbose_name = _("inwonertal")
        verbose_name_plural = _("inwonertallen")
        ordering = ["district__code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year"],
                name="one_population_per_district_year",
                violation_error_message=_(
                    "Voor deze wijk is dit jaar al een inwonertal ingevoerd."
                ),
            )
        ]

    def __str__(self):
        return f"{self.district} {self.year}: {self.population}"


class Buurtteam(models.Model):
    code = models.CharField(_("code"), max_length=4, unique=True, validators=[BUURTTEAM_CODE])
    name = models.CharField(_("naam"), max_length=100)
    district = models.ForeignKey(
        District, verbose_name=_("wijk"), related_name="buurtteams", on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("buurtteam")
        verbose_name_plural = _("buurtteams")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class TeamMembership(models.Model):
    """Links a buurtteam worker to the one team whose cases and waiting list they see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        related_name="team_membership",
        on_delete=models.CASCADE,
    )
    buurtteam = models.ForeignKey(
        Buurtteam, verbose_name=_("buurtteam"), related_name="members", on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("teamlidmaatschap")
        verbose_name_plural = _("teamlidmaatschappen")

    def __str__(self):
        return f"{self.user} — {self.buurtteam}"

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy


class Objective(models.TextChoices):
    """Policy objectives of the programme budget."""

    III = "III", gettext_lazy("III — laagdrempelige basiszorg")
    IV = "IV", gettext_lazy("IV — passende aanvullende zorg")
    V = "V", gettext_lazy("V — opvang en verblijf (U16)")


class ServiceTypeQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def with_waiting_norm(self, day: datetime.date):
        """Each service annotated with `waiting_norm_days`, its waiting norm valid on `day`
        (None: no norm), as the API shows it."""
        norm = (
            Norm.objects.filter(
                kind=NormKind.WAITING_DAYS, service_type=models.OuterRef("pk"), valid_from__lte=day
            )
            .order_by("-valid_from")
            .values("value")[:1]
        )
        return self.annotate(waiting_norm_days=models.Subquery(norm))


class ServiceType(models.Model):
    """A voorziening of aanvullende zorg; its waiting norm (referral → start) is dated, in `Norm`."""

    code = models.SlugField(
        gettext_lazy("code"),
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z][a-z0-9_]*\Z", gettext_lazy("Gebruik kleine letters, cijfers en '_'.")
            )
        ],
    )
    name = models.CharField(gettext_lazy("naam"), max_length=100)
    objective = models.CharField(
        gettext_lazy("beleidsdoel"), max_length=3, choices=Objective.choices
    )
    iwmo_category = models.CharField(
        gettext_lazy("iWmo-productcategorie"),
        max_length=2,
        blank=True,
        validators=[
            RegexValidator(
                r"^[0-9]{2}\Z", gettext_lazy("Een productcategorie bestaat uit twee cijfers.")
            )
        ],
    )
    valid_from = models.DateField(gettext_lazy("geldig vanaf"), null=True, blank=True)
    valid_to = models.DateField(gettext_lazy("geldig tot en met"), null=True, blank=True)
    notes = models.CharField(gettext_lazy("toelichting"), max_length=200, blank=True)

    objects = ServiceTypeQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("voorziening")
        verbose_name_plural = gettext_lazy("voorzieningen")
        ordering = ["objective", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="service_type_valid_range",
                violation_error_message=gettext_lazy(
                    "'Geldig tot en met' ligt vóór 'geldig vanaf'."
                ),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": gettext("'Geldig tot en met' ligt vóór 'geldig vanaf'.")}
            )

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class NormKind(models.TextChoices):
    """The norms and targets of the policy note (POLICY.md); INDICATORS.md says what each judges."""

    WAITING_DAYS = "waiting_days", gettext_lazy("Wachttijdnorm voorziening")
    BT_FIRST_CONTACT_WORKDAYS = (
        "bt_first_contact_workdays",
        gettext_lazy("Eerste contact buurtteam"),
    )
    BT_REFERRAL_PCT = (
        "bt_referral_pct",
        gettext_lazy("Doel doorverwijzing buurtteam naar aanvullende zorg (80/20)"),
    )
    BT_GROUP_PCT = "bt_group_pct", gettext_lazy("Doel groepsgericht bij het buurtteam (50/50)")
    GROUP_PCT = "group_pct", gettext_lazy("Doel groepsgericht in aanvullende zorg (15/85)")


UNITS = {
    NormKind.WAITING_DAYS: gettext_lazy("dagen"),
    NormKind.BT_FIRST_CONTACT_WORKDAYS: gettext_lazy("werkdagen"),
    NormKind.BT_REFERRAL_PCT: "%",
    NormKind.BT_GROUP_PCT: "%",
    NormKind.GROUP_PCT: "%",
}
DAY_KINDS = frozenset({NormKind.WAITING_DAYS, NormKind.BT_FIRST_CONTACT_WORKDAYS})
EARLIEST = datetime.date(2015, 1, 1)
"""The Wmo 2015 took effect on 1 January 2015: no norm of this programme is older."""


class Norm(models.Model):
    """One dated value of a norm or target. A change of policy is a new record with its own
    valid-from date, so the records of a kind (and service) are its history; a figure is judged
    against the value valid on its period's last day (wmo.catalogue.norms)."""

    kind = models.CharField(gettext_lazy("soort"), max_length=40, choices=NormKind.choices)
    service_type = models.ForeignKey(
        ServiceType,
        verbose_name=gettext_lazy("voorziening"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="norms",
    )
    value = models.DecimalField(
        gettext_lazy("waarde"), max_digits=5, decimal_places=1
    )  # > 0: clean()
    valid_from = models.DateField(gettext_lazy("geldig vanaf"))
    source = models.CharField(gettext_lazy("bron"), max_length=200)
    note = models.CharField(gettext_lazy("toelichting"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(gettext_lazy("vastgelegd op"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("vastgelegd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = gettext_lazy("norm of doel")
        verbose_name_plural = gettext_lazy("normen en doelen")
        ordering = ["kind", "service_type__code", "valid_from"]
        constraints = [
            # Two constraints, as NULL service types are distinct in a plain unique index.
            models.UniqueConstraint(
                fields=["kind", "service_type", "valid_from"],
                condition=Q(service_type__isnull=False),
                name="norm_unique_per_service_and_date",
                violation_error_message=gettext_lazy(
                    "Voor deze norm bestaat al een waarde met deze datum."
                ),
            ),
            models.UniqueConstraint(
                fields=["kind", "valid_from"],
                condition=Q(service_type__isnull=True),
                name="norm_unique_per_date",
                violation_error_message=gettext_lazy(
                    "Voor deze norm bestaat al een waarde met deze datum."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind=NormKind.WAITING_DAYS, service_type__isnull=False)
                | (~Q(kind=NormKind.WAITING_DAYS) & Q(service_type__isnull=True)),
                name="norm_service_for_waiting_only",
                violation_error_message=gettext_lazy(
                    "Alleen een wachttijdnorm hoort bij een voorziening."
                ),
            ),
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="norm_value_positive",
                violation_error_message=gettext_lazy("De waarde moet groter zijn dan 0."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__gte=EARLIEST),
                name="norm_valid_from_wmo_2015",
                violation_error_message=gettext_lazy("Een norm geldt niet vóór 1 januari 2015."),
            ),
        ]

    def __str__(self):
        subject = f"{self.get_kind_display()}" + (
            f" {self.service_type}" if self.service_type_id else ""
        )
        return f"{subject}: " + gettext("%(value_text)s vanaf %(valid_from)s") % {
            "value_text": self.value_text,
            "valid_from": f"{self.valid_from:%d-%m-%Y}",
        }

    @property
    def unit(self) -> str:
        return UNITS[self.kind]

    @property
    def value_text(self) -> str:
        number = f"{self.value:f}".removesuffix(".0").replace(".", ",")
        return f"{number} %" if self.unit == "%" else f"{number} {self.unit}"

    def clean(self):
        errors = {}
        if self.kind == NormKind.WAITING_DAYS and self.service_type_id is None:
            errors["service_type"] = gettext(
                "Kies de voorziening waar deze wachttijdnorm voor geldt."
            )
        if self.kind != NormKind.WAITING_DAYS and self.service_type_id is not None:
            errors["service_type"] = gettext("Alleen een wachttijdnorm hoort bij een voorziening.")
        if self.value is not None:
            if self.value <= 0:
                errors["value"] = gettext("De waarde moet groter zijn dan 0.")
            elif self.kind in DAY_KINDS and self.value != self.value.to_integral_value():
                errors["value"] = gettext("Een norm in dagen is een heel aantal dagen.")
            elif self.unit == "%" and self.value > 100:
                errors["value"] = gettext("Een percentage is ten hoogste 100.")
        if self.valid_from is not None and self.valid_from < EARLIEST:
            errors["valid_from"] = gettext("Een norm geldt niet vóór 1 januari 2015 (de Wmo 2015).")
        if errors:
            raise ValidationError(errors)

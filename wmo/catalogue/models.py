import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q


class Objective(models.TextChoices):
    """Policy objectives of the programme budget."""

    III = "III", "III — laagdrempelige basiszorg"
    IV = "IV", "IV — passende aanvullende zorg"
    V = "V", "V — opvang en verblijf (U16)"


class ServiceTypeQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class ServiceType(models.Model):
    """A voorziening of aanvullende zorg, with its waiting norm (referral → start)."""

    code = models.SlugField(
        "code",
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(r"^[a-z][a-z0-9_]*$", "Gebruik kleine letters, cijfers en '_'.")
        ],
    )
    name = models.CharField("naam", max_length=100)
    objective = models.CharField("beleidsdoel", max_length=3, choices=Objective.choices)
    waiting_norm_days = models.PositiveSmallIntegerField(
        "wachttijdnorm (dagen)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1, "Een norm is minstens 1 dag; laat leeg voor geen norm.")],
        help_text="Leeg: deze voorziening heeft geen wachttijdnorm.",
    )
    iwmo_category = models.CharField(
        "iWmo-productcategorie",
        max_length=2,
        blank=True,
        validators=[RegexValidator(r"^\d{2}$", "Een productcategorie bestaat uit twee cijfers.")],
    )
    valid_from = models.DateField("geldig vanaf", null=True, blank=True)
    valid_to = models.DateField("geldig tot en met", null=True, blank=True)
    notes = models.CharField("toelichting", max_length=200, blank=True)

    objects = ServiceTypeQuerySet.as_manager()

    class Meta:
        verbose_name = "voorziening"
        verbose_name_plural = "voorzieningen"
        ordering = ["objective", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="service_type_valid_range",
                violation_error_message="'Geldig tot en met' ligt vóór 'geldig vanaf'.",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "'Geldig tot en met' ligt vóór 'geldig vanaf'."})

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

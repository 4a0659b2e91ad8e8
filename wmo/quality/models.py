"""Kwaliteit: Ervaringwijzer survey responses and complaints (domain/INDICATORS.md, Kwaliteit).

The rules every entry point obeys (importer, API, admin, demo data) live here, as field
validators and `clean()` with Dutch messages; `services.validate` runs them the same way for all."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from wmo import identifiers

ANSWER_MESSAGE = gettext_noop("Een antwoord is een getal van 1 tot en met 5 (of leeg).")
FUTURE_MESSAGE = gettext_noop("Deze datum ligt in de toekomst.")
RESOLVED_BEFORE_RECEIVED = gettext_noop("De afhandeldatum ligt vóór de ontvangstdatum.")
BUURTTEAM_NAMES_NO_CARE = gettext_noop(
    "Een respons over het buurtteam noemt geen voorziening en geen aanbieder."
)
CARE_NEEDS_SERVICE = gettext_noop("Een respons over aanvullende zorg noemt de voorziening.")
CARE_NEEDS_PROVIDER = gettext_noop("Een respons over aanvullende zorg noemt de aanbieder.")
TEAM_ONLY_FOR_BUURTTEAM = gettext_noop("Alleen een respons over het buurtteam noemt een buurtteam.")
SURVEY_SUBJECT = gettext_noop(
    "Een respons gaat over het buurtteam (zonder voorziening en aanbieder) of over aanvullende "
    "zorg (met voorziening en aanbieder, zonder buurtteam)."
)
BUURTTEAM_SERVICE = "buurtteam"
"""What survey.csv writes as service_type for a response about the buurtteam (INTERCHANGE.md)."""
POSITIVE_ANSWERS = (4, 5)
"""On the 1–5 scale, 4 and 5 count as positive (INDICATORS.md)."""


def today() -> datetime.date:
    return timezone.localdate()


def validate_answer(value):
    if value is not None and not 1 <= value <= 5:
        raise ValidationError(gettext(ANSWER_MESSAGE), code="answer_range")


def validate_not_in_future(value):
    if value is not None and value > today():
        raise ValidationError(gettext(FUTURE_MESSAGE), code="future")


class SurveyResponse(models.Model):
    """One answered Ervaringwijzer questionnaire. About aanvullende zorg it names the voorziening
    and the delivering provider; about the buurtteam (basiszorg, objective III, which is not a
    voorziening of the catalogue) it names neither, and optionally the team."""

    external_id = models.CharField(
        _("respons-id"),
        max_length=identifiers.MAX_LENGTH,
        validators=[identifiers.validate_record_number],
        unique=True,
        error_messages={"unique": _("Er bestaat al een respons met dit id.")},
    )
    date = models.DateField(_("datum"), db_index=True, validators=[validate_not_in_future])
    district = models.ForeignKey(
        "districts.District",
        models.PROTECT,
        verbose_name=_("wijk"),
        related_name="survey_responses",
    )
    about_buurtteam = models.BooleanField(
        _("over het buurtteam"),
        default=False,
        help_text=_("Een respons over het buurtteam noemt geen voorziening en geen aanbieder."),
    )
    service_type = models.ForeignKey(
        "catalogue.ServiceType",
        models.PROTECT,
        verbose_name=_("voorziening"),
        related_name="survey_responses",
        null=True,
        blank=True,
    )
    provider = models.ForeignKey(
        "providers.Provider",
        models.PROTECT,
        verbose_name=_("aanbieder"),
        related_name="survey_responses",
        null=True,
        blank=True,
    )
    team = models.ForeignKey(
        "districts.Buurtteam",
        models.PROTECT,
        verbose_name=_("buurtteam"),
        related_name="survey_responses",
        null=True,
        blank=True,
        help_text=_("Alleen bij een respons over het buurtteam; leeg: team onbekend."),
    )
    q_solution = models.PositiveSmallIntegerField(
        _("cliënt en ondersteuner komen samen tot een oplossing"),
        null=True,
        blank=True,
        validators=[validate_answer],
        help_text=_("1 (helemaal oneens) tot en met 5 (helemaal eens); leeg: niet beantwoord."),
    )
    q_self_reliance = models.PositiveSmallIntegerField(
        _("ik kan mij beter redden door de ondersteuning"),
        null=True,
        blank=True,
        validators=[validate_answer],
        help_text=_("1 (helemaal oneens) tot en met 5 (helemaal eens); leeg: niet beantwoord."),
    )

    class Meta:
        verbose_name = _("ervaringsrespons")
        verbose_name_plural = _("ervaringsresponsen")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(about_buurtteam=True, service_type__isnull=True, provider__isnull=True)
                    | Q(
                        about_buurtteam=False,
                        service_type__isnull=False,
                        provider__isnull=False,
                        team__isnull=True,
                    )
                ),  # fmt: skip
                name="survey_buurtteam_or_care",
                violation_error_message=_(SURVEY_SUBJECT),
            )
        ]

    def __str__(self):
        return gettext("Respons %(id)s") % {"id": self.external_id}

    def clean(self):
        errors = {}
        if self.about_buurtteam:
            for name in ("service_type", "provider"):
                if getattr(self, f"{name}_id") is not None:
                    errors[name] = gettext(BUURTTEAM_NAMES_NO_CARE)
        else:
            if self.service_type_id is None:
                errors["service_type"] = gettext(CARE_NEEDS_SERVICE)
            if self.provider_id is None:
                errors["provider"] = gettext(CARE_NEEDS_PROVIDER)
            if self.team_id is not None:
                errors["team"] = gettext(TEAM_ONLY_FOR_BUURTTEAM)
        if errors:
            raise ValidationError(errors)


class Complaint(models.Model):
    """A complaint about a delivering provider, from receipt to resolution."""

    external_id = models.CharField(
        _("klacht-id"),
        max_length=identifiers.MAX_LENGTH,
        validators=[identifiers.validate_record_number],
        unique=True,
        error_messages={"unique": _("Er bestaat al een klacht met dit id.")},
    )
    provider = models.ForeignKey(
        "providers.Provider", models.PROTECT, verbose_name=_("aanbieder"), related_name="complaints"
    )
    service_type = models.ForeignKey(
        "catalogue.ServiceType", models.PROTECT, verbose_name=_("voorziening"),
        related_name="complaints",
    )  # fmt: skip
    district = models.ForeignKey(
        "districts.District", models.PROTECT, verbose_name=_("wijk"), related_name="complaints"
    )
    received_date = models.DateField(
        _("ontvangstdatum"), db_index=True, validators=[validate_not_in_future]
    )
    resolved_date = models.DateField(
        _("afhandeldatum"),
        null=True,
        blank=True,
        db_index=True,
        validators=[validate_not_in_future],
        help_text=_("Leeg: de klacht is nog niet afgehandeld."),
    )

    class Meta:
        verbose_name = _("klacht")
        verbose_name_plural = _("klachten")
        ordering = ["-received_date", "-id"]

    def __str__(self):
        return gettext("Klacht %(id)s") % {"id": self.external_id}

    def clean(self):
        if self.received_date and self.resolved_date and self.resolved_date < self.received_date:
            raise ValidationError({"resolved_date": gettext(RESOLVED_BEFORE_RECEIVED)})

    @property
    def days_to_resolve(self) -> int | None:
        if self.resolved_date and self.received_date:
            return (self.resolved_date - self.received_date).days
        return None

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from districts.models import District
from providers.models import Provider
from wmo.catalogue.models import ServiceType

from ..models import Complaint, SurveyResponse
from ..services import validate

SURVEY_ATTRIBUTES = {
    "external_id": "ervaringId", "date": "datum", "district": "wijkCode",
    "service_type": "voorziening", "provider": "aanbiederAgb", "q_solution": "antwoordOplossing",
    "q_self_reliance": "antwoordZelfredzaamheid",
}  # fmt: skip
COMPLAINT_ATTRIBUTES = {
    "external_id": "klachtId", "provider": "aanbiederAgb", "service_type": "voorziening",
    "district": "wijkCode", "received_date": "ontvangstdatum", "resolved_date": "afhandeldatum",
}  # fmt: skip
ANSWER_HELP = (
    "1 (helemaal oneens) tot en met 5 (helemaal eens); 4 en 5 zijn positief; leeg: niet beantwoord."
)


class ModelRulesMixin:
    """Runs the model's validators and clean() (services.validate) and reports each message
    on the API attribute, so the API says exactly what the importer and the admin say."""

    attributes: dict[str, str] = {}

    def validate(self, attrs):
        instance = self.instance or self.Meta.model()
        for name, value in attrs.items():
            setattr(instance, name, value)
        try:
            validate(instance)
        except DjangoValidationError as exc:
            detail: dict[str, list[str]] = {}
            for name, messages in exc.message_dict.items():
                key = self.attributes.get(name, "nonFieldErrors" if name == "__all__" else name)
                detail.setdefault(key, []).extend(messages)
            raise serializers.ValidationError(detail) from None
        return attrs


def _relations():
    return {
        "wijkCode": serializers.SlugRelatedField(
            source="district", slug_field="code", queryset=District.objects.all(),
            help_text="CBS-wijkcode, bijvoorbeeld WK034403."),
        "voorziening": serializers.SlugRelatedField(
            source="service_type", slug_field="code", queryset=ServiceType.objects.all(),
            help_text="Code van de voorziening."),
        "aanbiederAgb": serializers.SlugRelatedField(
            source="provider", slug_field="agb_code", queryset=Provider.objects.all(),
            help_text="AGB-code van de aanbieder die de ondersteuning levert."),
    }  # fmt: skip


@extend_schema_serializer(component_name="Ervaring")
class SurveyResponseSerializer(ModelRulesMixin, serializers.ModelSerializer):
    attributes = SURVEY_ATTRIBUTES
    ervaringId = serializers.CharField(source="external_id", max_length=40,
                                       help_text="Het response_id van het onderzoeksbureau.")  # fmt: skip
    datum = serializers.DateField(source="date")
    wijkCode, voorziening, aanbiederAgb = _relations().values()
    antwoordOplossing = serializers.IntegerField(
        source="q_solution", required=False, allow_null=True,
        help_text="Cliënt en ondersteuner komen samen tot een oplossing: " + ANSWER_HELP)  # fmt: skip
    antwoordZelfredzaamheid = serializers.IntegerField(
        source="q_self_reliance", required=False, allow_null=True,
        help_text="Ik kan mij beter redden door de ondersteuning: " + ANSWER_HELP)  # fmt: skip

    class Meta:
        model = SurveyResponse
        fields = ["ervaringId", "datum", "wijkCode", "voorziening", "aanbiederAgb",
                  "antwoordOplossing", "antwoordZelfredzaamheid"]  # fmt: skip


@extend_schema_serializer(component_name="Klacht")
class ComplaintSerializer(ModelRulesMixin, serializers.ModelSerializer):
    attributes = COMPLAINT_ATTRIBUTES
    klachtId = serializers.CharField(source="external_id", max_length=40)
    wijkCode, voorziening, aanbiederAgb = _relations().values()
    ontvangstdatum = serializers.DateField(source="received_date")
    afhandeldatum = serializers.DateField(source="resolved_date", required=False, allow_null=True,
                                          help_text="Leeg: nog niet afgehandeld.")  # fmt: skip

    class Meta:
        model = Complaint
        fields = ["klachtId", "aanbiederAgb", "voorziening", "wijkCode", "ontvangstdatum",
                  "afhandeldatum"]  # fmt: skip

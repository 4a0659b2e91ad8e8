from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from districts.models import Buurtteam, District
from providers.models import Provider
from wmo import identifiers
from wmo.api.attributes import KnownAttributes
from wmo.api.references import CodeRelatedField, unknown_code
from wmo.catalogue.models import ServiceType

from ..models import BUURTTEAM_SERVICE, Complaint, SurveyResponse
from ..services import validate

SURVEY_ATTRIBUTES = {
    "external_id": "ervaringId", "date": "datum", "district": "wijkCode",
    "service_type": "voorziening", "provider": "aanbiederAgb", "q_solution": "antwoordOplossing",
    "q_self_reliance": "antwoordZelfredzaamheid", "team": "buurtteamCode",
    "about_buurtteam": "voorziening",
}  # fmt: skip
COMPLAINT_ATTRIBUTES = {
    "external_id": "klachtId", "provider": "aanbiederAgb", "service_type": "voorziening",
    "district": "wijkCode", "received_date": "ontvangstdatum", "resolved_date": "afhandeldatum",
}  # fmt: skip
ANSWER_HELP = (
    "1 (helemaal oneens) tot en met 5 (helemaal eens); 4 en 5 zijn positief; leeg: niet beantwoord."
)


class ModelRulesMixin:
    # Runs the model's validators and clean() (services.validate) and reports each message on the
    # API attribute, so the API says exactly what the importer and the admin say.
    # (Comments, not a docstring: drf-spectacular shows a serializer's first docstring as its
    # description in the Dutch API documentation.)

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
        "wijkCode": CodeRelatedField(
            source="district", slug_field="code", queryset=District.objects.all(),
            help_text="CBS-wijkcode, bijvoorbeeld WK034403."),
        "voorziening": CodeRelatedField(
            source="service_type", slug_field="code", queryset=ServiceType.objects.all(),
            help_text="Code van de voorziening."),
        "aanbiederAgb": CodeRelatedField(
            source="provider", slug_field="agb_code", queryset=Provider.objects.all(),
            help_text="AGB-code van de aanbieder die de ondersteuning levert."),
    }  # fmt: skip


@extend_schema_field({"type": "string", "minLength": 1})
class ServiceOrBuurtteamField(serializers.Field):
    """`voorziening` of a response: a voorziening's code, or `buurtteam` for a response about
    the buurtteam, which is no voorziening of the catalogue (INTERCHANGE.md, survey.csv)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, instance):
        if instance.about_buurtteam:
            return BUURTTEAM_SERVICE
        return instance.service_type.code

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(CodeRelatedField.default_error_messages["invalid"])
        if data == BUURTTEAM_SERVICE:
            return {"about_buurtteam": True, "service_type": None}
        service_type = ServiceType.objects.filter(code=data).first()
        if service_type is None:
            raise serializers.ValidationError(unknown_code(ServiceType, data))
        return {"about_buurtteam": False, "service_type": service_type}


@extend_schema_serializer(component_name="Ervaring")
class SurveyResponseSerializer(KnownAttributes, ModelRulesMixin, serializers.ModelSerializer):
    attributes = SURVEY_ATTRIBUTES
    ervaringId = serializers.CharField(source="external_id", max_length=identifiers.MAX_LENGTH,
                                       validators=[identifiers.validate_record_number],
                                       help_text="Het response_id van het onderzoeksbureau.")  # fmt: skip
    datum = serializers.DateField(source="date")
    wijkCode = _relations()["wijkCode"]
    voorziening = ServiceOrBuurtteamField(
        help_text=f"Code van de voorziening, of '{BUURTTEAM_SERVICE}' voor een respons over het "
                  "buurtteam (dan zonder aanbieder).")  # fmt: skip
    aanbiederAgb = CodeRelatedField(
        source="provider", slug_field="agb_code", queryset=Provider.objects.all(),
        required=False, allow_null=True,
        help_text="AGB-code van de aanbieder die de ondersteuning levert; leeg bij een respons "
                  "over het buurtteam.")  # fmt: skip
    buurtteamCode = CodeRelatedField(
        source="team", slug_field="code", queryset=Buurtteam.objects.all(), required=False,
        allow_null=True,
        help_text="Alleen bij een respons over het buurtteam: de code van het team (BT01–BT18); "
                  "leeg: onbekend.")  # fmt: skip
    antwoordOplossing = serializers.IntegerField(
        source="q_solution", required=False, allow_null=True,
        help_text="Cliënt en ondersteuner komen samen tot een oplossing: " + ANSWER_HELP)  # fmt: skip
    antwoordZelfredzaamheid = serializers.IntegerField(
        source="q_self_reliance", required=False, allow_null=True,
        help_text="Ik kan mij beter redden door de ondersteuning: " + ANSWER_HELP)  # fmt: skip

    class Meta:
        model = SurveyResponse
        fields = ["ervaringId", "datum", "wijkCode", "voorziening", "aanbiederAgb",
                  "buurtteamCode", "antwoordOplossing", "antwoordZelfredzaamheid"]  # fmt: skip


@extend_schema_serializer(component_name="Klacht")
class ComplaintSerializer(KnownAttributes, ModelRulesMixin, serializers.ModelSerializer):
    attributes = COMPLAINT_ATTRIBUTES
    klachtId = serializers.CharField(source="external_id", max_length=identifiers.MAX_LENGTH,
                                     validators=[identifiers.validate_record_number])  # fmt: skip
    wijkCode, voorziening, aanbiederAgb = _relations().values()
    ontvangstdatum = serializers.DateField(source="received_date")
    afhandeldatum = serializers.DateField(source="resolved_date", required=False, allow_null=True,
                                          help_text="Leeg: nog niet afgehandeld.")  # fmt: skip

    class Meta:
        model = Complaint
        fields = ["klachtId", "aanbiederAgb", "voorziening", "wijkCode", "ontvangstdatum",
                  "afhandeldatum"]  # fmt: skip

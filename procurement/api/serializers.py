import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from providers.models import Contract

from ..models import (
    Milestone,
    Motion,
    MotionRequest,
    Principle,
    Tender,
    TenderDocument,
    TenderOption,
)
from ..services import days_late, milestone_status, rank_candidates, standstill_for


class ModelCleanMixin:
    """Run the model's own `clean()` (the rule the pages use) on the instance as it would be
    saved, and report its errors under the API's attribute names."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = copy.copy(self.instance) if self.instance is not None else self.Meta.model()
        for name, value in attrs.items():
            setattr(instance, name, value)
        try:
            instance.clean()
        except DjangoValidationError as error:
            sources = {f.source: name for name, f in self.fields.items()}
            detail = {}
            for field_name, messages in error.message_dict.items():
                detail[sources.get(field_name, "nonFieldErrors")] = messages
            raise serializers.ValidationError(detail) from error
        return attrs


class DocumentSerializer(serializers.ModelSerializer):
    titel = serializers.CharField(source="title")
    datum = serializers.DateField(source="date")
    link = serializers.URLField(source="url", allow_blank=True)

    class Meta:
        model = TenderDocument
        fields = ["titel", "datum", "link"]


class PrincipleSerializer(serializers.ModelSerializer):
    nummer = serializers.IntegerField(source="number")
    uitgangspunt = serializers.CharField(source="title")
    weging = serializers.DecimalField(source="weight", max_digits=5, decimal_places=2)

    class Meta:
        model = Principle
        fields = ["nummer", "uitgangspunt", "weging"]


class OptionSerializer(serializers.ModelSerializer):
    titel = serializers.CharField(source="title")
    soort = serializers.CharField(source="kind")
    besluitdatum = serializers.DateField(source="decision_date", allow_null=True)
    periodeVanaf = serializers.DateField(source="period_start")
    periodeTotEnMet = serializers.DateField(source="period_end", allow_null=True)
    periodeLabel = serializers.CharField(source="period_label")
    omschrijving = serializers.CharField(source="description")
    contractoptie = serializers.PrimaryKeyRelatedField(
        source="contract_option", read_only=True, help_text="Id van de contractoptie (/contracten)."
    )

    class Meta:
        model = TenderOption
        fields = [
            "code", "titel", "soort", "besluitdatum", "periodeVanaf", "periodeTotEnMet",
            "periodeLabel", "status", "omschrijving", "contractoptie",
        ]  # fmt: skip


class StandstillSerializer(serializers.Serializer):
    gunningsbeslissing = serializers.DateField(source="decision_date")
    dagen = serializers.IntegerField(source="days")
    eersteDag = serializers.DateField(source="first_day")
    laatsteDag = serializers.DateField(source="last_day")
    vroegsteOndertekening = serializers.DateField(source="earliest_signing")


class RankedCandidateSerializer(serializers.Serializer):
    naam = serializers.CharField(source="candidate.name")
    samenwerkingsverband = serializers.CharField(
        source="candidate.consortium_label", allow_null=True
    )
    status = serializers.CharField(source="candidate.status")
    totaalscore = serializers.DecimalField(
        source="total", max_digits=5, decimal_places=2, allow_null=True
    )
    rang = serializers.IntegerField(source="rank", allow_null=True)
    gedeeldeRang = serializers.BooleanField(source="tied")


class TenderSerializer(ModelCleanMixin, serializers.ModelSerializer):
    kenmerk = serializers.CharField(source="reference", read_only=True)
    titel = serializers.CharField(source="title", read_only=True)
    procedure = serializers.CharField(read_only=True)
    regime = serializers.CharField(read_only=True)
    instrument = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=Tender.Status.choices)
    contractstart = serializers.DateField(source="contract_start", read_only=True)
    voorlopigeGunning = serializers.DateField(
        source="provisional_award_date", allow_null=True, required=False
    )
    definitieveGunning = serializers.DateField(
        source="definitive_award_date", allow_null=True, required=False
    )
    opschortendeTermijnDagen = serializers.IntegerField(
        source="standstill_days", min_value=1, max_value=365, required=False
    )
    opschortendeTermijn = serializers.SerializerMethodField()
    gegundeKandidaat = serializers.CharField(
        source="awarded_candidate.name", read_only=True, allow_null=True
    )
    contract = serializers.PrimaryKeyRelatedField(
        queryset=Contract.objects.all(), allow_null=True, required=False,
        help_text="Id van het contract dat uit de aanbesteding is voortgekomen (/contracten).",
    )  # fmt: skip
    contractKenmerk = serializers.CharField(
        source="contract.reference", read_only=True, allow_null=True
    )
    documenten = DocumentSerializer(source="documents", many=True, read_only=True)
    uitgangspunten = PrincipleSerializer(source="principles", many=True, read_only=True)
    kandidaten = serializers.SerializerMethodField()
    contractopties = OptionSerializer(source="options", many=True, read_only=True)

    class Meta:
        model = Tender
        fields = [
            "kenmerk", "titel", "procedure", "regime", "instrument", "status", "contractstart",
            "voorlopigeGunning", "definitieveGunning", "opschortendeTermijnDagen",
            "opschortendeTermijn", "gegundeKandidaat", "contract", "contractKenmerk",
            "documenten", "uitgangspunten", "kandidaten", "contractopties",
        ]  # fmt: skip

    @extend_schema_field(StandstillSerializer(allow_null=True))
    def get_opschortendeTermijn(self, tender):
        standstill = standstill_for(tender)
        return StandstillSerializer(standstill).data if standstill else None

    @extend_schema_field(RankedCandidateSerializer(many=True))
    def get_kandidaten(self, tender):
        return RankedCandidateSerializer(rank_candidates(tender), many=True).data


class MilestoneSerializer(ModelCleanMixin, serializers.ModelSerializer):
    aanbesteding = serializers.CharField(source="tender.reference", read_only=True)
    code = serializers.CharField(read_only=True)
    soort = serializers.CharField(source="kind", read_only=True)
    kanaal = serializers.CharField(source="channel", read_only=True)
    omschrijving = serializers.CharField(source="title", read_only=True)
    volgorde = serializers.IntegerField(source="order", read_only=True)
    geplandVanaf = serializers.DateField(source="planned_start", read_only=True)
    geplandTotEnMet = serializers.DateField(source="planned_end", read_only=True)
    geplandLabel = serializers.CharField(source="planned_label", read_only=True)
    werkelijkeDatum = serializers.DateField(source="actual_start", allow_null=True, required=False)
    werkelijkTotEnMet = serializers.DateField(source="actual_end", allow_null=True, required=False)
    toelichting = serializers.CharField(source="notes", allow_blank=True, required=False)
    status = serializers.SerializerMethodField()
    dagenTeLaat = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = [
            "id", "aanbesteding", "code", "soort", "kanaal", "omschrijving", "volgorde",
            "geplandVanaf", "geplandTotEnMet", "geplandLabel", "werkelijkeDatum",
            "werkelijkTotEnMet", "toelichting", "status", "dagenTeLaat",
        ]  # fmt: skip

    @extend_schema_field(serializers.ChoiceField(choices=["done", "running", "late", "upcoming"]))
    def get_status(self, milestone):
        return milestone_status(milestone).value

    @extend_schema_field(serializers.IntegerField())
    def get_dagenTeLaat(self, milestone):
        return days_late(milestone)


class MotionRequestSerializer(serializers.ModelSerializer):
    nummer = serializers.IntegerField(source="number")
    verzoek = serializers.CharField(source="text")
    reactie = serializers.CharField(source="response")

    class Meta:
        model = MotionRequest
        fields = ["nummer", "verzoek", "reactie", "status"]
        read_only_fields = fields


class MotionSerializer(serializers.ModelSerializer):
    aanbesteding = serializers.CharField(source="tender.reference", read_only=True)
    datum = serializers.DateField(source="date", read_only=True)
    titel = serializers.CharField(source="title", read_only=True)
    indiener = serializers.CharField(source="submitter", allow_blank=True, required=False)
    partij = serializers.CharField(source="party", read_only=True)
    status = serializers.ChoiceField(choices=Motion.Status.choices, required=False)
    samenvatting = serializers.CharField(source="summary", read_only=True)
    link = serializers.URLField(source="url", allow_blank=True, required=False)
    verzoeken = MotionRequestSerializer(source="requests", many=True, read_only=True)
    mijlpalen = serializers.SlugRelatedField(
        source="milestones", slug_field="code", many=True, read_only=True
    )
    contractopties = serializers.SlugRelatedField(
        source="options", slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Motion
        fields = [
            "id", "aanbesteding", "datum", "titel", "indiener", "partij", "status",
            "samenvatting", "link", "verzoeken", "mijlpalen", "contractopties",
        ]  # fmt: skip

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from providers.api.serializers import VersionedSerializer
from providers.models import Contract
from wmo.api.attributes import KnownAttributes
from wmo.api.references import CodeRelatedField

from ..awards import AWARD_FIELDS, award_errors, record_award
from ..models import (
    AwardCriterion,
    Milestone,
    Motion,
    MotionRequest,
    Principle,
    Tender,
    TenderDocument,
    TenderOption,
)
from ..motions import RequestInput, motion_errors, save_motion
from ..services import rank_candidates
from ..standstill import standstill_for
from ..status import days_late, milestone_status


def api_names(serializer, message_dict) -> dict:
    """Model field names in Django's errors → the serializer's attribute names."""
    sources = {f.source: name for name, f in serializer.fields.items()}
    return {
        sources.get(name, "nonFieldErrors"): messages for name, messages in message_dict.items()
    }


class ModelCleanMixin:
    # Run the model's own field validators and `clean()` (the rules the pages use) on the
    # instance as it would be saved, and report errors under the API's attribute names. (A
    # comment: drf-spectacular shows a serializer's first docstring as its Dutch description.)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = copy.copy(self.instance) if self.instance is not None else self.Meta.model()
        fields = {f.name for f in instance._meta.concrete_fields}
        for name, value in attrs.items():
            if name in fields:
                setattr(instance, name, value)
        errors = {}
        try:
            instance.clean_fields(exclude=list(fields - set(attrs)))
        except DjangoValidationError as error:
            errors.update(error.message_dict)
        if not errors:
            try:
                instance.clean()
            except DjangoValidationError as error:
                errors.update(error.message_dict)
        if errors:
            raise serializers.ValidationError(api_names(self, errors))
        return attrs


class DocumentSerializer(serializers.ModelSerializer):
    titel = serializers.CharField(source="title")
    datum = serializers.DateField(source="date")
    link = serializers.URLField(source="url", allow_blank=True)

    class Meta:
        model = TenderDocument
        fields = ["titel", "datum", "link"]


class PrincipleSerializer(serializers.ModelSerializer):
    """An inhoudelijk uitgangspunt in the letter's words: the subject of the dialogue, unweighted."""

    nummer = serializers.IntegerField(source="number")
    uitgangspunt = serializers.CharField(source="title")

    class Meta:
        model = Principle
        fields = ["nummer", "uitgangspunt"]


class CriterionSerializer(serializers.ModelSerializer):
    """An award criterion with its weight, as the contract manager set it for the tender."""

    nummer = serializers.IntegerField(source="number")
    gunningscriterium = serializers.CharField(source="title")
    weging = serializers.DecimalField(source="weight", max_digits=5, decimal_places=2)

    class Meta:
        model = AwardCriterion
        fields = ["nummer", "gunningscriterium", "weging"]


class OptionSerializer(serializers.ModelSerializer):
    titel = serializers.CharField(source="title")
    soort = serializers.CharField(source="kind")
    besluitdatum = serializers.DateField(source="decision_date", allow_null=True)
    periodeVanaf = serializers.DateField(source="period_start")
    periodeTotEnMet = serializers.DateField(source="period_end", allow_null=True)
    periodeLabel = serializers.CharField(source="period_label")
    omschrijving = serializers.CharField(source="description")
    contractoptie = serializers.PrimaryKeyRelatedField(
        source="contract_option", read_only=True, allow_null=True,
        help_text="Id van de contractoptie (/contracten).",
    )  # fmt: skip

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
    laatsteDag = serializers.DateField(
        source="last_day", help_text="Na verlenging volgens de Algemene termijnenwet."
    )
    laatsteDagZonderVerlenging = serializers.DateField(source="nominal_last_day")
    vroegsteOndertekening = serializers.DateField(source="earliest_signing")
    verlenging = serializers.CharField(
        source="extension_note", help_text="Waarom de laatste dag is opgeschoven; leeg als niet."
    )


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


class TenderSerializer(KnownAttributes, ModelCleanMixin, serializers.ModelSerializer):
    kenmerk = serializers.CharField(source="reference", read_only=True)
    titel = serializers.CharField(source="title", read_only=True)
    procedure = serializers.CharField(read_only=True)
    regime = serializers.CharField(read_only=True)
    instrument = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(
        choices=Tender.Status.choices, read_only=True,
        help_text="Afgeleid van de vastgelegde data van de stappen (en 'ingetrokkenOp').",
    )  # fmt: skip
    ingetrokkenOp = serializers.DateField(source="cancelled_date", allow_null=True, required=False)
    contractstart = serializers.DateField(source="contract_start", read_only=True, allow_null=True)
    voorlopigeGunning = serializers.DateField(
        source="provisional_award_date", allow_null=True, required=False,
        help_text="De werkelijke datum van de stap 'provisional_award' (/mijlpalen).",
    )  # fmt: skip
    definitieveGunning = serializers.DateField(
        source="definitive_award_date", allow_null=True, required=False,
        help_text="De werkelijke datum van de stap 'definitive_award' (/mijlpalen).",
    )  # fmt: skip
    opschortendeTermijnDagen = serializers.IntegerField(source="standstill_days", required=False)
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
    gunningscriteria = CriterionSerializer(source="criteria", many=True, read_only=True)
    kandidaten = serializers.SerializerMethodField()
    contractopties = OptionSerializer(source="options", many=True, read_only=True)

    class Meta:
        model = Tender
        fields = [
            "kenmerk", "titel", "procedure", "regime", "instrument", "status", "ingetrokkenOp",
            "contractstart",
            "voorlopigeGunning", "definitieveGunning", "opschortendeTermijnDagen",
            "opschortendeTermijn", "gegundeKandidaat", "contract", "contractKenmerk",
            "documenten", "uitgangspunten", "gunningscriteria", "kandidaten", "contractopties",
        ]  # fmt: skip

    def validate(self, attrs):
        """The award dates are not columns of the tender but the actual dates of its award steps:
        checked and written by `awards.record_award`, like the award page does."""
        award = {name: attrs.pop(name) for name in AWARD_FIELDS if name in attrs}
        attrs = super().validate(attrs)
        tender = copy.copy(self.instance)
        tender.standstill_days = attrs.get("standstill_days", tender.standstill_days)
        dates = {name: award.get(name, getattr(self.instance, name)) for name in AWARD_FIELDS}
        errors = award_errors(tender, *dates.values())
        if errors:
            raise serializers.ValidationError(api_names(self, errors))
        attrs["award"] = dates
        return attrs

    def update(self, instance, validated_data):
        dates = validated_data.pop("award")
        try:
            return record_award(
                instance,
                provisional=dates["provisional_award_date"],
                definitive=dates["definitive_award_date"],
                **validated_data,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(api_names(self, error.message_dict)) from error

    @extend_schema_field(StandstillSerializer(allow_null=True))
    def get_opschortendeTermijn(self, tender):
        standstill = standstill_for(tender)
        return StandstillSerializer(standstill).data if standstill else None

    @extend_schema_field(RankedCandidateSerializer(many=True))
    def get_kandidaten(self, tender):
        return RankedCandidateSerializer(rank_candidates(tender), many=True).data


class MilestoneSerializer(ModelCleanMixin, VersionedSerializer):
    aanbesteding = serializers.CharField(source="tender.reference", read_only=True)
    code = serializers.CharField(read_only=True)
    soort = serializers.CharField(source="kind", read_only=True)
    kanaal = serializers.CharField(source="channel", read_only=True)
    omschrijving = serializers.CharField(source="title", read_only=True)
    volgorde = serializers.IntegerField(source="order", read_only=True)
    geplandVanaf = serializers.DateField(source="planned_start", read_only=True)
    geplandTotEnMet = serializers.DateField(source="planned_end", read_only=True)
    geplandLabel = serializers.CharField(source="planned_label", read_only=True)
    periode = serializers.BooleanField(
        source="is_period", read_only=True,
        help_text="Een periode is pas afgerond met 'werkelijkTotEnMet'.",
    )  # fmt: skip
    werkelijkeDatum = serializers.DateField(source="actual_start", allow_null=True, required=False)
    werkelijkTotEnMet = serializers.DateField(source="actual_end", allow_null=True, required=False)
    toelichting = serializers.CharField(source="notes", allow_blank=True, required=False)
    status = serializers.SerializerMethodField()
    dagenTeLaat = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = [
            "id", "aanbesteding", "code", "soort", "kanaal", "omschrijving", "volgorde",
            "geplandVanaf", "geplandTotEnMet", "geplandLabel", "periode", "werkelijkeDatum",
            "werkelijkTotEnMet", "toelichting", "status", "dagenTeLaat", "versie",
        ]  # fmt: skip

    @extend_schema_field(serializers.ChoiceField(choices=["done", "running", "late", "upcoming"]))
    def get_status(self, milestone):
        return milestone_status(milestone).value

    @extend_schema_field(serializers.IntegerField())
    def get_dagenTeLaat(self, milestone):
        return days_late(milestone)


class MotionRequestItemSerializer(KnownAttributes, serializers.ModelSerializer):
    nummer = serializers.IntegerField(source="number", min_value=1)
    verzoek = serializers.CharField(source="text")
    reactie = serializers.CharField(source="response", allow_blank=True, required=False)
    status = serializers.ChoiceField(choices=MotionRequest.Status.choices, required=False)

    class Meta:
        model = MotionRequest
        fields = ["nummer", "verzoek", "reactie", "status"]


class CodeListField(serializers.ListField):
    """Milestones or options of the motion's tender by their code."""

    child = serializers.CharField()

    def to_representation(self, manager):
        return [item.code for item in manager.all()]


class MotionSerializer(VersionedSerializer):
    """Accounthouders maken moties aan (POST) en wijzigen ze (PATCH), met dezelfde regels als de
    pagina's. `verzoeken` vervangt bij PATCH de hele lijst: een verzoek met een bestaand nummer
    wordt bijgewerkt, een ontbrekend nummer verwijderd."""

    aanbesteding = CodeRelatedField(
        source="tender", slug_field="reference", queryset=Tender.objects.all(),
        help_text="Kenmerk van de aanbesteding; alleen bij aanmaken.",
    )  # fmt: skip
    datum = serializers.DateField(source="date")
    titel = serializers.CharField(source="title", max_length=200)
    indiener = serializers.CharField(
        source="submitter", allow_blank=True, required=False, max_length=200
    )
    partij = serializers.CharField(source="party", max_length=100)
    status = serializers.ChoiceField(choices=Motion.Status.choices, required=False)
    samenvatting = serializers.CharField(source="summary", allow_blank=True, required=False)
    link = serializers.URLField(source="url", allow_blank=True, required=False)
    verzoeken = MotionRequestItemSerializer(source="requests", many=True)
    mijlpalen = CodeListField(
        source="milestones", required=False,
        help_text="Codes van mijlpalen van dezelfde aanbesteding (/mijlpalen), ook "
        "informatiemomenten voor de raad en de gunningsbesluiten.",
    )  # fmt: skip
    contractopties = CodeListField(
        source="options", required=False,
        help_text="Codes van contractopties van dezelfde aanbesteding.",
    )  # fmt: skip

    class Meta:
        model = Motion
        fields = [
            "id", "aanbesteding", "datum", "titel", "indiener", "partij", "status",
            "samenvatting", "link", "verzoeken", "mijlpalen", "contractopties", "versie",
        ]  # fmt: skip

    def _resolve(self, queryset, codes, name, errors):
        found = {item.code: item for item in queryset.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            errors[name] = [f"Onbekend voor deze aanbesteding: {', '.join(unknown)}."]
        return [found[code] for code in codes if code in found]

    MOTION_FIELDS = ("date", "title", "submitter", "party", "status", "summary", "url")

    def validate(self, attrs):
        attrs = super().validate(attrs)  # a change names the `versie` it read
        errors = {}
        tender = attrs.get("tender")
        if self.instance is not None:
            if tender is not None and tender != self.instance.tender:
                errors["aanbesteding"] = ["De aanbesteding van een motie verandert niet."]
            tender = self.instance.tender
        fields = {name: attrs[name] for name in self.MOTION_FIELDS if name in attrs}
        # Checked on a copy; `update` sets the fields on the motion itself.
        motion = copy.copy(self.instance) if self.instance is not None else Motion(tender=tender)
        for name, value in fields.items():
            setattr(motion, name, value)
        milestones = options = requests = None
        if "milestones" in attrs:
            milestones = self._resolve(tender.milestones, attrs["milestones"], "mijlpalen", errors)
        if "options" in attrs:
            options = self._resolve(tender.options, attrs["options"], "contractopties", errors)
        if "requests" in attrs:
            requests = [
                RequestInput(
                    number=item["number"],
                    text=item["text"],
                    response=item.get("response", ""),
                    status=item.get("status", MotionRequest.Status.OPEN),
                )  # fmt: skip
                for item in attrs["requests"]
            ]
        found = motion_errors(motion, requests, milestones, options)
        errors.update(api_names(self, found.fields))
        if found.request_list:
            errors["verzoeken"] = found.request_list
        request_names = {f.source: n for n, f in self.fields["verzoeken"].child.fields.items()}
        for index, per_field in found.requests.items():
            for name, messages in per_field.items():
                errors[f"verzoeken.{index}.{request_names.get(name, name)}"] = messages
        if errors:
            raise serializers.ValidationError(errors)
        return {"tender": tender, "fields": fields, "requests": requests,
                "milestones": milestones, "options": options, "version": attrs.get("version")}  # fmt: skip

    STAMPS = ("version", "changed_at", "changed_by")

    def _save(self, motion, data):
        # The stamps come from wmo.versions.save_versioned (the viewset's VersionCheckedMixin).
        for name, value in data["fields"].items():
            setattr(motion, name, value)
        for name in self.STAMPS:
            if name in data:
                setattr(motion, name, data[name])
        return save_motion(
            motion,
            requests=data["requests"],
            milestones=data["milestones"],
            options=data["options"],
        )

    def create(self, validated_data):
        return self._save(Motion(tender=validated_data["tender"]), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)

"""API representations in Dutch camelCase; writes obey the same model rules as forms and imports."""

import copy
import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from districts.models import District
from wmo.api.attributes import KnownAttributes
from wmo.api.prefetched import PrefetchedListSerializer, PrefetchedSlugRelatedField
from wmo.api.references import CodeRelatedField
from wmo.catalogue.models import ServiceType

from ..models import (
    Consortium,
    Contract,
    ContractOption,
    ContractValue,
    DistrictTeam,
    Provider,
    Subcontract,
    TargetGroup,
)
from ..services import provider_sizes


class ModelRulesMixin:
    # Run the model's validators, clean(), uniqueness and constraints on the would-be instance, and
    # report its errors under the API's attribute names (a duplicate consortium name or contract
    # reference is a 400 naming the field, as on the forms).
    # (Comments, not a docstring: drf-spectacular shows a serializer's first docstring as its
    # description in the Dutch API documentation.)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        many = {f.name for f in model._meta.many_to_many}
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            if name not in many:
                setattr(instance, name, value)
        found: dict[str, list[str]] = {}
        try:
            instance.full_clean(exclude=list(many))
        except DjangoValidationError as exc:
            found = exc.message_dict
        rules = getattr(instance, "relation_errors", None)
        if rules is not None:
            # The model's rules on its many-to-many relations, which full_clean cannot see: the
            # values sent, or (a PATCH without them) the stored ones.
            related = {name: attrs[name] if name in attrs else (
                list(getattr(self.instance, name).all()) if self.instance is not None else [])
                for name in many}  # fmt: skip
            for field_name, message in rules(related).items():
                found.setdefault(field_name, []).append(message)
        if found:
            names = {f.source: name for name, f in self.fields.items()}
            detail = {}
            for field_name, messages in found.items():
                key = names.get(field_name, "nonFieldErrors")
                detail.setdefault(key, []).extend(messages)
            raise serializers.ValidationError(detail)
        return attrs


class VersionedSerializer(KnownAttributes, serializers.ModelSerializer):
    # The `versie` of a Versioned record (optimistic locking, see wmo.versions.save_versioned).
    # (Comments, not a docstring: drf-spectacular shows a serializer's first docstring as its
    # description in the Dutch API documentation.)

    versie = serializers.IntegerField(
        source="version", min_value=1, required=False,
        help_text="Versie van het gegeven; elke wijziging telt haar op. Verplicht bij PUT en "
        "PATCH: de versie die u het laatst las. Is het gegeven sindsdien door iemand anders "
        "gewijzigd, dan volgt 409 (application/problem+json) en is er niets opgeslagen. Bij "
        "aanmaken genegeerd (een nieuw gegeven krijgt versie 1).",
    )  # fmt: skip

    def validate(self, attrs):
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError({"versie": [gettext(
                "Geef bij wijzigen de versie mee die u het laatst las (veld versie), zodat geen "
                "wijziging van een ander ongemerkt verloren gaat."
            )]})  # fmt: skip
        return super().validate(attrs)


def codes(model, field="code", **kwargs):
    return PrefetchedSlugRelatedField(slug_field=field, queryset=model.objects.all(),
                                      many=True, required=False, **kwargs)  # fmt: skip


@extend_schema_serializer(component_name="Aanbieder")
class ProviderSerializer(ModelRulesMixin, VersionedSerializer):
    agbCode = serializers.CharField(source="agb_code", max_length=8,
                                    help_text="AGB-code, 8 cijfers (de sleutel).")  # fmt: skip
    kvkNummer = serializers.CharField(source="kvk_number", max_length=8, required=False,
                                      allow_blank=True)  # fmt: skip
    naam = serializers.CharField(source="name", max_length=200)
    soort = serializers.ChoiceField(source="kind", choices=Provider._meta.get_field("kind").choices)
    omvang = serializers.SerializerMethodField(
        help_text="large/small in het lopende jaar: handmatig, of afgeleid uit de jaarwaarde."
    )
    omvangHandmatig = serializers.ChoiceField(
        source="size_override", choices=Provider._meta.get_field("size_override").choices,
        required=False, allow_blank=True,
    )  # fmt: skip
    doelgroepen = codes(TargetGroup, source="target_groups")
    wijken = codes(District, source="districts")
    actief = serializers.BooleanField(source="active", required=False, default=True)

    class Meta:
        model = Provider
        fields = ["agbCode", "kvkNummer", "naam", "soort", "omvang", "omvangHandmatig",
                  "doelgroepen", "wijken", "actief", "versie"]  # fmt: skip

    def get_fields(self):
        fields = super().get_fields()
        # Keep the model's validators (format) and uniqueness on the key.
        fields["agbCode"].validators = list(Provider._meta.get_field("agb_code").validators)
        fields["kvkNummer"].validators = list(Provider._meta.get_field("kvk_number").validators)
        return fields

    def validate_agbCode(self, value):
        if self.instance is not None and value != self.instance.agb_code:
            raise serializers.ValidationError("De AGB-code kan niet worden gewijzigd.")
        if self.instance is None and Provider.objects.filter(agb_code=value).exists():
            raise serializers.ValidationError("Er bestaat al een aanbieder met deze AGB-code.")
        return value

    def get_omvang(self, obj) -> str:
        sizes = self.context.get("sizes")
        if sizes is None or obj.id not in sizes:
            sizes = provider_sizes(datetime.date.today().year, [obj])
        return sizes[obj.id]


class ConsortiumSerializer(ModelRulesMixin, VersionedSerializer):
    naam = serializers.CharField(source="name", max_length=200)
    vorm = serializers.ChoiceField(
        source="form", choices=Consortium._meta.get_field("form").choices
    )
    hoofdaannemer = CodeRelatedField(source="main_contractor", slug_field="agb_code",
                                                 queryset=Provider.objects.all())  # fmt: skip
    leden = codes(Provider, "agb_code", source="members")

    class Meta:
        model = Consortium
        fields = ["id", "naam", "vorm", "hoofdaannemer", "leden", "versie"]


@extend_schema_serializer(component_name="Jaarwaarde")
class ContractValueSerializer(serializers.ModelSerializer):
    jaar = serializers.IntegerField(source="year")
    bedrag = serializers.DecimalField(source="amount", max_digits=14, decimal_places=2)

    class Meta:
        model = ContractValue
        list_serializer_class = PrefetchedListSerializer
        fields = ["jaar", "bedrag"]


@extend_schema_serializer(component_name="Optie")
class ContractOptionSerializer(serializers.ModelSerializer):
    naam = serializers.CharField(source="name")
    voorziening = CodeRelatedField(source="service_type", slug_field="code",
                                               read_only=True, allow_null=True)  # fmt: skip
    aanleiding = serializers.CharField(source="trigger")
    begin = serializers.DateField(source="start_date", allow_null=True)
    einde = serializers.DateField(source="end_date", allow_null=True)
    beslisdatum = serializers.DateField(source="decision_date")

    class Meta:
        model = ContractOption
        list_serializer_class = PrefetchedListSerializer
        fields = ["id", "naam", "voorziening", "aanleiding", "begin", "einde", "beslisdatum",
                  "status"]  # fmt: skip


@extend_schema_serializer(component_name="Wijkteam")
class DistrictTeamSerializer(serializers.ModelSerializer):
    wijkCode = CodeRelatedField(source="district", slug_field="code", read_only=True)
    naam = serializers.CharField(source="name")
    aanbieder = CodeRelatedField(source="provider", slug_field="agb_code",
                                             read_only=True)  # fmt: skip

    class Meta:
        model = DistrictTeam
        list_serializer_class = PrefetchedListSerializer
        fields = ["id", "wijkCode", "naam", "aanbieder"]


class ContractSerializer(ModelRulesMixin, VersionedSerializer):
    kenmerk = serializers.CharField(source="reference", max_length=40)
    omschrijving = serializers.CharField(source="name", max_length=200)
    contractpartij = CodeRelatedField(source="contractor", slug_field="agb_code",
                                                  queryset=Provider.objects.all())  # fmt: skip
    samenwerkingsverband = serializers.PrimaryKeyRelatedField(
        source="consortium", queryset=Consortium.objects.all(), allow_null=True, required=False
    )
    bekostiging = serializers.ChoiceField(source="financing",
                                          choices=Contract._meta.get_field("financing").choices)  # fmt: skip
    ingangsdatum = serializers.DateField(source="start_date")
    einddatum = serializers.DateField(source="end_date")
    verlengingsopties = serializers.IntegerField(source="extension_count", required=False,
                                                 min_value=0)  # fmt: skip
    verlengingDuurMaanden = serializers.IntegerField(source="extension_months", required=False,
                                                     allow_null=True, min_value=1)  # fmt: skip
    verlengingenGebruikt = serializers.IntegerField(source="extensions_exercised", required=False,
                                                    min_value=0)  # fmt: skip
    stedelijk = serializers.BooleanField(source="city_wide", required=False)
    wijken = codes(District, source="districts")
    voorzieningen = codes(ServiceType, source="service_types")
    toelichting = serializers.CharField(source="notes", required=False, allow_blank=True)
    jaarwaarden = ContractValueSerializer(source="values", many=True, read_only=True)
    opties = ContractOptionSerializer(source="options", many=True, read_only=True)
    wijkteams = DistrictTeamSerializer(source="district_teams", many=True, read_only=True)

    class Meta:
        model = Contract
        fields = ["id", "kenmerk", "omschrijving", "contractpartij", "samenwerkingsverband",
                  "instrument", "bekostiging", "ingangsdatum", "einddatum", "verlengingsopties",
                  "verlengingDuurMaanden", "verlengingenGebruikt", "stedelijk", "wijken",
                  "voorzieningen", "toelichting", "jaarwaarden", "opties", "wijkteams",
                  "versie"]  # fmt: skip


@extend_schema_serializer(component_name="Onderaanneming")
class SubcontractSerializer(ModelRulesMixin, VersionedSerializer):
    contract = serializers.PrimaryKeyRelatedField(queryset=Contract.objects.all())
    onderaannemer = CodeRelatedField(source="subcontractor", slug_field="agb_code",
                                                 queryset=Provider.objects.all())  # fmt: skip
    wijken = codes(District, source="districts")
    voorzieningen = codes(ServiceType, source="service_types")
    jaarwaarde = serializers.DecimalField(source="annual_value", max_digits=14, decimal_places=2,
                                          required=False, allow_null=True, min_value=0)  # fmt: skip
    aandeelProcent = serializers.DecimalField(source="share_percent", max_digits=5,
                                              decimal_places=2, required=False, allow_null=True)  # fmt: skip
    ingangsdatum = serializers.DateField(source="start_date")
    einddatum = serializers.DateField(source="end_date")
    goedgekeurdOp = serializers.DateField(source="approved_on", required=False, allow_null=True)
    risicobepalingen = serializers.CharField(source="risk_provisions", required=False,
                                             allow_blank=True)  # fmt: skip

    class Meta:
        model = Subcontract
        fields = ["id", "contract", "onderaannemer", "wijken", "voorzieningen", "jaarwaarde",
                  "aandeelProcent", "ingangsdatum", "einddatum", "goedgekeurdOp",
                  "risicobepalingen", "versie"]  # fmt: skip

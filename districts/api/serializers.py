from rest_framework import serializers

from wmo.api.attributes import KnownAttributes
from wmo.api.references import CodeRelatedField

from ..models import Buurtteam, District, DistrictPopulation, Municipality


class PopulationSerializer(KnownAttributes, serializers.ModelSerializer):
    jaar = serializers.IntegerField(source="year", min_value=2000, max_value=2100)
    aantalInwoners = serializers.IntegerField(source="population", min_value=0)

    class Meta:
        model = DistrictPopulation
        fields = ["jaar", "aantalInwoners"]


class DistrictSerializer(KnownAttributes, serializers.ModelSerializer):
    naam = serializers.CharField(source="name", max_length=100)
    bevolking = PopulationSerializer(source="populations", many=True, read_only=True)
    buurtteams = CodeRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = District
        fields = ["code", "naam", "bevolking", "buurtteams"]
        extra_kwargs = {"code": {"help_text": "CBS-wijkcode, bijvoorbeeld WK034403."}}

    def validate_code(self, value):
        # The CBS code is the stable key; renaming is allowed, recoding is not.
        if self.instance is not None and value != self.instance.code:
            raise serializers.ValidationError("De wijkcode kan niet worden gewijzigd.")
        return value


class BuurtteamSerializer(KnownAttributes, serializers.ModelSerializer):
    naam = serializers.CharField(source="name", max_length=100)
    wijkCode = CodeRelatedField(
        source="district", slug_field="code", queryset=District.objects.all()
    )

    class Meta:
        model = Buurtteam
        fields = ["code", "naam", "wijkCode"]

    def validate_code(self, value):
        if self.instance is not None and value != self.instance.code:
            raise serializers.ValidationError("De buurtteamcode kan niet worden gewijzigd.")
        return value


class MunicipalitySerializer(KnownAttributes, serializers.ModelSerializer):
    naam = serializers.CharField(source="name")

    class Meta:
        model = Municipality
        fields = ["code", "naam"]
        read_only_fields = fields
        extra_kwargs = {"code": {"help_text": "CBS-gemeentecode, bijvoorbeeld GM0310."}}

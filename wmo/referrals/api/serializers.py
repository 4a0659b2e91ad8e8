from rest_framework import serializers

from ..models import ServiceType


class ServiceTypeSerializer(serializers.ModelSerializer):
    naam = serializers.CharField(source="name")
    beleidsdoel = serializers.CharField(source="objective")
    wachttijdnormDagen = serializers.IntegerField(source="waiting_norm_days", allow_null=True)
    iwmoProductcategorie = serializers.CharField(source="iwmo_category")
    geldigVanaf = serializers.DateField(source="valid_from", allow_null=True)
    geldigTotEnMet = serializers.DateField(source="valid_to", allow_null=True)

    class Meta:
        model = ServiceType
        fields = [
            "code", "naam", "beleidsdoel", "wachttijdnormDagen", "iwmoProductcategorie",
            "geldigVanaf", "geldigTotEnMet",
        ]  # fmt: skip
        read_only_fields = fields

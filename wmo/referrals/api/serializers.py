from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from districts.models import Buurtteam, District, Municipality
from providers.models import Provider
from wmo import identifiers
from wmo.api.attributes import KnownAttributes
from wmo.api.references import CodeRelatedField
from wmo.catalogue.models import ServiceType

from ..models import BuurtteamCase, EndReason, Referral, ReferralState, SupportForm

# model field -> API attribute, to report a service's ValidationError on the right attribute.
REFERRAL_ATTRIBUTES = {
    "external_id": "verwijzingId", "bsn": "bsn", "district": "wijkCode",
    "municipality": "gemeenteCode", "service_type": "voorziening", "provider": "aanbiederAgb",
    "contractor": "opdrachtnemerAgb",
    "referral_date": "verwijsdatum", "assignment_date": "datum", "start_date": "datum",
    "end_date": "datum", "end_reason": "redenBeeindiging", "cancelled_date": "datum",
    "idempotency_key": "idempotentieSleutel", "birth_year": "geboortejaar",
    "previous": "vorigeVerwijzingId", "pilot": "pilot", "team": "buurtteamCode",
}  # fmt: skip
CASE_ATTRIBUTES = {
    "external_id": "casusId", "bsn": "bsn", "district": "wijkCode", "buurtteam": "buurtteamCode",
    "registration_date": "aanmelddatum", "first_contact_date": "datumEersteContact",
    "closed_date": "afsluitdatum", "support_form": "ondersteuningsvorm",
    "idempotency_key": "idempotentieSleutel", "birth_year": "geboortejaar",
}  # fmt: skip
# What is kept is a keyed hash (pseudonyms.py), so the schema says the same as the form: not
# stored, and the key the client is known by cannot be turned back into the number.
BSN_HELP = ("Burgerservicenummer; wordt gecontroleerd en nooit opgeslagen of getoond: alleen een "
            "sleutel die er niet naar terug te rekenen is (`clientSleutel`).")  # fmt: skip
BIRTH_YEAR_HELP = "Niet verplicht; alleen voor leeftijdsgroepen. Wordt niet teruggegeven."
IDEMPOTENCY_HELP = (
    "Niet verplicht. Dezelfde sleutel met dezelfde gegevens nog eens geeft de eerste registratie "
    "terug in plaats van een tweede; dezelfde sleutel met andere gegevens wordt geweigerd."
)


def birth_year_field():
    return serializers.IntegerField(
        source="birth_year", write_only=True, required=False, allow_null=True,
        min_value=1900, max_value=2100, help_text=BIRTH_YEAR_HELP,
    )  # fmt: skip


def idempotency_field():
    return serializers.UUIDField(source="idempotency_key", write_only=True, required=False,
                                 allow_null=True, help_text=IDEMPOTENCY_HELP)  # fmt: skip


@extend_schema_serializer(component_name="Verwijzing")
class ReferralSerializer(KnownAttributes, serializers.ModelSerializer):
    verwijzingId = serializers.CharField(source="external_id", required=False,
                                         max_length=identifiers.MAX_LENGTH,
                                         validators=[identifiers.validate_record_number])  # fmt: skip
    bsn = serializers.CharField(write_only=True, max_length=9,
                                help_text=BSN_HELP)  # fmt: skip
    clientSleutel = serializers.CharField(source="client.short_key", read_only=True)
    wijkCode = CodeRelatedField(
        source="district", slug_field="code", queryset=District.objects.all(), required=False,
        allow_null=True,
        help_text="CBS-wijkcode. Leeg alleen bij een cliënt uit een andere U16-gemeente "
                  "(gemeenteCode).",
    )  # fmt: skip
    gemeenteCode = CodeRelatedField(
        source="municipality", slug_field="code", queryset=Municipality.objects.all(),
        required=False, allow_null=True,
        help_text="CBS-gemeentecode van een cliënt uit een andere U16-gemeente dan Utrecht, "
                  "alleen bij opvang en verblijf (doel V); dan zonder wijkCode.",
    )  # fmt: skip
    voorziening = CodeRelatedField(source="service_type", slug_field="code",
                                               queryset=ServiceType.objects.all())  # fmt: skip
    aanbiederAgb = CodeRelatedField(source="provider", slug_field="agb_code",
                                                queryset=Provider.objects.all())  # fmt: skip
    opdrachtnemerAgb = CodeRelatedField(source="contractor", slug_field="agb_code",
                                                    required=False,
                                                    queryset=Provider.objects.all())  # fmt: skip
    buurtteamCode = serializers.CharField(source="team.code", read_only=True, default=None,
                                          allow_null=True)  # fmt: skip
    verwijsdatum = serializers.DateField(source="referral_date")
    toewijzingsdatum = serializers.DateField(
        source="assignment_date", read_only=True, allow_null=True
    )
    startdatum = serializers.DateField(source="start_date", read_only=True, allow_null=True)
    einddatum = serializers.DateField(source="end_date", read_only=True, allow_null=True)
    redenBeeindiging = serializers.CharField(source="end_reason", read_only=True)
    annuleringsdatum = serializers.DateField(
        source="cancelled_date", read_only=True, allow_null=True
    )
    groepsgericht = serializers.BooleanField(source="group_based", required=False, default=False)
    vorigeVerwijzingId = serializers.CharField(
        source="previous.external_id", required=False, allow_null=True, allow_blank=True,
        default=None, max_length=identifiers.MAX_LENGTH,
        help_text="Niet verplicht. Het verwijzingId van de verwijzing die deze opvolgt (zelfde "
                  "cliënt, een verwijsdatum niet vóór die van de vorige verwijzing; een "
                  "verwijzing heeft hoogstens één opvolger).",
    )  # fmt: skip
    pilot = serializers.BooleanField(
        required=False, default=False,
        help_text="Pilot Beschermd Thuis: alleen voor beschermd_thuis met een verwijsdatum in "
                  "2027 of 2028.",
    )  # fmt: skip
    status = serializers.ChoiceField(source="state", choices=ReferralState.choices, read_only=True)
    geboortejaar = birth_year_field()
    idempotentieSleutel = idempotency_field()

    class Meta:
        model = Referral
        fields = [
            "verwijzingId", "bsn", "clientSleutel", "wijkCode", "gemeenteCode", "voorziening",
            "aanbiederAgb",
            "opdrachtnemerAgb", "buurtteamCode", "verwijsdatum", "toewijzingsdatum", "startdatum",
            "einddatum", "redenBeeindiging", "annuleringsdatum", "groepsgericht",
            "vorigeVerwijzingId", "pilot", "status", "geboortejaar", "idempotentieSleutel",
        ]  # fmt: skip


@extend_schema_serializer(component_name="Transitie")
class TransitionSerializer(KnownAttributes, serializers.Serializer):
    datum = serializers.DateField(help_text="De datum van de gebeurtenis (JJJJ-MM-DD).")
    redenBeeindiging = serializers.ChoiceField(choices=EndReason.choices, required=False,
                                               help_text="Alleen bij een beëindiging (WMO588).")  # fmt: skip


class CaseStepSerializer(KnownAttributes, serializers.Serializer):
    datum = serializers.DateField(help_text="De datum van het eerste contact of van de afsluiting "
                                            "(JJJJ-MM-DD).")  # fmt: skip


@extend_schema_serializer(component_name="Casus")
class BuurtteamCaseSerializer(KnownAttributes, serializers.ModelSerializer):
    casusId = serializers.CharField(source="external_id", required=False,
                                    max_length=identifiers.MAX_LENGTH,
                                    validators=[identifiers.validate_record_number])  # fmt: skip
    bsn = serializers.CharField(write_only=True, max_length=9, help_text=BSN_HELP)
    clientSleutel = serializers.CharField(source="client.short_key", read_only=True)
    wijkCode = CodeRelatedField(source="district", slug_field="code",
                                            queryset=District.objects.all())  # fmt: skip
    buurtteamCode = CodeRelatedField(source="buurtteam", slug_field="code",
                                                 queryset=Buurtteam.objects.all())  # fmt: skip
    aanmelddatum = serializers.DateField(source="registration_date")
    datumEersteContact = serializers.DateField(source="first_contact_date", required=False,
                                               allow_null=True)  # fmt: skip
    afsluitdatum = serializers.DateField(source="closed_date", required=False, allow_null=True)
    ondersteuningsvorm = serializers.ChoiceField(source="support_form", choices=SupportForm.choices)
    geboortejaar = birth_year_field()
    idempotentieSleutel = idempotency_field()

    class Meta:
        model = BuurtteamCase
        fields = ["casusId", "bsn", "clientSleutel", "wijkCode", "buurtteamCode", "aanmelddatum",
                  "datumEersteContact", "afsluitdatum", "ondersteuningsvorm", "geboortejaar",
                  "idempotentieSleutel"]  # fmt: skip


class ServiceTypeSerializer(KnownAttributes, serializers.ModelSerializer):
    naam = serializers.CharField(source="name")
    beleidsdoel = serializers.CharField(source="objective")
    wachttijdnormDagen = serializers.IntegerField(
        source="waiting_norm_days", allow_null=True,
        help_text="De wachttijdnorm die geldt op geldigOp, zonder geldigOp vandaag; leeg: geen norm.",
    )  # fmt: skip
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

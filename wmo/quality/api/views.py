from django_filters import rest_framework as filters
from rest_framework import viewsets

from wmo.api.filters import ApiFilterSet, TextFilter

from ..models import BUURTTEAM_SERVICE, Complaint, SurveyResponse
from .serializers import ComplaintSerializer, SurveyResponseSerializer

CAPABILITIES = {"read": "quality.view", "write": "quality.change"}


class QualityFilter(ApiFilterSet):
    wijkCode = TextFilter(field_name="district__code", label="CBS-wijkcode")
    voorziening = TextFilter(field_name="service_type__code", label="Voorzieningcode")
    aanbiederAgb = TextFilter(field_name="provider__agb_code", label="AGB-code aanbieder")


class SurveyResponseFilter(QualityFilter):
    voorziening = TextFilter(method="filter_subject",
                             label=f"Voorzieningcode, of '{BUURTTEAM_SERVICE}'")  # fmt: skip
    buurtteamCode = TextFilter(field_name="team__code", label="Code van het buurtteam")
    datumVanaf = filters.DateFilter(field_name="date", lookup_expr="gte",
                                    label="Datum vanaf (JJJJ-MM-DD)")  # fmt: skip
    datumTot = filters.DateFilter(field_name="date", lookup_expr="lt",
                                  label="Datum vóór (JJJJ-MM-DD)")  # fmt: skip

    class Meta:
        model = SurveyResponse
        fields = ["wijkCode", "voorziening", "aanbiederAgb", "buurtteamCode", "datumVanaf",
                  "datumTot"]  # fmt: skip

    def filter_subject(self, queryset, name, value):
        if value == BUURTTEAM_SERVICE:
            return queryset.filter(about_buurtteam=True)
        return queryset.filter(service_type__code=value)


class ComplaintFilter(QualityFilter):
    datumVanaf = filters.DateFilter(field_name="received_date", lookup_expr="gte",
                                    label="Ontvangstdatum vanaf (JJJJ-MM-DD)")  # fmt: skip
    datumTot = filters.DateFilter(field_name="received_date", lookup_expr="lt",
                                  label="Ontvangstdatum vóór (JJJJ-MM-DD)")  # fmt: skip
    afgehandeld = filters.BooleanFilter(field_name="resolved_date", lookup_expr="isnull",
                                        exclude=True, label="Afgehandeld (true/false)")  # fmt: skip

    class Meta:
        model = Complaint
        fields = ["wijkCode", "voorziening", "aanbiederAgb", "datumVanaf", "datumTot",
                  "afgehandeld"]  # fmt: skip


class SurveyResponseViewSet(viewsets.ModelViewSet):
    """Antwoorden uit de Ervaringwijzer (schaal 1–5) per wijk, voorziening en aanbieder."""

    capabilities = CAPABILITIES
    serializer_class = SurveyResponseSerializer
    filterset_class = SurveyResponseFilter
    lookup_field = "external_id"
    lookup_url_kwarg = "ervaringId"
    queryset = SurveyResponse.objects.select_related("district", "service_type", "provider",
                                                     "team")  # fmt: skip


class ComplaintViewSet(viewsets.ModelViewSet):
    """Klachten over aanbieders, van ontvangst tot afhandeling."""

    capabilities = CAPABILITIES
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    lookup_field = "external_id"
    lookup_url_kwarg = "klachtId"
    queryset = Complaint.objects.select_related("district", "service_type", "provider")

from rest_framework import viewsets

from wmo.api.filters import ApiFilterSet, TextFilter

from ..models import Buurtteam, Municipality
from ..selectors import districts_with_teams
from .serializers import BuurtteamSerializer, DistrictSerializer, MunicipalitySerializer


class DistrictViewSet(viewsets.ModelViewSet):
    """De tien wijken van Utrecht met hun buurtteams en inwonertallen per jaar."""

    capabilities = {"read": "districts.view", "write": "districts.change"}
    serializer_class = DistrictSerializer
    lookup_field = "code"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return districts_with_teams()


class BuurtteamFilter(ApiFilterSet):
    wijkCode = TextFilter(field_name="district__code", label="CBS-wijkcode")

    class Meta:
        model = Buurtteam
        fields = ["wijkCode"]


class BuurtteamViewSet(viewsets.ModelViewSet):
    """De buurtteams (basiszorg) en de wijk waarin ze werken."""

    capabilities = {"read": "districts.view", "write": "districts.change"}
    serializer_class = BuurtteamSerializer
    filterset_class = BuurtteamFilter
    lookup_field = "code"

    def get_queryset(self):
        return Buurtteam.objects.select_related("district").order_by("code")


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """De 16 gemeenten van de regio U16, voor wie Utrecht opvang en verblijf (doel V) inkoopt;
    een verwijzing voor een inwoner van een andere U16-gemeente draagt haar gemeentecode in
    plaats van een wijk. Beheer loopt via het beheerscherm."""

    capabilities = {"read": "districts.view", "write": "districts.change"}
    serializer_class = MunicipalitySerializer
    lookup_field = "code"
    queryset = Municipality.objects.order_by("code")

import datetime

from django_filters import rest_framework as filters
from rest_framework import viewsets

from ..models import Objective, ServiceType
from .serializers import ServiceTypeSerializer


class ServiceTypeFilter(filters.FilterSet):
    beleidsdoel = filters.ChoiceFilter(field_name="objective", choices=Objective.choices)
    geldigOp = filters.DateFilter(method="filter_valid_on", label="Geldig op datum (JJJJ-MM-DD)")

    class Meta:
        model = ServiceType
        fields = ["beleidsdoel", "geldigOp"]

    def filter_valid_on(self, queryset, name, value: datetime.date):
        return queryset.valid_on(value)


class ServiceTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """Voorzieningen van aanvullende zorg met hun wachttijdnorm; beheer loopt via het beheerscherm."""

    capabilities = {"read": "service_types.view", "write": "service_types.change"}
    serializer_class = ServiceTypeSerializer
    filterset_class = ServiceTypeFilter
    lookup_field = "code"
    queryset = ServiceType.objects.order_by("code")

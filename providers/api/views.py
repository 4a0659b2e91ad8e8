import datetime

from django.db.models import Q
from django.utils.translation import gettext
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.exceptions import APIException

from wmo.api.exceptions import Conflict
from wmo.api.filters import ApiFilterSet, IdFilter, TextFilter
from wmo.api.prefetched import ForgetsPrefetchedOnUpdate, Prefetched
from wmo.api.schema import problem_response
from wmo.versions import RemovalRefused, StaleVersion, delete_versioned, save_versioned

from ..models import (
    Consortium,
    ConsortiumForm,
    Contract,
    Financing,
    Instrument,
    Provider,
    ProviderKind,
    ProviderSize,
    Subcontract,
)
from ..selectors import consortia_with_members, contracts_for_api
from ..services import provider_sizes
from .serializers import (
    ConsortiumSerializer,
    ContractSerializer,
    ProviderSerializer,
    SubcontractSerializer,
)


class VersionConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "versieconflict"


class VersionCheckedMixin:
    """Writes go through wmo.versions.save_versioned: a PUT or PATCH carries the `versie` its
    client read, and one based on an outdated version is refused with 409, nothing saved. A
    DELETE goes through wmo.versions.delete_versioned, so the record's own rules can keep it
    (409 with the reason)."""

    def perform_create(self, serializer):
        serializer.validated_data.pop("version", None)
        save_versioned(serializer.Meta.model, None, None, self.request.user, serializer.save)

    def perform_update(self, serializer):
        version = serializer.validated_data.pop("version")
        record = serializer.instance
        try:
            save_versioned(type(record), record.pk, version, self.request.user, serializer.save)
        except StaleVersion as exc:
            advice = gettext("Haal het gegeven opnieuw op (GET) en breng uw wijziging opnieuw "
                             "aan op de actuele versie.")  # fmt: skip
            raise VersionConflict(f"{exc} {advice}") from exc

    def perform_destroy(self, instance):
        try:
            delete_versioned(type(instance), instance.pk, None)
        except (StaleVersion, RemovalRefused) as exc:
            raise Conflict(str(exc)) from exc


def version_checked(serializer):
    """The schema of a VersionCheckedMixin viewset: its updates may answer 409."""
    conflict = problem_response(409, "Versieconflict: het gegeven is gewijzigd sinds de "
                                "meegegeven `versie`; er is niets opgeslagen.")  # fmt: skip
    responses = {200: serializer, **conflict}
    return extend_schema_view(update=extend_schema(responses=responses),
                              partial_update=extend_schema(responses=responses))  # fmt: skip


class ProviderFilter(ApiFilterSet):
    zoek = TextFilter(field_name="name", lookup_expr="icontains", label="Deel van de naam")
    soort = filters.ChoiceFilter(field_name="kind", choices=ProviderKind.choices)
    omvang = filters.ChoiceFilter(choices=ProviderSize.choices, method="filter_size",
                                  label="Omvang in het lopende jaar")  # fmt: skip
    wijkCode = TextFilter(field_name="districts__code", label="CBS-wijkcode")
    doelgroep = TextFilter(field_name="target_groups__code", label="Doelgroepcode")
    voorziening = TextFilter(method="filter_service_type", label="Voorzieningcode")
    actief = filters.BooleanFilter(field_name="active")

    class Meta:
        model = Provider
        fields = ["zoek", "soort", "omvang", "wijkCode", "doelgroep", "voorziening", "actief"]

    def filter_size(self, queryset, name, value):
        sizes = provider_sizes(datetime.date.today().year, queryset.only("id", "size_override"))
        return queryset.filter(id__in=[i for i, size in sizes.items() if size == value])

    def filter_service_type(self, queryset, name, value):
        return queryset.filter(
            Q(contracts__service_types__code=value) | Q(subcontracts__service_types__code=value)
        ).distinct()


@version_checked(ProviderSerializer)
class ProviderViewSet(ForgetsPrefetchedOnUpdate, VersionCheckedMixin, viewsets.ModelViewSet):
    """Aanbieders van aanvullende zorg; de AGB-code is de sleutel."""

    capabilities = {"read": "providers.view", "write": "providers.change"}
    serializer_class = ProviderSerializer
    filterset_class = ProviderFilter
    lookup_field = "agb_code"
    lookup_url_kwarg = "agbCode"

    def get_queryset(self):
        return Provider.objects.prefetch_related(
            Prefetched("target_groups"), Prefetched("districts")
        ).order_by("agb_code")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "list":
            context["sizes"] = provider_sizes(datetime.date.today().year)
        return context


class ConsortiumFilter(ApiFilterSet):
    vorm = filters.ChoiceFilter(field_name="form", choices=ConsortiumForm.choices)
    lid = TextFilter(field_name="members__agb_code", label="AGB-code van een lid")
    hoofdaannemer = TextFilter(field_name="main_contractor__agb_code")

    class Meta:
        model = Consortium
        fields = ["vorm", "lid", "hoofdaannemer"]


@version_checked(ConsortiumSerializer)
class ConsortiumViewSet(VersionCheckedMixin, viewsets.ModelViewSet):
    """Samenwerkingsverbanden: gezamenlijke rechtspersoon of hoofdaannemer met onderaannemers."""

    capabilities = {"read": "contracts.view", "write": "contracts.change"}
    serializer_class = ConsortiumSerializer
    filterset_class = ConsortiumFilter

    def get_queryset(self):
        return consortia_with_members().order_by("name").distinct()


class ContractFilter(ApiFilterSet):
    contractpartij = TextFilter(field_name="contractor__agb_code")
    instrument = filters.ChoiceFilter(choices=Instrument.choices)
    bekostiging = filters.ChoiceFilter(field_name="financing", choices=Financing.choices)
    wijkCode = TextFilter(field_name="districts__code", label="CBS-wijkcode")
    voorziening = TextFilter(field_name="service_types__code", label="Voorzieningcode")
    stedelijk = filters.BooleanFilter(field_name="city_wide")
    geldigOp = filters.DateFilter(method="filter_in_force", label="Van kracht op (JJJJ-MM-DD)")

    class Meta:
        model = Contract
        fields = ["contractpartij", "instrument", "bekostiging", "wijkCode", "voorziening",
                  "stedelijk", "geldigOp"]  # fmt: skip

    def filter_in_force(self, queryset, name, value):
        return queryset.in_force_on(value)


@version_checked(ContractSerializer)
class ContractViewSet(ForgetsPrefetchedOnUpdate, VersionCheckedMixin, viewsets.ModelViewSet):
    """Contracten met hun jaarwaarden, opties en wijkteams."""

    capabilities = {"read": "contracts.view", "write": "contracts.change"}
    serializer_class = ContractSerializer
    filterset_class = ContractFilter

    def get_queryset(self):
        return contracts_for_api().order_by("-start_date", "reference").distinct()


class SubcontractFilter(ApiFilterSet):
    contract = IdFilter(field_name="contract_id")
    onderaannemer = TextFilter(field_name="subcontractor__agb_code")
    wijkCode = TextFilter(field_name="districts__code", label="CBS-wijkcode")
    geldigOp = filters.DateFilter(method="filter_in_force", label="Van kracht op (JJJJ-MM-DD)")

    class Meta:
        model = Subcontract
        fields = ["contract", "onderaannemer", "wijkCode", "geldigOp"]

    def filter_in_force(self, queryset, name, value):
        return queryset.in_force_on(value)


@version_checked(SubcontractSerializer)
class SubcontractViewSet(ForgetsPrefetchedOnUpdate, VersionCheckedMixin, viewsets.ModelViewSet):
    """Onderaannemingen: welk deel van een contract een onderaannemer uitvoert."""

    capabilities = {"read": "contracts.view", "write": "contracts.change"}
    serializer_class = SubcontractSerializer
    filterset_class = SubcontractFilter

    def get_queryset(self):
        return (
            Subcontract.objects.select_related("contract", "subcontractor")
            .prefetch_related(Prefetched("districts"), Prefetched("service_types"))
            .order_by("contract_id", "subcontractor__name")
            .distinct()
        )

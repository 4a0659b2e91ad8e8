import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from districts.selectors import team_of
from wmo.accounts import audit
from wmo.api.filters import ApiFilterSet, TextFilter
from wmo.catalogue.models import Objective, ServiceType

from .. import services
from ..models import BuurtteamCase, Referral, ReferralState, SupportForm
from ..selectors import cases_for, referral_details_for, sees_everything
from .serializers import (
    CASE_ATTRIBUTES,
    REFERRAL_ATTRIBUTES,
    BuurtteamCaseSerializer,
    CaseStepSerializer,
    ReferralSerializer,
    ServiceTypeSerializer,
    TransitionSerializer,
)


class ServiceTypeFilter(ApiFilterSet):
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

    def get_queryset(self):
        # The waiting norm shown is the one valid on `geldigOp`, else today's (norms are dated);
        # an impossible date is refused by the filter.
        try:
            day = parse_date(self.request.query_params.get("geldigOp") or "")
        except ValueError:
            day = None
        return super().get_queryset().with_waiting_norm(day or timezone.localdate())


# --- verwijzingen and casussen ------------------------------------------------------------------


def _api_errors(error: DjangoValidationError, attributes: dict) -> drf_serializers.ValidationError:
    if hasattr(error, "error_dict"):
        detail: dict[str, list[str]] = {}
        for name, messages in error.message_dict.items():
            detail.setdefault(attributes.get(name, name), []).extend(messages)
        return drf_serializers.ValidationError(detail)
    return drf_serializers.ValidationError(error.messages)


class ReferralFilter(ApiFilterSet):
    wijkCode = TextFilter(field_name="district__code", label="CBS-wijkcode")
    gemeenteCode = TextFilter(field_name="municipality__code", label="CBS-gemeentecode (U16)")
    voorziening = TextFilter(field_name="service_type__code", label="Voorzieningcode")
    aanbiederAgb = TextFilter(field_name="provider__agb_code", label="AGB-code aanbieder")
    opdrachtnemerAgb = TextFilter(field_name="contractor__agb_code",
                                  label="AGB-code opdrachtnemer")  # fmt: skip
    buurtteamCode = TextFilter(field_name="team__code", label="Buurtteamcode")
    status = filters.ChoiceFilter(choices=ReferralState.choices, method="filter_state")
    verwijsdatumVanaf = filters.DateFilter(field_name="referral_date", lookup_expr="gte")
    verwijsdatumTot = filters.DateFilter(field_name="referral_date", lookup_expr="lt",
                                         label="Verwijsdatum vóór (JJJJ-MM-DD)")  # fmt: skip
    startdatumVanaf = filters.DateFilter(field_name="start_date", lookup_expr="gte")
    startdatumTot = filters.DateFilter(field_name="start_date", lookup_expr="lt",
                                       label="Startdatum vóór (JJJJ-MM-DD)")  # fmt: skip
    einddatumVanaf = filters.DateFilter(field_name="end_date", lookup_expr="gte")
    einddatumTot = filters.DateFilter(field_name="end_date", lookup_expr="lt",
                                      label="Einddatum vóór (JJJJ-MM-DD)")  # fmt: skip
    annuleringsdatumVanaf = filters.DateFilter(field_name="cancelled_date", lookup_expr="gte")
    annuleringsdatumTot = filters.DateFilter(field_name="cancelled_date", lookup_expr="lt",
                                             label="Annuleringsdatum vóór (JJJJ-MM-DD)")  # fmt: skip

    class Meta:
        model = Referral
        fields = ["wijkCode", "gemeenteCode", "voorziening", "aanbiederAgb", "opdrachtnemerAgb",
                  "buurtteamCode", "status", "verwijsdatumVanaf", "verwijsdatumTot", "startdatumVanaf",
                  "startdatumTot", "einddatumVanaf", "einddatumTot", "annuleringsdatumVanaf",
                  "annuleringsdatumTot"]  # fmt: skip

    def filter_state(self, queryset, name, value):
        return queryset.in_state(value)


# A BSN arrives only in a POST body: it stays out of error reports (form-encoded POST data and
# the local variables of everything below `create`, the serializer and its data included).
PRIVATE_BODY = method_decorator(sensitive_post_parameters("bsn"), name="dispatch")


class RegistrationCapabilities:
    """Registering needs the same capability as the registration page; the other writes (the
    transitions) keep the `change` capability of contract managers and the registering team."""

    read_capability = register_capability = change_capability = ""

    @property
    def capabilities(self):
        # A write on the collection is a registration ("list": the browsable API asking
        # whether to offer the POST form there).
        creating = getattr(self, "action", None) in ("create", "list")
        write = self.register_capability if creating else self.change_capability
        return {"read": self.read_capability, "write": write}

    @sensitive_variables()
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def paginate_queryset(self, queryset):
        """A list answer shows a page of person-level records: one audit line names them."""
        page = super().paginate_queryset(queryset)  # always paginated (wmo.api.pagination)
        audit.record_view(page, request=self.request)
        return page


@PRIVATE_BODY
class ReferralViewSet(RegistrationCapabilities, mixins.CreateModelMixin,
                        viewsets.ReadOnlyModelViewSet):  # fmt: skip
    """Verwijzingen naar voorzieningen. Een BSN gaat alleen mee in de body van een POST (`bsn`)
    en komt nooit terug; de cliënt is alleen bekend als `clientSleutel`. Registreren mogen
    buurtteammedewerkers (voor hun eigen team); zij en accounthouders zien de verwijzingen
    (buurtteammedewerkers die van hun eigen team) en leggen de statusovergangen vast, als
    subresources. Aanbieder en opdrachtnemer moeten op de verwijsdatum gecontracteerd zijn voor
    de voorziening in de wijk, zodra er contracten voor de voorziening zijn vastgelegd."""

    read_capability, register_capability, change_capability = (
        "referrals.view", "referrals.register", "referrals.change",
    )  # fmt: skip
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    lookup_field = "external_id"
    lookup_url_kwarg = "verwijzingId"

    def get_queryset(self):
        return referral_details_for(self.request.user, "previous")

    def retrieve(self, request, *args, **kwargs):
        referral = self.get_object()
        audit.record_view(referral, request=request)
        return Response(self.get_serializer(referral).data)

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = services.register_referral(
                user=self.request.user, bsn=data["bsn"], district=data.get("district"),
                municipality=data.get("municipality"), service_type=data["service_type"],
                provider=data["provider"], contractor=data.get("contractor"),
                referral_date=data["referral_date"],
                group_based=data.get("group_based", False), team=team_of(self.request.user),
                birth_year=data.get("birth_year"), external_id=data.get("external_id", ""),
                idempotency_key=data.get("idempotency_key"), source="api",
                previous_id=(data.get("previous") or {}).get("external_id") or "",
                pilot=data.get("pilot", False),
            )  # fmt: skip
        except DjangoValidationError as error:
            raise _api_errors(error, REFERRAL_ATTRIBUTES) from None

    def _transition(self, request, action_name):
        referral = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            referral = services.transition(
                referral, action_name, user=request.user, date=payload.validated_data["datum"],
                end_reason=payload.validated_data.get("redenBeeindiging", ""), source="api",
            )  # fmt: skip
        except DjangoValidationError as error:
            raise _api_errors(error, REFERRAL_ATTRIBUTES) from None
        return Response(self.get_serializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TransitionSerializer, responses={201: ReferralSerializer})
    @action(detail=True, methods=["post"], url_path="toewijzingen")
    def toewijzingen(self, request, verwijzingId=None):
        """Wijs de verwijzing toe (iWmo WMO301)."""
        return self._transition(request, "assign")

    @extend_schema(request=TransitionSerializer, responses={201: ReferralSerializer})
    @action(detail=True, methods=["post"], url_path="starts")
    def starts(self, request, verwijzingId=None):
        """Start van de ondersteuning (iWmo WMO305)."""
        return self._transition(request, "start")

    @extend_schema(request=TransitionSerializer, responses={201: ReferralSerializer})
    @action(detail=True, methods=["post"], url_path="beeindigingen")
    def beeindigingen(self, request, verwijzingId=None):
        """Einde van de ondersteuning met reden (iWmo WMO307, WMO588)."""
        return self._transition(request, "end")

    @extend_schema(request=TransitionSerializer, responses={201: ReferralSerializer})
    @action(detail=True, methods=["post"], url_path="annuleringen")
    def annuleringen(self, request, verwijzingId=None):
        """Annuleer een verwijzing die nog niet is gestart."""
        return self._transition(request, "cancel")


class BuurtteamCaseFilter(ApiFilterSet):
    wijkCode = TextFilter(field_name="district__code", label="CBS-wijkcode")
    buurtteamCode = TextFilter(field_name="buurtteam__code", label="Buurtteamcode")
    ondersteuningsvorm = filters.ChoiceFilter(field_name="support_form",
                                              choices=SupportForm.choices)  # fmt: skip
    aanmelddatumVanaf = filters.DateFilter(field_name="registration_date", lookup_expr="gte")
    aanmelddatumTot = filters.DateFilter(field_name="registration_date", lookup_expr="lt",
                                         label="Aanmelddatum vóór (JJJJ-MM-DD)")  # fmt: skip
    afsluitdatumVanaf = filters.DateFilter(field_name="closed_date", lookup_expr="gte")
    afsluitdatumTot = filters.DateFilter(field_name="closed_date", lookup_expr="lt",
                                         label="Afsluitdatum vóór (JJJJ-MM-DD)")  # fmt: skip

    class Meta:
        model = BuurtteamCase
        fields = ["wijkCode", "buurtteamCode", "ondersteuningsvorm", "aanmelddatumVanaf",
                  "aanmelddatumTot", "afsluitdatumVanaf", "afsluitdatumTot"]  # fmt: skip


@PRIVATE_BODY
class BuurtteamCaseViewSet(RegistrationCapabilities, mixins.CreateModelMixin,
                   viewsets.ReadOnlyModelViewSet):  # fmt: skip
    """Buurtteamcasussen (doel III). Registreren mogen buurtteammedewerkers, voor hun eigen
    team; zij zien de casussen van hun eigen team, accounthouders alle."""

    read_capability, register_capability, change_capability = (
        "cases.view", "cases.register", "cases.change",
    )  # fmt: skip
    serializer_class = BuurtteamCaseSerializer
    filterset_class = BuurtteamCaseFilter
    lookup_field = "external_id"
    lookup_url_kwarg = "casusId"

    def get_queryset(self):
        return cases_for(self.request.user).select_related("client", "district", "buurtteam")

    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        audit.record_view(case, request=request)
        return Response(self.get_serializer(case).data)

    def perform_create(self, serializer):
        data = serializer.validated_data
        user = self.request.user
        team = team_of(user)
        if not sees_everything(user) and data["buurtteam"] != team:
            raise PermissionDenied("U kunt alleen casussen van uw eigen buurtteam registreren.")
        try:
            serializer.instance = services.register_case(
                user=user, bsn=data["bsn"], district=data["district"],
                buurtteam=data["buurtteam"], registration_date=data["registration_date"],
                first_contact_date=data.get("first_contact_date"),
                closed_date=data.get("closed_date"), support_form=data["support_form"],
                birth_year=data.get("birth_year"), external_id=data.get("external_id", ""),
                idempotency_key=data.get("idempotency_key"),
            )  # fmt: skip
        except DjangoValidationError as error:
            raise _api_errors(error, CASE_ATTRIBUTES) from None

    def _step(self, request, step):
        case = self.get_object()
        payload = CaseStepSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            case = services.case_step(case, step, user=request.user,
                                      date=payload.validated_data["datum"], source="api")  # fmt: skip
        except DjangoValidationError as error:
            # Every date rule here is about the one date sent.
            raise _api_errors(error, dict.fromkeys(CASE_ATTRIBUTES, "datum")) from None
        return Response(self.get_serializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseStepSerializer, responses={201: BuurtteamCaseSerializer})
    @action(detail=True, methods=["post"], url_path="eerste-contacten")
    def eerste_contacten(self, request, casusId=None):
        """Leg het eerste contact vast (eenmaal; telt voor de norm van 5 werkdagen)."""
        return self._step(request, "first_contact")

    @extend_schema(request=CaseStepSerializer, responses={201: BuurtteamCaseSerializer})
    @action(detail=True, methods=["post"], url_path="afsluitingen")
    def afsluitingen(self, request, casusId=None):
        """Sluit de casus af (eenmaal)."""
        return self._step(request, "close")

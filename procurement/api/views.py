from django.db.models import Prefetch
from django_filters import rest_framework as filters
from rest_framework import viewsets

from providers.api.views import VersionCheckedMixin, version_checked
from wmo.api.filters import ApiFilterSet, TextFilter

from ..models import Candidate, Milestone, Motion, Tender
from .serializers import MilestoneSerializer, MotionSerializer, TenderSerializer

CAPABILITIES = {"read": "procurement.view", "write": "procurement.change"}
# Reads for everyone with access; contract managers correct statuses and dates (PATCH).
METHODS = ["get", "patch", "head", "options"]
# Motions are also made through the API, as on the pages (contract managers only).
MOTION_METHODS = ["get", "post", "patch", "head", "options"]


class TenderViewSet(viewsets.ModelViewSet):
    """De aanbesteding(en): procedure, afgeleide status, kandidaten met rangorde, gunning en
    opschortende termijn (verlengd volgens de Algemene termijnenwet), contractopties.
    Accounthouders leggen gunningsdata, termijn, contract en intrekking vast met PATCH; de
    gunningsdata zijn de werkelijke data van de gunningsstappen in /mijlpalen."""

    capabilities = CAPABILITIES
    http_method_names = METHODS
    serializer_class = TenderSerializer
    lookup_field = "reference"
    lookup_url_kwarg = "kenmerk"

    def get_queryset(self):
        return (
            Tender.objects.select_related("awarded_candidate", "contract")
            .prefetch_related(
                "documents",
                "principles",
                "criteria",
                "options",
                "milestones",
                Prefetch(
                    "candidates",
                    queryset=Candidate.objects.select_related("consortium").prefetch_related(
                        "scores"
                    ),
                ),
            )
            .order_by("reference")
        )


class MilestoneFilter(ApiFilterSet):
    aanbesteding = TextFilter(field_name="tender__reference", label="Kenmerk")
    soort = filters.ChoiceFilter(field_name="kind", choices=Milestone.Kind.choices)

    class Meta:
        model = Milestone
        fields = ["aanbesteding", "soort"]


@version_checked(MilestoneSerializer)
class MilestoneViewSet(VersionCheckedMixin, viewsets.ModelViewSet):
    """De stappen uit de collegebrief en de informatiemomenten voor de raad, met geplande
    periode, werkelijke datum en afgeleide status (done, running, late, upcoming). Een PATCH
    geeft de `versie` mee die de client het laatst las; is de mijlpaal sindsdien gewijzigd, dan
    volgt 409."""

    capabilities = CAPABILITIES
    http_method_names = METHODS
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter

    def get_queryset(self):
        return Milestone.objects.select_related("tender").order_by(
            "tender__reference", "order", "planned_start"
        )


class MotionFilter(ApiFilterSet):
    aanbesteding = TextFilter(field_name="tender__reference", label="Kenmerk")
    status = filters.ChoiceFilter(choices=Motion.Status.choices)

    class Meta:
        model = Motion
        fields = ["aanbesteding", "status"]


@version_checked(MotionSerializer)
class MotionViewSet(VersionCheckedMixin, viewsets.ModelViewSet):
    """Moties van de gemeenteraad over de aanbesteding, met hun verzoeken en de reactie van het
    college. Accounthouders maken moties aan (POST) en wijzigen ze (PATCH): gegevens, status,
    verzoeken met reactie, en de mijlpalen en contractopties waar ze over gaan. Een PATCH geeft
    de `versie` mee die de client het laatst las; is de motie sindsdien gewijzigd, dan volgt
    409."""

    capabilities = CAPABILITIES
    http_method_names = MOTION_METHODS
    serializer_class = MotionSerializer
    filterset_class = MotionFilter

    def get_queryset(self):
        return (
            Motion.objects.select_related("tender")
            .prefetch_related("requests", "milestones", "options")
            .order_by("-date", "id")
        )

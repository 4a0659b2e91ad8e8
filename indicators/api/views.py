from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from wmo.accounts.roles import has_capability
from wmo.api.filters import ApiFilterSet, TextFilter
from wmo.periods import Quarter
from wmo.periods.api import PeriodFilter

from ..models import IndicatorRun, IndicatorValue
from ..suppression import council_hidden_rows
from ..tasks import queue_run
from .serializers import IndicatorRunSerializer, IndicatorValueSerializer


class IndicatorValueFilter(ApiFilterSet):
    periode = PeriodFilter(field_name="quarter",
                           label="Periode: kwartaal (2026Q3), halfjaar (2026H1) of jaar (2026)")  # fmt: skip
    kwartaal = PeriodFilter(field_name="quarter", kinds=(Quarter,), label="Kwartaal, bv. 2026Q3")
    niveau = TextFilter(field_name="level")
    niveauSleutel = TextFilter(field_name="level_key")
    indicator = TextFilter(field_name="indicator")

    class Meta:
        model = IndicatorValue
        fields = ["periode", "kwartaal", "niveau", "niveauSleutel", "indicator"]


class IndicatorValueViewSet(viewsets.ReadOnlyModelViewSet):
    """Opgeslagen stelselindicatoren per periode (kwartaal, halfjaar of kalenderjaar, elk uit de
    gegevens zelf berekend), niveau en sleutel; kies de periode met `periode=2026H1` (of
    `kwartaal=2026Q3`, alleen kwartalen). Raadsleden krijgen de
    afgeschermde waarden (INDICATORS.md): `<5` voor aantallen 1–4; `—` voor een percentage over
    minder dan 10 waarnemingen of met een teller of (noemer − teller) van 1–4, en voor een
    gemiddelde of mediaan over minder dan 10 waarnemingen; geen teller en noemer. Een waarde die
    alleen is afgeschermd omdat een andere anders uit het totaal zou volgen, heeft als
    `toelichting` "afgeschermd om herleiding te voorkomen"."""

    capabilities = {"read": "indicators.view", "write": "indicators.compute"}
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter
    queryset = IndicatorValue.objects.order_by("quarter", "level", "level_key", "indicator")

    def suppressed(self) -> bool:
        return not has_capability(getattr(self.request, "user", None), "indicators.exact")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.suppressed():
            # Contractor amounts are commercial (BUDGET.md): council members never get them.
            for level, indicator in council_hidden_rows():
                queryset = queryset.exclude(level=level, indicator=indicator)
        return queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["suppressed"] = self.suppressed()
        return context


class IndicatorRunViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Berekeningen van de indicatoren. Een accounthouder start er een met POST {"periode": "2026H1"}
    (een kwartaal, halfjaar of jaar; {"kwartaal": "2026Q3"} kan ook); loopt er voor die periode al
    een, dan komt die terug (200) in plaats van een tweede (201).
    Is de wachtrij (Celery-broker) niet bereikbaar, dan volgt 202: de berekening is vastgelegd
    (status `queued`), `melding` zegt dat ze vanzelf start zodra de wachtrij weer bereikbaar is."""

    capabilities = {"read": "indicators.compute", "write": "indicators.compute"}
    serializer_class = IndicatorRunSerializer
    queryset = IndicatorRun.objects.order_by("-created_at")
    filterset_fields = ["status"]

    @extend_schema(responses={
        201: IndicatorRunSerializer, 200: IndicatorRunSerializer,
        202: OpenApiResponse(IndicatorRunSerializer, description=(
            "Vastgelegd, maar de wachtrij is niet bereikbaar: de berekening start vanzelf zodra "
            "die weer bereikbaar is (zie `melding`).")),
    })  # fmt: skip
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = serializer.validated_data["quarter"]
        run, created = queue_run(period, user=request.user, trigger="API")
        run.refresh_from_db()
        if run.awaits_broker:
            answer = status.HTTP_202_ACCEPTED
        else:
            answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(run).data, status=answer)

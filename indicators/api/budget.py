"""GET /api/v1/begroting?jaar=2026: BUDGET.md's figures per objective (export_budget's), with
Dutch field names. Objective level only, so council members read it like contract managers."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from wmo.api.schema import SingleObjectSchema
from wmo.finance.models import SpendBooking

from ..budget import YEAR_MAX, YEAR_MIN, YEAR_RANGE, budget_figures, unchanged_policy_deficit


class BudgetQuerySerializer(serializers.Serializer):
    jaar = serializers.IntegerField(
        min_value=YEAR_MIN, max_value=YEAR_MAX,
        error_messages={"required": "Geef het jaar op, bijvoorbeeld jaar=2026.",
                        "invalid": "Het jaar is een getal van vier cijfers, bijvoorbeeld 2026.",
                        "min_value": YEAR_RANGE, "max_value": YEAR_RANGE},
    )  # fmt: skip


def _keur(help_text: str):
    return serializers.DecimalField(max_digits=14, decimal_places=1, allow_null=True,
                                    help_text=help_text)  # fmt: skip


class BudgetFigureSerializer(serializers.Serializer):
    beleidsdoel = serializers.CharField(source="objective", help_text="III, IV of V")
    begrotingKeur = _keur("De regel `budget` van dit beleidsdoel en jaar (k€); leeg zonder regel.")
    gerealiseerdKeur = _keur("Som van de boekingen in de kwartalen van het jaar / 1000 (k€).")
    kwartalenGerealiseerd = serializers.IntegerField(
        source="quarters_realised",
        help_text="Hoogste kwartaal van het jaar met een boeking (elk beleidsdoel); 0 zonder.",
    )
    prognoseKeur = _keur("gerealiseerdKeur / kwartalenGerealiseerd × 4; leeg bij 0 kwartalen.")
    afwijkingKeur = _keur("prognoseKeur − begrotingKeur (positief = overschrijding).")

    def to_representation(self, instance):
        data = {
            "objective": instance.objective, "quarters_realised": instance.quarters_realised,
            "begrotingKeur": instance.budget_keur, "gerealiseerdKeur": instance.realised_keur,
            "prognoseKeur": instance.forecast_keur, "afwijkingKeur": instance.deviation_keur,
        }  # fmt: skip
        return super().to_representation(data)


class BudgetSerializer(serializers.Serializer):
    jaar = serializers.IntegerField()
    tekortOngewijzigdBeleidKeur = _keur(
        "forecast_unchanged_policy − budget over III–V (k€): de referentielijn; leeg als een "
        "regel ontbreekt.")  # fmt: skip
    beleidsdoelen = BudgetFigureSerializer(many=True)


class BudgetViewSet(viewsets.GenericViewSet):
    """Begroting, realisatie, geboekte kwartalen, prognose en afwijking per beleidsdoel (III, IV,
    V) in een jaar, berekend uit de uitgavenboekingen (k€, 1 decimaal, half van nul af
    afgerond) — dezelfde cijfers als `manage.py export_budget` en de begrotingspagina."""

    capabilities = {"read": "budget.view"}
    schema = SingleObjectSchema()  # one object, not the list a `list` usually is
    serializer_class = BudgetSerializer
    pagination_class = None  # one object per year, not a list
    # The figures are computed from the bookings; the schema generator wants a model to name.
    queryset = SpendBooking.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("jaar", int, required=True, description="Bijvoorbeeld 2026.")],
        responses=BudgetSerializer,
    )  # fmt: skip
    def list(self, request):
        query = BudgetQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data["jaar"]
        body = {"jaar": year, "tekortOngewijzigdBeleidKeur": unchanged_policy_deficit(year),
                "beleidsdoelen": budget_figures(year)}  # fmt: skip
        return Response(BudgetSerializer(body).data)

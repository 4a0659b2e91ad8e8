"""/api/v1/begrotingsregels: the budget table's cells (BUDGET.md "Budget lines"). Contract
managers change an amount (PUT/PATCH with the `versie` they read), fill in an empty cell (POST)
or add the next year from the structural amounts (POST .../jaren); council members read.
Every rule is indicators.budget_lines', the same as the page's."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from wmo.api.attributes import KnownAttributes
from wmo.api.exceptions import Conflict
from wmo.api.schema import problem_response

from .. import budget_lines
from ..models import BudgetLine

# The service's field names as the API calls them.
API_NAMES = {"objective": "beleidsdoel", "line": "regel", "year": "jaar",
             "amount": "bedragKeur", "version": "versie"}  # fmt: skip
AMOUNT_LIMIT = 10**budget_lines.MAX_DIGITS - 1
AMOUNT_HELP = ("Bedrag in hele k€. Besparingen (savings_realised, savings_to_be_found) zijn 0 of "
               "negatief, de andere regels 0 of positief.")  # fmt: skip
AMOUNT_ERRORS = {
    "required": "Vul een bedrag in (hele k€).",
    "null": "Vul een bedrag in (hele k€).",
    "invalid": "Vul een geheel bedrag in k€ in, zonder decimalen, bijvoorbeeld 33337 of -550.",
    "max_value": f"Het bedrag heeft ten hoogste {budget_lines.MAX_DIGITS} cijfers.",
    "min_value": f"Het bedrag heeft ten hoogste {budget_lines.MAX_DIGITS} cijfers.",
    "max_string_length": f"Het bedrag heeft ten hoogste {budget_lines.MAX_DIGITS} cijfers.",
}
YEAR_ERRORS = {
    "invalid": "Het jaar is een getal van vier cijfers, bijvoorbeeld 2028.",
    "min_value": f"Het jaar ligt tussen {budget_lines.FIRST_YEAR} en {budget_lines.LAST_YEAR}.",
    "max_value": f"Het jaar ligt tussen {budget_lines.FIRST_YEAR} en {budget_lines.LAST_YEAR}.",
    "max_string_length": "Het jaar is een getal van vier cijfers, bijvoorbeeld 2028.",
}
CONFLICT = problem_response(
    409,
    "Versieconflict: de cel is gewijzigd of ingevuld sinds de "
    "meegegeven `versie`, of het jaar bestaat al; er is niets opgeslagen.",
)


def _amount_field(**kwargs):
    return serializers.IntegerField(
        min_value=-AMOUNT_LIMIT,
        max_value=AMOUNT_LIMIT,
        error_messages=AMOUNT_ERRORS,
        help_text=AMOUNT_HELP,
        **kwargs,
    )


def _year_field(**kwargs):
    kwargs["error_messages"] = {**YEAR_ERRORS, **kwargs.get("error_messages", {})}
    return serializers.IntegerField(min_value=budget_lines.FIRST_YEAR,
                                    max_value=budget_lines.LAST_YEAR, **kwargs)  # fmt: skip


@extend_schema_serializer(component_name="Begrotingsregel")
class BudgetLineSerializer(serializers.ModelSerializer):
    beleidsdoel = serializers.CharField(
        source="objective", read_only=True, help_text="I, II, III, IV, V of total."
    )
    regel = serializers.CharField(
        source="line", read_only=True, help_text="Bijvoorbeeld budget of forecast_unchanged_policy."
    )
    jaar = serializers.IntegerField(
        source="year", read_only=True, allow_null=True, help_text="Leeg: de structurele kolom."
    )
    bedragKeur = serializers.IntegerField(
        source="amount_keur", read_only=True, help_text=AMOUNT_HELP
    )
    versie = serializers.IntegerField(
        source="version",
        read_only=True,
        help_text=("Geef deze mee bij een wijziging; is de cel intussen gewijzigd, dan volgt 409."),
    )

    class Meta:
        model = BudgetLine
        fields = ["id", "beleidsdoel", "regel", "jaar", "bedragKeur", "versie"]


@extend_schema_serializer(component_name="BegrotingsregelWijziging")
class BudgetLineUpdateSerializer(KnownAttributes, serializers.Serializer):
    bedragKeur = _amount_field()
    versie = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="De versie van de cel zoals u die las.",
        error_messages={"required": "Geef de versie die u las (veld versie van de GET).",
                        "invalid": "De versie is een geheel getal.",
                        "min_value": "De versie is 1 of hoger.",
                        "max_value": "Onbekende versie."},
    )  # fmt: skip


@extend_schema_serializer(component_name="BegrotingsregelNieuw")
class BudgetLineCreateSerializer(KnownAttributes, serializers.Serializer):
    beleidsdoel = serializers.CharField(
        max_length=10,
        help_text="I, II, III, IV, V of total.",
        error_messages={"required": "Geef het beleidsdoel."},
    )
    regel = serializers.CharField(max_length=40, error_messages={"required": "Geef de regel."})
    jaar = _year_field(allow_null=True, help_text="Een jaar van de begroting; leeg (null): "
                       "structureel. Een nieuw jaar voegt u toe met POST .../jaren.",
                       error_messages={"required": "Geef het jaar, of null voor structureel."})  # fmt: skip
    bedragKeur = _amount_field()


@extend_schema_serializer(component_name="BegrotingsjaarNieuw")
class BudgetYearSerializer(KnownAttributes, serializers.Serializer):
    jaar = _year_field(
        help_text="Het jaar na het laatste (vanaf 2028).",
        error_messages={"required": "Geef het jaar op."},
    )


def _refused(exc: budget_lines.BudgetLineError):
    if exc.conflict:
        return Conflict(str(exc))
    errors: dict[str, list[str]] = {}
    for problem in exc.problems:
        errors.setdefault(API_NAMES.get(problem.field, problem.field), []).append(problem.reason)
    return ValidationError(errors)


@extend_schema_view(
    create=extend_schema(request=BudgetLineCreateSerializer,
                         responses={201: BudgetLineSerializer, **CONFLICT}),
    update=extend_schema(request=BudgetLineUpdateSerializer,
                         responses={200: BudgetLineSerializer, **CONFLICT}),
    partial_update=extend_schema(request=BudgetLineUpdateSerializer,
                                 responses={200: BudgetLineSerializer, **CONFLICT}),
)  # fmt: skip
class BudgetLineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):  # fmt: skip
    """Begrotingsregels per beleidsdoel, regel en jaar (k€; jaar leeg = structureel), met hun
    versie. Accounthouders wijzigen een bedrag met PUT of PATCH {"bedragKeur", "versie"} (ook bij
    PATCH allebei verplicht); elke wijziging wordt bewaard (wie, wanneer, oud en nieuw bedrag).
    Raadsleden lezen mee."""

    capabilities = {"read": "budget.view", "write": "budget.change"}
    serializer_class = BudgetLineSerializer
    pagination_class = None  # one small table
    queryset = BudgetLine.objects.order_by("objective", "line", "year")

    def create(self, request):
        """Vul een lege cel in een bestaand jaar (of structureel) in."""
        data = BudgetLineCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            budget_lines.change_cell(values["beleidsdoel"], values["regel"], values["jaar"],
                                     values["bedragKeur"], 0, request.user)  # fmt: skip
        except budget_lines.BudgetLineError as exc:
            raise _refused(exc) from exc
        cell = BudgetLine.objects.get(objective=values["beleidsdoel"], line=values["regel"],
                                      year=values["jaar"])  # fmt: skip
        return Response(BudgetLineSerializer(cell).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        cell = self.get_object()
        data = BudgetLineUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            budget_lines.change_cell(cell.objective, cell.line, cell.year,
                                     data.validated_data["bedragKeur"],
                                     data.validated_data["versie"], request.user)  # fmt: skip
        except budget_lines.BudgetLineError as exc:
            raise _refused(exc) from exc
        cell.refresh_from_db()
        return Response(BudgetLineSerializer(cell).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    @extend_schema(request=BudgetYearSerializer,
                   responses={201: BudgetLineSerializer(many=True), **CONFLICT})  # fmt: skip
    @action(detail=False, methods=["post"], url_path="jaren")
    def add_year(self, request):
        """Voeg het volgende jaar toe (vanaf 2028): elke regel krijgt haar structurele bedrag."""
        data = BudgetYearSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        year = data.validated_data["jaar"]
        try:
            budget_lines.add_year(year, request.user)
        except budget_lines.BudgetLineError as exc:
            raise _refused(exc) from exc
        cells = self.get_queryset().filter(year=year)
        return Response(BudgetLineSerializer(cells, many=True).data,
                        status=status.HTTP_201_CREATED)  # fmt: skip

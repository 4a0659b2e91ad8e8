"""GET /api/v1/overgang?peildatum=&overgangsdag=: the continuity monitor's counts
(TRANSITION.md) per leaving contractor, wijk and service, from the same
`wmo.referrals.transition.monitor` as the page /dashboard/overgang/ and export_transition.

As on the page: contract managers get the exact counts and the care-gap days; council members
and buurtteam workers the counts suppressed by `suppression_tallies.council_tally_tables` (`<5`, a
`toelichting` where a figure is hidden so another cannot be worked out) and no care-gap days.
No list of clients: the unresolved clients are on the page and its download (audit trail)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from wmo.accounts.roles import has_capability
from wmo.api.schema import SingleObjectSchema
from wmo.referrals import rules
from wmo.referrals.models import Referral
from wmo.referrals.transition import (
    COUNTS,
    DATE_FORMAT_ERROR,
    TRANSITION_DAY,
    check_day,
    monitor,
)

from ..suppression import NOTE
from ..suppression_tallies import council_tally_tables

API_COUNTS = {"to_transfer": "overTeDragen", "planned": "gepland", "transferred": "overgedragen",
              "same_provider": "zelfdeAanbieder", "unresolved": "onopgelost"}  # fmt: skip
DATE_ERRORS = {
    "invalid": DATE_FORMAT_ERROR,
    "datetime": "Geef een datum als JJJJ-MM-DD, zonder tijd.",
}
LEVELS = {"opdrachtnemer": "perOpdrachtnemer", "wijk": "perWijk", "voorziening": "perVoorziening"}


class TransitionQuerySerializer(serializers.Serializer):
    # The range is the monitor's own rule (transition.check_day), shared with the page.
    peildatum = serializers.DateField(required=False, error_messages=DATE_ERRORS,
                                      validators=[check_day])  # fmt: skip
    overgangsdag = serializers.DateField(required=False, error_messages=DATE_ERRORS,
                                         validators=[check_day])  # fmt: skip


@extend_schema_field({"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string"}],
                      "description": "Een aantal; voor raadsleden en buurtteammedewerkers "
                      "`<5` bij 1 tot en met 4 of ter voorkoming van herleiding."})  # fmt: skip
class CountField(serializers.Field):
    def to_representation(self, value):
        return value


@extend_schema_serializer(component_name="OvergangAantallen")
class CountsSerializer(serializers.Serializer):
    overTeDragen = CountField(help_text="In zorg op de overgangsdag, zonder contract de dag erna.")
    gepland = CountField(help_text="Opvolger geregistreerd, nog niet gestart.")
    overgedragen = CountField(help_text="Opvolger gestart.")
    zelfdeAanbieder = CountField(help_text="Overgedragen aan dezelfde aanbieder (onderaannemer).")
    onopgelost = CountField(help_text="Geen opvolger en geen reden van beëindiging.")
    zorggatGemiddeldDagen = serializers.FloatField(
        allow_null=True, help_text="Gemiddeld zorggat (dagen) over de cliënten met een gat; "
        "alleen voor accounthouders.")  # fmt: skip
    zorggatLangsteDagen = serializers.IntegerField(
        allow_null=True, help_text="Langste zorggat (dagen); alleen voor accounthouders."
    )
    toelichting = serializers.CharField(
        allow_null=True,
        help_text=(
            "Gevuld als een aantal is afgeschermd om herleiding te voorkomen: `<5`, of "
            "`—` in een uitsplitsing die samen met de andere een afgeschermd aantal zou "
            "verraden (voor dat aantal niet getoond)."
        ),
    )


@extend_schema_serializer(component_name="OvergangGroep")
class GroupSerializer(CountsSerializer):
    code = serializers.CharField(help_text="AGB-code, wijkcode (of U16-gemeentecode) of "
                                 "voorzieningcode.")  # fmt: skip
    naam = serializers.CharField()


@extend_schema_serializer(component_name="OvergangIndeling")
class BreakdownSerializer(serializers.Serializer):
    totaal = CountsSerializer()
    groepen = GroupSerializer(many=True)


@extend_schema_serializer(component_name="Overgang")
class TransitionSerializer(serializers.Serializer):
    overgangsdag = serializers.DateField()
    peildatum = serializers.DateField()
    afgeschermd = serializers.BooleanField(
        help_text="true: de aantallen zijn afgeschermd zoals op de raadspagina."
    )
    pilotsBeschermdThuis = serializers.IntegerField(
        allow_null=True, help_text="Verwijzingen onder de pilots Beschermd Thuis; alleen voor "
        "accounthouders.")  # fmt: skip
    perOpdrachtnemer = BreakdownSerializer()
    perWijk = BreakdownSerializer()
    perVoorziening = BreakdownSerializer()


def _exact(tally) -> dict:
    return {**{API_COUNTS[name]: getattr(tally, name) for name in COUNTS},
            "zorggatGemiddeldDagen": tally.gap_mean, "zorggatLangsteDagen": tally.gap_max,
            "toelichting": None}  # fmt: skip


def _shown(cells) -> dict:
    counts = {API_COUNTS[name]: cell.value for name, cell in zip(COUNTS, cells, strict=True)}
    noted = any(cell.note for cell in cells)
    return {**counts, "zorggatGemiddeldDagen": None, "zorggatLangsteDagen": None,
            "toelichting": NOTE if noted else None}  # fmt: skip


def monitor_body(result, exact: bool) -> dict:
    """The API's view of a `Monitor`: exact, or as the council page shows it."""
    body = {"overgangsdag": result.day, "peildatum": result.as_of, "afgeschermd": not exact,
            "pilotsBeschermdThuis": result.pilots if exact else None}  # fmt: skip
    if exact:
        for level, _, tallies in result.breakdowns:
            body[LEVELS[level]] = {"totaal": _exact(result.total), "groepen": [
                {"code": t.key, "naam": t.name, **_exact(t)} for t in tallies]}  # fmt: skip
    else:
        for table in council_tally_tables(result.total, result.breakdowns, COUNTS):
            body[LEVELS[table["level"]]] = {"totaal": _shown(table["total"]), "groepen": [
                {"code": key, "naam": name, **_shown(cells)}
                for key, name, cells in table["rows"]]}  # fmt: skip
    return body


class TransitionViewSet(viewsets.GenericViewSet):
    """Continuïteitsmonitor van de overgang naar 1 januari 2027: per vertrekkende
    opdrachtnemer, wijk en voorziening hoeveel cliënten over te dragen zijn, gepland,
    overgedragen (waarvan bij dezelfde aanbieder), onopgelost, en het zorggat in dagen —
    dezelfde cijfers als de pagina /dashboard/overgang/ en `manage.py export_transition`.
    Raadsleden en buurtteammedewerkers krijgen de afgeschermde aantallen (zoals op de pagina)."""

    capabilities = {"read": "transition.view"}
    schema = SingleObjectSchema()  # one object, not the list a `list` usually is
    serializer_class = TransitionSerializer
    pagination_class = None  # one object
    queryset = Referral.objects.none()  # the schema generator wants a model to name

    @extend_schema(
        parameters=[
            OpenApiParameter("peildatum", OpenApiTypes.DATE, description=(
                "Het moment van kijken (JJJJ-MM-DD); standaard vandaag.")),
            OpenApiParameter("overgangsdag", OpenApiTypes.DATE, description=(
                "De laatste dag van de oude contracten (JJJJ-MM-DD); standaard 2026-12-31.")),
        ],
        responses=TransitionSerializer,
    )  # fmt: skip
    def list(self, request):
        query = TransitionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("overgangsdag", TRANSITION_DAY)
        as_of = query.validated_data.get("peildatum") or rules.today()
        result = monitor(day, as_of)
        body = monitor_body(result, has_capability(request.user, "transition.exact"))
        return Response(TransitionSerializer(body).data)

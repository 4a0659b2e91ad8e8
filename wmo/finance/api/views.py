"""/api/v1/uitgavenboekingen: the spend bookings (BUDGET.md) for contract managers. They read the
bookings, and the financial administration delivers them as it delivers spend.csv: a batch,
here in JSON, that goes through the one importer framework (SpendImporter) — all or nothing,
idempotent on bookingId, the same rules, limits and Dutch messages as the file and the upload."""

import csv
import io

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from wmo.accounts import audit
from wmo.api.attributes import KnownAttributes
from wmo.api.filters import ApiFilterSet, TextFilter
from wmo.periods import Quarter
from wmo.periods.api import PeriodFilter

from ..imports import SpendImporter
from ..models import SpendBooking

MAX_BATCH = 5_000
"""Bookings per request: a quarter of the administration's Wmo bookings fits many times over;
larger deliveries go as a file (upload page or import_spend), imported by a background job."""

# The file's columns (SpendImporter.columns) as the API names them.
API_NAMES = {"booking_id": "bookingId", "quarter": "kwartaal", "objective": "beleidsdoel",
             "service_type": "voorziening", "contractor_agb": "opdrachtnemerAgb",
             "amount_eur": "bedragEur"}  # fmt: skip
FILE_NAME = "api"


LINE_BREAK = "Een regelovergang (of tab) is hier niet toegestaan."


def _one_line(value: str) -> None:
    # The batch becomes the file's rows, one booking a line: a line break would shift the line
    # numbers the problems are reported by (and a file refuses it in a cell all the same).
    if any(character in value for character in "\r\n\t"):
        raise serializers.ValidationError(LINE_BREAK, code="line_break")


def _text(help_text: str, max_length: int, required: bool = True):
    return serializers.CharField(
        validators=[_one_line],
        help_text=help_text, max_length=max_length, required=required, allow_blank=not required,
        default="" if not required else serializers.empty, trim_whitespace=False,
    )  # fmt: skip


@extend_schema_serializer(component_name="Uitgavenboeking")
class SpendBookingSerializer(serializers.ModelSerializer):
    bookingId = serializers.CharField(source="booking_id", read_only=True)
    kwartaal = serializers.CharField(source="quarter", read_only=True, help_text="Bv. 2026Q3.")
    beleidsdoel = serializers.CharField(source="objective", read_only=True,
                                        help_text="III, IV of V.")  # fmt: skip
    voorziening = serializers.CharField(source="service_type.code", read_only=True,
                                        allow_null=True, default=None,
                                        help_text="Leeg bij beleidsdoel III (buurtteams).")  # fmt: skip
    opdrachtnemerAgb = serializers.CharField(source="contractor.agb_code", read_only=True,
                                             allow_null=True, default=None,
                                             help_text="Leeg bij beleidsdoel III.")  # fmt: skip
    bedragEur = serializers.DecimalField(source="amount_eur", max_digits=14, decimal_places=2,
                                         read_only=True,
                                         help_text="Euro's; negatief: een creditnota.")  # fmt: skip

    class Meta:
        model = SpendBooking
        fields = ["bookingId", "kwartaal", "beleidsdoel", "voorziening", "opdrachtnemerAgb",
                  "bedragEur"]  # fmt: skip


@extend_schema_serializer(component_name="UitgavenboekingAanlevering")
class SpendBookingInputSerializer(KnownAttributes, serializers.Serializer):
    bookingId = _text("Het boekingsnummer van de financiële administratie; een tweede "
                      "aanlevering met hetzelfde nummer werkt de boeking bij.", 60)  # fmt: skip
    kwartaal = _text("Bv. 2026Q3.", 10)
    beleidsdoel = _text("III, IV of V.", 3)
    voorziening = _text("Code van de voorziening; leeg bij III, verplicht bij IV en V.", 60,
                        required=False)  # fmt: skip
    opdrachtnemerAgb = _text("AGB-code (8 cijfers); leeg bij III, verplicht bij IV en V.", 8,
                             required=False)  # fmt: skip
    bedragEur = _text("Euro's met hoogstens 2 decimalen, punt of komma als decimaalteken, zonder "
                      "scheidingsteken voor duizendtallen; negatief: een creditnota. Als tekst "
                      "(\"-1250.50\"), zodat er geen cent verloren gaat.", 16)  # fmt: skip


@extend_schema_serializer(component_name="UitgavenAanlevering")
class DeliverySerializer(KnownAttributes, serializers.Serializer):
    boekingen = serializers.ListField(
        child=SpendBookingInputSerializer(), min_length=1, max_length=MAX_BATCH,
        error_messages={"min_length": "Lever ten minste één boeking aan.",
                        "max_length": f"Hoogstens {MAX_BATCH} boekingen per verzoek; lever meer "
                                      "als bestand aan (uploadpagina of import_spend).",
                        "not_a_list": "Geef een lijst van boekingen."},
    )  # fmt: skip
    proef = serializers.BooleanField(
        default=False, help_text="true: alleen controleren (proefimport), niets opslaan."
    )


@extend_schema_serializer(component_name="UitgavenAanleveringResultaat")
class DeliveryResultSerializer(serializers.Serializer):
    proef = serializers.BooleanField()
    boekingen = serializers.IntegerField(help_text="Aantal aangeleverde boekingen.")
    nieuw = serializers.IntegerField()
    gewijzigd = serializers.IntegerField()
    ongewijzigd = serializers.IntegerField()
    meldingen = serializers.ListField(child=serializers.CharField(),
                                      help_text="Wat er daarna gebeurde, bv. de herberekening.")  # fmt: skip


class SpendBookingFilter(ApiFilterSet):
    kwartaal = PeriodFilter(field_name="quarter", kinds=(Quarter,), label="Kwartaal, bv. 2026Q3")
    beleidsdoel = TextFilter(field_name="objective")

    class Meta:
        model = SpendBooking
        fields = ["kwartaal", "beleidsdoel"]


def as_file(bookings: list[dict]) -> bytes:
    """The batch as the spend.csv the importer reads, in the columns' order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(API_NAMES)
    for booking in bookings:
        writer.writerow(booking[name] for name in API_NAMES.values())
    return out.getvalue().encode()


def refusal(result) -> ValidationError:
    """The importer's problems under the API's names: `boekingen.3.bedragEur` for the fourth
    booking's amount (file line 5: the header is line 1), `boekingen` for the batch as a whole."""
    errors: dict[str, list[str]] = {}
    for problem in result.problems:
        name = "boekingen"
        if problem.line > 1:
            name = f"boekingen.{problem.line - 2}"
            if problem.column:
                name += "." + API_NAMES.get(problem.column, problem.column)
        errors.setdefault(name, []).append(problem.message)
    hidden = result.problem_count - len(result.problems)
    if hidden:
        errors.setdefault("boekingen", []).append(
            gettext("En nog %(count)s andere problemen.") % {"count": hidden}
        )
    return ValidationError(errors)


class SpendBookingViewSet(mixins.ListModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):  # fmt: skip
    """Uitgavenboekingen uit de financiële administratie (BUDGET.md), voor accounthouders: zij
    noemen opdrachtnemers (bedrijfsgevoelig). Filter op `kwartaal` en `beleidsdoel`.

    POST {"boekingen": [...], "proef": false} levert boekingen aan zoals spend.csv dat doet, met
    dezelfde regels: alles of niets (één fout en er wordt niets opgeslagen; elke fout staat in
    `invalidParams` als `boekingen.<n>.<veld>`), en een boeking met een bestaand `bookingId`
    wordt bijgewerkt, zodat een herhaalde aanlevering niets verdubbelt. Daarna worden de
    uitgavencijfers van de geraakte kwartalen opnieuw berekend."""

    capabilities = {"read": "spend.view", "write": "spend.import"}
    serializer_class = SpendBookingSerializer
    filterset_class = SpendBookingFilter
    queryset = SpendBooking.objects.select_related("service_type", "contractor").order_by(
        "quarter", "booking_id"
    )

    @extend_schema(request=DeliverySerializer, responses={200: DeliveryResultSerializer})
    def create(self, request):
        delivery = DeliverySerializer(data=request.data)
        delivery.is_valid(raise_exception=True)
        bookings = delivery.validated_data["boekingen"]
        dry_run = delivery.validated_data["proef"]
        importer = SpendImporter(user=request.user, address=audit.client_address(request))
        result = importer.run(as_file(bookings), f"{FILE_NAME}.csv", dry_run=dry_run)
        if not result.ok:
            raise refusal(result)
        body = {"proef": dry_run, "boekingen": result.rows, "nieuw": result.created,
                "gewijzigd": result.updated, "ongewijzigd": result.unchanged,
                "meldingen": [str(note) for note in result.notes]}  # fmt: skip
        return Response(DeliveryResultSerializer(body).data, status=status.HTTP_200_OK)

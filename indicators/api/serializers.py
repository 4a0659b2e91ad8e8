from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from wmo.periods import Period, Quarter
from wmo.periods.api import PeriodSerializerField

from ..models import IndicatorRun, IndicatorValue
from ..services import check_period_computable
from ..suppression import council_view

PERIOD_HELP = "Kwartaal (2026Q3), halfjaar (2026H1) of kalenderjaar (2026)."


class QuarterField(PeriodSerializerField):
    """`kwartaal`, the name from before half-years and years: takes only a quarter, and shows
    the period when it is one, else null (the period is in `periode`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Het kwartaal (2026Q3); leeg bij een halfjaar of jaar: "
                          "zie periode.")  # fmt: skip
        super().__init__(kinds=(Quarter,), allow_null=True, **kwargs)

    def to_representation(self, value):
        return str(value) if isinstance(value, Quarter) else None


class IndicatorValueSerializer(serializers.ModelSerializer):
    """Staff get exact figures; council members (context `suppressed`) get what
    `suppression.council_view` lets them see: `<5` / `—` strings, no numerator or denominator,
    and a `toelichting` where a figure is hidden so that another cannot be worked out."""

    periode = PeriodSerializerField(source="quarter", help_text=PERIOD_HELP)
    kwartaal = QuarterField(source="quarter")
    niveau = serializers.CharField(source="level")
    niveauSleutel = serializers.CharField(source="level_key")
    waarde = serializers.SerializerMethodField()
    teller = serializers.SerializerMethodField()
    noemer = serializers.SerializerMethodField()
    norm = serializers.DecimalField(
        max_digits=8, decimal_places=1, coerce_to_string=False, allow_null=True
    )
    toelichting = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorValue
        fields = [
            "periode",
            "kwartaal",
            "niveau",
            "niveauSleutel",
            "indicator",
            "waarde",
            "teller",
            "noemer",
            "norm",
            "toelichting",
        ]

    def _shown(self, row):
        cache = getattr(self, "_cache", None)
        if cache is None or cache[0] is not row:
            if self.context.get("suppressed"):
                view = council_view(row)
                shown = (view.value, view.numerator, view.denominator, view.note or None)
            else:
                shown = (row.value, row.numerator, row.denominator, None)
            self._cache = (row, shown)
        return self._cache[1]

    @staticmethod
    def _out(value):
        if value is None or isinstance(value, str | int):
            return value
        return float(value)

    def get_waarde(self, row) -> str | float | None:
        return self._out(self._shown(row)[0])

    def get_teller(self, row) -> str | int | None:
        return self._out(self._shown(row)[1])

    def get_noemer(self, row) -> str | int | None:
        return self._out(self._shown(row)[2])

    def get_toelichting(self, row) -> str | None:
        return self._shown(row)[3]


class IndicatorRunSerializer(serializers.ModelSerializer):
    periode = PeriodSerializerField(source="quarter", required=False, help_text=PERIOD_HELP)
    kwartaal = QuarterField(source="quarter", required=False)
    voortgang = serializers.IntegerField(source="progress", read_only=True)
    stap = serializers.CharField(source="step", read_only=True)
    aangevraagd = serializers.DateTimeField(source="created_at", read_only=True)
    gestart = serializers.DateTimeField(source="started_at", read_only=True, allow_null=True)
    klaar = serializers.DateTimeField(source="finished_at", read_only=True, allow_null=True)
    foutmelding = serializers.CharField(source="error", read_only=True)
    rijenGeschreven = serializers.IntegerField(source="rows_written", read_only=True)
    pogingen = serializers.IntegerField(source="attempts", read_only=True)
    aanleiding = serializers.CharField(source="trigger", read_only=True)
    melding = serializers.SerializerMethodField(
        help_text="Leeg, of waarom de berekening nog niet is begonnen (de wachtrij is niet "
        "bereikbaar; ze start vanzelf zodra die weer bereikbaar is)."
    )

    class Meta:
        model = IndicatorRun
        fields = [
            "id", "periode", "kwartaal", "status", "voortgang", "stap", "aangevraagd", "gestart", "klaar",
            "foutmelding", "rijenGeschreven", "pogingen", "aanleiding", "melding",
        ]  # fmt: skip
        read_only_fields = ["id", "status"]

    def get_melding(self, run) -> str:
        return run.awaiting_broker_message if run.awaits_broker else ""

    def validate(self, attrs):
        """One period, as `periode` (any kind) or `kwartaal` (a quarter), that can be computed.
        A `kwartaal` of null (as a run of a year shows it) counts as not given."""
        given = {name: self.initial_data[name] for name in ("periode", "kwartaal")
                 if self.initial_data.get(name) is not None}  # fmt: skip
        # Both fields write the same attribute, so each is read back from what was sent (the
        # fields have checked it already).
        periods = {name: Period.parse(text) for name, text in given.items()}
        if not periods:
            raise serializers.ValidationError(
                {"periode": [f"Geef de periode die berekend moet worden: {PERIOD_HELP}"]}
            )
        if len(set(periods.values())) > 1:
            raise serializers.ValidationError(
                {"kwartaal": ["Geef periode of kwartaal, niet twee verschillende."]}
            )
        name, period = next(iter(periods.items()))
        try:
            check_period_computable(period)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({name: exc.messages}) from exc
        attrs["quarter"] = period
        return attrs

from django.core.management.base import BaseCommand, CommandError

from indicators.exports import default_xlsx_name, write_csv, write_xlsx
from indicators.models import IndicatorValue
from indicators.quarters import Quarter


class Command(BaseCommand):
    help = "Exporteert de opgeslagen indicatoren van een kwartaal (csv naar stdout, xlsx naar een bestand)."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="Kwartaal, bijvoorbeeld 2026Q3.")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--output", help="Bestand (standaard: indicatoren_<kwartaal>.xlsx bij xlsx)."
        )
        parser.add_argument(
            "--suppressed",
            action="store_true",
            help=(
                "Publieksversie, zoals raadsleden de cijfers zien: kleine aantallen en "
                "percentages afgeschermd (<5, —), geen teller en noemer, en een kolom note bij "
                "cijfers die zijn afgeschermd om herleiding te voorkomen."
            ),
        )

    def handle(self, *args, quarter, format, output, suppressed, **options):
        try:
            parsed = str(Quarter.parse(quarter))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not IndicatorValue.objects.filter(quarter=parsed).exists():
            raise CommandError(
                f"Voor {parsed} zijn nog geen indicatoren berekend (compute_indicators)."
            )
        if format == "csv":
            if output:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    write_csv(out, parsed, suppressed)
            else:
                write_csv(self.stdout, parsed, suppressed)
            return
        path = output or default_xlsx_name(parsed)
        count = write_xlsx(path, parsed, suppressed)
        self.stderr.write(f"{count} rijen geschreven naar {path}.")

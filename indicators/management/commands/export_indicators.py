from django.core.management.base import BaseCommand, CommandError

from indicators.exports import default_xlsx_name, write_csv, write_xlsx
from indicators.models import IndicatorValue
from wmo.periods import Quarter
from wmo.periods.web import period_argument


class Command(BaseCommand):
    help = "Exporteert de opgeslagen indicatoren van een kwartaal (csv naar stdout, xlsx naar een bestand)."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, type=period_argument(Quarter),
                            help="Kwartaal, bijvoorbeeld 2026Q3.")  # fmt: skip
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
        if not IndicatorValue.objects.filter(quarter=quarter).exists():
            raise CommandError(
                f"Voor {quarter} zijn nog geen indicatoren berekend (compute_indicators)."
            )
        if format == "csv":
            if output:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    write_csv(out, quarter, suppressed)
            else:
                write_csv(self.stdout, quarter, suppressed)
            return
        path = output or default_xlsx_name(quarter)
        count = write_xlsx(path, quarter, suppressed)
        self.stderr.write(f"{count} rijen geschreven naar {path}.")

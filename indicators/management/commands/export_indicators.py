from django.core.management.base import BaseCommand, CommandError

from indicators.exports import default_xlsx_name, write_csv, write_xlsx
from indicators.models import IndicatorValue
from wmo.downloads import rows_written
from wmo.periods import Period
from wmo.periods.web import period_argument


class Command(BaseCommand):
    help = (
        "Exporteert de opgeslagen indicatoren van een kwartaal, halfjaar of jaar (csv naar stdout, "
        "xlsx naar een bestand)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", "--quarter", dest="period", required=True,
                            type=period_argument(Period),
                            help="Kwartaal, halfjaar of jaar, bijvoorbeeld 2026Q3, 2026H1 of 2025 "
                            "(--quarter is een synoniem).")  # fmt: skip
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--output", help="Bestand (standaard: indicatoren_<periode>.xlsx bij xlsx)."
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

    def handle(self, *args, period, format, output, suppressed, **options):
        if not IndicatorValue.objects.filter(quarter=period).exists():
            raise CommandError(
                f"Voor {period} zijn nog geen indicatoren berekend (compute_indicators)."
            )
        if format == "csv":
            if output:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    write_csv(out, period, suppressed)
            else:
                write_csv(self.stdout, period, suppressed)
            return
        path = output or default_xlsx_name(period)
        count = write_xlsx(path, period, suppressed)
        self.stderr.write(rows_written(count, path))

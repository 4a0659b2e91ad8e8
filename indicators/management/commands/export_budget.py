from django.core.management.base import BaseCommand, CommandError

from indicators.budget import YEAR_MAX, YEAR_MIN, YEAR_RANGE, budget_figures, export_rows
from wmo import downloads


class Command(BaseCommand):
    help = (
        "Exporteert begroting, realisatie, gerealiseerde kwartalen, prognose en afwijking per "
        "beleidsdoel (III, IV, V) voor een jaar, in k€ (csv naar stdout, xlsx naar een bestand)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Het jaar, bijvoorbeeld 2026.")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", help="Bestand (standaard: begroting_<jaar>.xlsx bij xlsx).")

    def handle(self, *args, year, format, output, **options):
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise CommandError(YEAR_RANGE)
        if all(figure.budget_keur is None for figure in budget_figures(year)):
            # The realised spend is still worth the export (a year before the budget's).
            self.stderr.write(f"Voor {year} is geen begroting vastgelegd: budget_keur, "
                              "forecast_keur en deviation_keur blijven leeg.")  # fmt: skip
        rows = export_rows(year)
        downloads.write_table(
            self, rows, format, output, f"begroting_{year}.xlsx", f"Begroting {year}"
        )

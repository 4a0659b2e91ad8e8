from django.core.management.base import BaseCommand

from indicators.budget import export_rows
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
        rows = export_rows(year)
        downloads.write_table(
            self, rows, format, output, f"begroting_{year}.xlsx", f"Begroting {year}"
        )

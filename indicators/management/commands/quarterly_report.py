"""manage.py quarterly_report --quarter 2026Q3 --output rapport.pdf [--suppressed]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.reports.quarterly import NoValues, render_pdf
from wmo.periods import Quarter
from wmo.periods.web import period_argument


class Command(BaseCommand):
    help = "Schrijf de kwartaalrapportage (PDF) van een kwartaal uit de opgeslagen indicatoren."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, type=period_argument(Quarter),
                            help="Kwartaal, bijvoorbeeld 2026Q3.")  # fmt: skip
        parser.add_argument("--output", required=True, help="Pad van het PDF-bestand.")
        parser.add_argument("--suppressed", action="store_true",
                            help="De afgeschermde versie voor de gemeenteraad.")  # fmt: skip

    def handle(self, *args, quarter, output, suppressed, **options):
        try:
            pdf = render_pdf(quarter, suppressed=suppressed)
        except NoValues as error:
            raise CommandError(str(error)) from None
        path = Path(output)
        path.write_bytes(pdf)
        version = "afgeschermde " if suppressed else ""
        self.stdout.write(f"Kwartaalrapportage {quarter} ({version}PDF, {len(pdf)} bytes) "
                          f"geschreven naar {path}.")  # fmt: skip

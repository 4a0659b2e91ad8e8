from wmo.finance.imports import SpendImporter
from wmo.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importeert uitgavenboekingen uit een CSV- of XLSX-bestand "
        "(booking_id,quarter,objective,service_type,contractor_agb,amount_eur). "
        "Alles of niets: bij een fout wordt niets opgeslagen en is de exitstatus 1."
    )
    importer_class = SpendImporter

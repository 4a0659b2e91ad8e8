from wmo.imports.command import ImportCommand
from wmo.quality.imports import ComplaintImporter


class Command(ImportCommand):
    help = (
        "Importeert klachten uit een CSV- of XLSX-bestand "
        "(complaint_id,provider_agb,service_type,district,received_date,resolved_date). "
        "Alles of niets: bij een fout wordt niets opgeslagen en is de exitstatus 1."
    )
    importer_class = ComplaintImporter

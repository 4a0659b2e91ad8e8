from wmo.imports.command import ImportCommand
from wmo.quality.imports import SurveyImporter


class Command(ImportCommand):
    help = (
        "Importeert Ervaringwijzer-responsen uit een CSV- of XLSX-bestand "
        "(response_id,date,district,service_type,provider_agb,q_solution,q_self_reliance). "
        "Alles of niets: bij een fout wordt niets opgeslagen en is de exitstatus 1."
    )
    importer_class = SurveyImporter

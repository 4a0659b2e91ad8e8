from providers.imports import ProviderImporter
from wmo.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importeert aanbieders uit een CSV- of XLSX-bestand (agb_code,name,kvk,kind,size). "
        "Alles of niets: bij een fout wordt niets opgeslagen en is de exitstatus 1."
    )
    importer_class = ProviderImporter

from wmo.imports.command import ImportCommand
from wmo.referrals.imports import CaseImporter


class Command(ImportCommand):
    help = "Importeert buurtteamcasussen uit een CSV- of XLSX-bestand (alles of niets)."
    importer_class = CaseImporter

from wmo.imports.command import ImportCommand
from wmo.referrals.imports import ReferralImporter


class Command(ImportCommand):
    help = "Importeert verwijzingen uit een CSV- of XLSX-bestand (alles of niets)."
    importer_class = ReferralImporter

import io
import random

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from districts.demo import seed_populations
from procurement.demo import seed_tender_links, seed_tender_progress
from providers.demo import seed_providers
from wmo.periods import HalfYear, PeriodError, Year, parse_period
from wmo.quality.demo import seed_quality
from wmo.referrals.demo import seed_referrals


class Command(BaseCommand):
    help = "Vult de database met realistische, verzonnen demogegevens (deterministisch per --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2027, help="Startwaarde voor het toeval.")
        parser.add_argument("--referrals", type=int, default=None,
                            help="Aantal verzonnen verwijzingen; standaard de omvang van de "
                            "nulmeting 2020–2022 (ongeveer 112.000 tot en met 2026 Q3). Casussen, "
                            "ervaringen en klachten schalen mee.")  # fmt: skip
        parser.add_argument("--indicators-since", default="2023Q1",
                            help="Bereken de indicatoren van dit kwartaal tot en met het laatst "
                            "afgesloten kwartaal, en de halfjaren en jaren vanaf het halfjaar en "
                            "jaar waarin het ligt, zodat de dashboards gevuld zijn; 'geen' slaat "
                            "dit over.")  # fmt: skip

    def handle(self, *args, seed, referrals=None, indicators_since="2023Q1", **options):
        if indicators_since.lower() not in ("geen", "none", ""):
            try:
                parse_period(indicators_since)  # before seeding, not after
            except PeriodError as exc:
                raise CommandError(f"--indicators-since: {exc}") from exc
        populations = seed_populations()
        self.stdout.write(f"Inwonertallen per wijk en jaar: {populations} rijen.")
        landscape = seed_providers(random.Random(seed))
        self.stdout.write(
            f"Aanbieders: {landscape['providers']}, contracten: {landscape['contracts']}, "
            f"onderaannemingen 2027: {landscape['subcontracts']}, "
            f"wijkteams 2027: {landscape['district_teams']}."
        )
        linked = seed_tender_links()
        held = seed_tender_progress()
        self.stdout.write(f"Aanbesteding: consortium als kandidaat, {linked} opties gekoppeld, "
                          f"{held} stappen en raadsbrieven met hun werkelijke datum.")  # fmt: skip
        volumes = seed_referrals(random.Random(seed + 1), referrals=referrals)
        self.stdout.write(
            f"Verwijzingen: {volumes['referrals']}, buurtteamcasussen: {volumes['cases']}, "
            f"cliënten: {volumes['clients']}."
        )
        quality = seed_quality(random.Random(seed + 2), referral_count=volumes["referrals"])
        self.stdout.write(
            f"Ervaringsresponsen: {quality['survey_responses']}, klachten: {quality['complaints']}."
        )
        if indicators_since.lower() not in ("geen", "none", ""):
            # By name, not by import: nothing imports the indicators app (ARCHITECTURE.md).
            quiet = options.get("verbosity", 1) < 2
            for since in _closed_periods_from(indicators_since):
                call_command("compute_indicators", "--since", str(since), "--sync",
                             stdout=io.StringIO() if quiet else self.stdout)  # fmt: skip
            self.stdout.write(f"Indicatoren berekend vanaf {indicators_since}.")


def _closed_periods_from(text: str) -> list:
    """Where each kind of closed period starts from `text` on: its quarters, and the half-years
    and years from the one it lies in, so the dashboards have yearly figures beside the
    baseline too. A kind with no closed period yet is left out."""
    first = parse_period(text)
    today = timezone.localdate()
    starts = dict.fromkeys([first, HalfYear.containing(first.start), Year.containing(first.start)])
    return [start for start in starts if start <= type(start).last_completed(today)]

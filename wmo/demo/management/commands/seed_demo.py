import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from districts.demo import seed_populations
from procurement.demo import seed_tender_links, seed_tender_progress
from providers.demo import seed_providers
from wmo.demo.indicators import newest_first, queue_and_compute
from wmo.demo.models import DemoSeed
from wmo.demo.spend import seed_spend
from wmo.periods import HalfYear, PeriodError, Year, parse_period, periods_between
from wmo.quality.demo import seed_quality
from wmo.quality.models import Complaint, SurveyResponse
from wmo.referrals.demo import DEMO_PREFIX, seed_referrals
from wmo.referrals.models import BuurtteamCase, Client, Referral

# Computed while seeding: the last closed quarter and the one before, so the dashboard opens
# with figures and their direction; the rest follows in the background (compute_demo_indicators).
DIRECT_PERIODS = 2


def _direct(text: str) -> int | None:
    if text.lower() in ("alle", "all"):
        return None
    try:
        number = int(text)
    except ValueError:
        raise CommandError(f"--direct: een aantal of 'alle', niet {text!r}.") from None
    if number < 0:
        raise CommandError("--direct: een aantal van 0 of meer.")
    return number


def _ready_for_queries() -> bool:
    """After a bulk load, what PostgreSQL's manual advises ("Populating a Database"): VACUUM
    ANALYZE the filled tables. Until autovacuum gets round to it (minutes later, or during the
    first computations) the planner has no statistics and the indicator engine's index-only
    scans fetch every row from the table as well: a quarter took 0.49 s instead of 0.38 s at
    1,000,000 referrals. Not inside a transaction (VACUUM cannot run there) nor on SQLite."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table)
                       for model in (Client, Referral, BuurtteamCase, SurveyResponse, Complaint))  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")
    return True


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
        parser.add_argument("--direct", default=str(DIRECT_PERIODS),
                            help="Zoveel perioden (de nieuwste eerst) meteen berekenen, 'alle' "
                            f"voor alle; de rest berekent compute_demo_indicators op de achtergrond "
                            f"(make run start dat zelf). Standaard {DIRECT_PERIODS}.")  # fmt: skip
        parser.add_argument("--opnieuw", "--reset", dest="again", action="store_true",
                            help="Ook als de database al demogegevens heeft: laad ze opnieuw en "
                            "overschrijf wat gebruikers in de demogegevens wijzigden.")  # fmt: skip

    def handle(self, *args, seed, referrals=None, indicators_since="2023Q1", direct="2",
               again=False, **options):  # fmt: skip
        direct = _direct(str(direct))
        earlier = DemoSeed.objects.first()
        if not again and (
            earlier or Referral.objects.filter(external_id__startswith=DEMO_PREFIX).exists()
        ):
            loaded = timezone.localtime(earlier.seeded_at) if earlier else None
            when = f" (geladen op {loaded:%d-%m-%Y %H:%M})" if earlier else ""
            self.stdout.write(
                f"De database bevat al demogegevens{when}; er is niets gewijzigd, zodat "
                "wijzigingen van gebruikers blijven staan. Opnieuw laden (overschrijft die "
                "wijzigingen): het commando seed_demo met --opnieuw."
            )
            return
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
        spend = seed_spend(random.Random(seed + 3))
        self.stdout.write(f"Uitgavenboekingen (met een creditnota per jaar): {spend}.")
        if _ready_for_queries():
            self.stdout.write("Tabellen gevacuumd en geanalyseerd (statistieken voor PostgreSQL).")
        periods = []
        if indicators_since.lower() not in ("geen", "none", ""):
            periods = _periods_from(indicators_since)
        with transaction.atomic():
            DemoSeed.objects.all().delete()
            DemoSeed.objects.create(seed=seed, referrals=volumes["referrals"],
                                    periods=[str(p) for p in newest_first(periods)])  # fmt: skip
        if periods:
            self.stdout.write(f"Indicatoren vanaf {indicators_since}, nieuwste eerst:")
            here, later = queue_and_compute(periods, direct, write=self.stdout.write)
            if later:
                self.stdout.write(
                    f"De overige {len(later)} perioden ({later[-1]} tot en met {later[0]}) worden "
                    "op de achtergrond berekend door het commando compute_demo_indicators (make run "
                    "start dat zelf); het dashboard toont de voortgang."
                )


def _periods_from(text: str) -> list:
    """Every closed quarter, half-year and year from where `_closed_periods_from` starts each."""
    today = timezone.localdate()
    return [
        period
        for start in _closed_periods_from(text)
        for period in periods_between(start, type(start).last_completed(today))
    ]


def _closed_periods_from(text: str) -> list:
    """Where each kind of closed period starts from `text` on: its quarters, and the half-years
    and years from the one it lies in, so the dashboards have yearly figures beside the
    baseline too. A kind with no closed period yet is left out."""
    first = parse_period(text)
    today = timezone.localdate()
    starts = dict.fromkeys([first, HalfYear.containing(first.start), Year.containing(first.start)])
    return [start for start in starts if start <= type(start).last_completed(today)]

from django.core.management.base import BaseCommand

from districts.demo import seed_populations


class Command(BaseCommand):
    help = "Vult de database met realistische, verzonnen demogegevens (deterministisch per --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2027, help="Startwaarde voor het toeval.")

    def handle(self, *args, seed, **options):
        populations = seed_populations()
        self.stdout.write(f"Inwonertallen per wijk en jaar: {populations} rijen.")

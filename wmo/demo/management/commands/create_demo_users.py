from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wmo.demo.users import ensure_demo_users


class Command(BaseCommand):
    help = "Maakt één demo-account per rol aan (alleen voor de ingebouwde demo-omgeving)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ook aanmaken buiten de ingebouwde demo-omgeving (niet doen in productie).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEMO_ACCOUNTS and not force:
            raise CommandError(
                "Demo-accounts hebben bekende wachtwoorden; ze worden alleen in de ingebouwde "
                "demo-omgeving aangemaakt (make run, WMO_DEMO_ACCOUNTS) of met --force."
            )
        logins = ensure_demo_users()
        self.stdout.write("Demo-logins (gebruikersnaam / wachtwoord):")
        for login, created in logins:
            # An existing account keeps what was changed in it, its password included.
            note = "" if created else " (bestond al, niet gewijzigd)"
            self.stdout.write(
                f"  {login.username:<14} {login.password:<28} {login.description}{note}"
            )

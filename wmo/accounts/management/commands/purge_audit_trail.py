"""`manage.py purge_audit_trail [--dry-run]`: remove audit-trail lines older than the retention
(WMO_AUDIT_RETENTION_DAYS). Celery beat runs the same purge nightly (accounts.purge_audit_trail)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from wmo.accounts import audit


class Command(BaseCommand):
    help = "Verwijder auditregels die ouder zijn dan de bewaartermijn (WMO_AUDIT_RETENTION_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Alleen tellen, niets verwijderen.")  # fmt: skip

    def handle(self, *args, dry_run=False, **options):
        try:
            count, cutoff = audit.purge(dry_run=dry_run)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        verb = "zouden worden verwijderd" if dry_run else "verwijderd"
        self.stdout.write(f"{count} auditregels van vóór {cutoff:%d-%m-%Y %H:%M} (UTC) {verb}.")

"""`manage.py import_xxx FILE [--dry-run]`: the same framework and limits as an upload, run
synchronously; the Dutch report is printed and errors exit with status 1."""

from django.core.management.base import BaseCommand, CommandError

from .framework import Importer


class ImportCommand(BaseCommand):
    importer_class: type[Importer] = Importer

    def add_arguments(self, parser):
        parser.add_argument("file", help="Pad naar een .csv- of .xlsx-bestand.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Alleen controleren, niets opslaan."
        )

    def handle(self, *args, file, dry_run=False, **options):
        try:
            # The file is read from disk as it is imported, never whole into memory.
            with open(file, "rb") as handle:
                result = self.importer_class().run(handle, filename=file, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(f"Bestand kan niet worden geopend: {exc.strerror}.") from None
        if not result.ok:
            for line in result.report_lines()[1:]:
                self.stderr.write(line)
            raise CommandError(result.summary)
        for line in result.report_lines():
            self.stdout.write(line)

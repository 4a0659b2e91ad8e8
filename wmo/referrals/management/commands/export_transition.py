import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wmo import downloads
from wmo.accounts import audit
from wmo.referrals.transition import (
    TRANSITION_DAY,
    check_day,
    count_rows,
    monitor,
    unresolved,
    unresolved_rows,
)


def _date(text: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Geen geldige datum: {text!r}; gebruik JJJJ-MM-DD.") from None
    try:
        check_day(day)  # the page's and the API's range: 9999-12-31 has no next day to count
    except ValidationError as error:
        raise CommandError(f"{text}: {' '.join(error.messages)}") from None
    return day


class Command(BaseCommand):
    help = (
        "Exporteert de continuïteitsmonitor van de overgang naar 2027: de aantallen per "
        "vertrekkende opdrachtnemer, wijk en voorziening (csv naar stdout, xlsx naar een bestand); "
        "met --onopgelost de lijst van cliënten zonder opvolger."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", default=TRANSITION_DAY.isoformat(),
                            help="De overgangsdag T (standaard 2026-12-31).")  # fmt: skip
        parser.add_argument("--as-of", dest="as_of", default="",
                            help="Peildatum (standaard vandaag).")  # fmt: skip
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", help="Bestand (standaard bij xlsx: overgang_<datum>.xlsx).")
        parser.add_argument("--onopgelost", action="store_true",
                            help="De lijst van onopgeloste cliënten in plaats van de aantallen "
                                 "(wordt vastgelegd in het auditlog).")  # fmt: skip

    def handle(self, *args, date, as_of, format, output, onopgelost, **options):
        day, as_of = _date(date), _date(as_of) if as_of else None
        if onopgelost:
            # The list by its rule (as the page reads it), not by the monitor's ids: an IN list
            # of every unresolved client went over SQLite's limit on query parameters.
            referrals = unresolved(day, as_of).order_by("external_id")
            audit.record_export(referrals, details={"overgang": date, "bron": "export_transition"})
            rows = unresolved_rows(referrals)
        else:
            rows = count_rows(monitor(day, as_of))
        downloads.write_table(self, rows, format, output, f"overgang_{date}.xlsx", "Overgang")

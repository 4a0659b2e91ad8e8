from collections import Counter

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from indicators.models import IndicatorRun
from indicators.services import check_period_computable, execute_run, request_run
from indicators.tasks import QueueUnavailable, send_run
from wmo.periods import Period, periods_between
from wmo.periods.web import period_argument


class Command(BaseCommand):
    help = (
        "Berekent de stelselindicatoren van een kwartaal, halfjaar of jaar (via Celery, of direct "
        "met --sync)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--period", "--quarter", dest="period", type=period_argument(Period),
                           help="Kwartaal, halfjaar of jaar, bijvoorbeeld 2026Q3, 2026H1 of 2025 "
                           "(--quarter is een synoniem).")  # fmt: skip
        which.add_argument("--since", type=period_argument(Period),
                           help="Elke periode van deze soort vanaf deze tot en met de laatst "
                           "afgesloten, bijvoorbeeld 2023Q1 (kwartalen) of 2022 (jaren).")  # fmt: skip
        parser.add_argument("--sync", action="store_true", help="Direct in dit proces rekenen.")

    def handle(self, *args, period=None, since=None, sync=False, **options):
        first = period or since
        try:
            check_period_computable(first)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        last = first if period else type(first).last_completed(timezone.localdate())
        if first > last:
            raise CommandError(
                f"{first} is nog niet afgesloten; het laatst afgesloten {first.NOUN} is {last}."
            )
        for each in periods_between(first, last):
            self._compute(each, sync)

    def _compute(self, parsed, sync):
        run, created = request_run(parsed, trigger="commando")
        if not created:
            raise CommandError(
                f"Voor {parsed} loopt al een berekening (run {run.pk}, {run.get_status_display()})."
            )
        if sync:
            try:
                execute_run(run)
            except Exception as exc:
                raise CommandError(f"Berekening {parsed} mislukt: {exc}") from exc
        else:
            try:
                send_run(run)
            except QueueUnavailable as exc:
                # Not an error: the run is recorded and starts once the broker is back.
                self.stderr.write(f"{exc} (run {run.pk})")
                return
            run.refresh_from_db()
            self.stdout.write(f"In de wachtrij gezet: run {run.pk}, taak {run.task_id}.")
        run.refresh_from_db()
        if run.status == IndicatorRun.Status.DONE:
            self._summary(run)

    def _summary(self, run):
        from indicators.models import IndicatorValue

        per_level = Counter(
            IndicatorValue.objects.filter(quarter=run.quarter).values_list("level", flat=True)
        )
        self.stdout.write(
            f"{run.quarter.NOUN.capitalize()} {run.quarter}: {run.rows_written} waarden "
            f"geschreven (run {run.pk})."
        )
        for level, count in sorted(per_level.items()):
            self.stdout.write(f"  {level:<17} {count}")

import signal

from django.core.management.base import BaseCommand

from wmo.demo.indicators import compute_pending


class Command(BaseCommand):
    help = (
        "Berekent de demo-indicatoren die seed_demo voor de achtergrond liet staan, nieuwste "
        "eerst; `make run` start dit naast de server. Het dashboard toont de voortgang."
    )

    def handle(self, *args, **options):
        # Stopped with the server (SIGTERM as well as Ctrl+C): the run in hand goes back to the
        # queue, so the next start continues it.
        signal.signal(signal.SIGTERM, _exit)
        # Started with `&` by make, whose shell makes a background job ignore Ctrl+C: take it
        # back, so Ctrl+C stops this with the server.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            computed = compute_pending(write=self.stdout.write)
        except (KeyboardInterrupt, SystemExit):
            return
        if computed:
            self.stdout.write(f"Demo-indicatoren: alle perioden berekend ({computed} nu).")


def _exit(signum, frame):
    raise SystemExit(0)

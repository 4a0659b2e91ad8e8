from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Stelselindicatoren"

    def ready(self):
        from wmo import dispatch

        from .tasks import pending_runs, send_run

        # Runs recorded while the broker was away are sent once it is back.
        dispatch.register("indicatorberekeningen", pending=pending_runs, send=send_run)

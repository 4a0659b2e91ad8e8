from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Stelselindicatoren")

    def ready(self):
        from wmo import dispatch

        from .tasks import pending_runs, send_run

        # Runs recorded while the broker was away are sent once it is back.
        dispatch.register("indicatorberekeningen", pending=pending_runs, send=send_run)

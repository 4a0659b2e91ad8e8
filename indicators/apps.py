from celery.signals import worker_init
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Stelselindicatoren")

    def ready(self):
        from wmo import dispatch
        from wmo.imports.framework import imported
        from wmo.referrals.services import changed

        from .tasks import pending_runs, recompute_after_change, recompute_after_import, send_run

        # Runs recorded while the broker was away are sent once it is back.
        dispatch.register("indicatorberekeningen", pending=pending_runs, send=send_run)
        # An import recomputes only the periods its rows count in.
        imported.connect(recompute_after_import, dispatch_uid="indicators.recompute_after_import")
        # So does a referral or case registered or changed in a form or through the API.
        changed.connect(recompute_after_change, dispatch_uid="indicators.recompute_after_change")
        # A worker loads the linear programming that marking needs (a third of a second) when
        # it starts, not in its first run; web processes never load it.
        worker_init.connect(load_solver, dispatch_uid="indicators.load_solver")


def load_solver(**kwargs):
    from . import suppression_exact  # noqa: F401

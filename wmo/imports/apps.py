from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "wmo.imports"
    label = "imports"
    verbose_name = _("Importen")

    def ready(self):
        from wmo import dispatch

        from .jobs import pending_jobs
        from .tasks import dispatch_job

        # Uploads recorded while the broker was away are sent once it is back.
        dispatch.register("importtaken", pending=pending_jobs, send=dispatch_job)

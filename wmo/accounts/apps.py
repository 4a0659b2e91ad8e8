from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "wmo.accounts"
    label = "accounts"
    verbose_name = _("Accounts en audit")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="wmo.accounts.sessions.stamp_login")
        checks.register(check_audit_retention)


def check_audit_retention(app_configs=None, **kwargs):
    """A retention below the minimum would have the purge refuse to run (and the trigger too):
    say so at start-up, not at three in the night."""
    from django.conf import settings

    from .audit import MIN_RETENTION_DAYS

    days = settings.WMO_AUDIT_RETENTION_DAYS
    if days < MIN_RETENTION_DAYS:
        return [checks.Error(
            f"WMO_AUDIT_RETENTION_DAYS is {days}; de audittrail wordt minstens "
            f"{MIN_RETENTION_DAYS} dagen bewaard.", id="accounts.E001",
        )]  # fmt: skip
    return []

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wmo.accounts"
    label = "accounts"
    verbose_name = "Accounts en audit"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="wmo.accounts.sessions.stamp_login")

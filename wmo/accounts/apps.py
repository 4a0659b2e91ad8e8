from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wmo.accounts"
    label = "accounts"
    verbose_name = "Accounts en audit"

from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "wmo.finance"
    label = "finance"
    verbose_name = "Financiën"

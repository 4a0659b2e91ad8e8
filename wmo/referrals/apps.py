from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "wmo.referrals"
    label = "referrals"
    verbose_name = "Voorzieningen en verwijzingen"

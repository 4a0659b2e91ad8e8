"""API throttles per signed-in user and per anonymous address, at the rates of
settings.API_THROTTLE_RATES. DRF's own classes read their rates once, when the module is
imported; these read them per request, so a rate set to None switches a throttle off (the
test settings do) and tests can turn low rates on with override_settings."""

from django.conf import settings
from rest_framework import throttling


class _SettingsRate:
    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)


class AnonymousRateThrottle(_SettingsRate, throttling.AnonRateThrottle):
    scope = "anon"


class UserRateThrottle(_SettingsRate, throttling.UserRateThrottle):
    scope = "user"

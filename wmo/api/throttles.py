"""API throttles per signed-in user and per anonymous address, at the rates of
settings.API_THROTTLE_RATES. DRF's own classes read their rates once, when the module is
imported; these read them per request, so a rate set to None switches a throttle off (the
test settings do) and tests can turn low rates on with override_settings."""

from django.conf import settings
from rest_framework import exceptions, throttling


class _SettingsRate:
    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)


class AnonymousRateThrottle(_SettingsRate, throttling.AnonRateThrottle):
    scope = "anon"


class UserRateThrottle(_SettingsRate, throttling.UserRateThrottle):
    scope = "user"


def throttle_failed_authentication(request, view) -> exceptions.Throttled | None:
    """Count a request refused as not signed in (401: a wrong, malformed or missing token or
    session) at the anonymous rate of its address, and the Throttled error once over it.
    DRF checks authentication and permissions before any throttle, so without this a caller
    could guess tokens without limit; counted in the same bucket as the address's anonymous
    requests to public endpoints, and never against a signed-in account."""
    throttle = AnonymousRateThrottle()
    if throttle.allow_request(request, view):
        return None
    return exceptions.Throttled(wait=throttle.wait())

"""The doors' settings come from the environment with sensible defaults (fresh processes)."""

import json

from .test_settings import PRODUCTION_ENV, run_django

PROBE = (
    "import json; from django.conf import settings;"
    "print(json.dumps({'limit': settings.AXES_FAILURE_LIMIT,"
    "'cooloff': settings.AXES_COOLOFF_TIME.total_seconds(),"
    "'keyed_on': settings.AXES_LOCKOUT_PARAMETERS, 'reset': settings.AXES_RESET_ON_SUCCESS,"
    "'idle': settings.WMO_SESSION_IDLE_SECONDS, 'max': settings.WMO_SESSION_MAX_SECONDS,"
    "'cookie_age': settings.SESSION_COOKIE_AGE, 'rates': settings.API_THROTTLE_RATES,"
    "'proxies': settings.REST_FRAMEWORK['NUM_PROXIES'], 'secure': settings.SESSION_COOKIE_SECURE,"
    "'csrf_secure': settings.CSRF_COOKIE_SECURE, 'hsts': settings.SECURE_HSTS_SECONDS}))"
)


def probe(**env):
    result = run_django("wmo.settings.production", code=PROBE, **{**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_defaults():
    values = probe()
    assert values == {
        "limit": 5,
        "cooloff": 15 * 60,
        "keyed_on": [["username", "ip_address"]],
        "reset": True,
        "idle": 30 * 60,
        "max": 9 * 3600,
        "cookie_age": 9 * 3600,
        "rates": {"anon": "60/min", "user": "1200/min"},
        "proxies": 1,  # behind the TLS-terminating proxy
        "secure": True,
        "csrf_secure": True,
        "hsts": 365 * 24 * 3600,
    }


def test_values_from_the_environment():
    values = probe(
        DJANGO_LOGIN_FAILURE_LIMIT="3",
        DJANGO_LOGIN_LOCKOUT_MINUTES="60",
        DJANGO_SESSION_IDLE_MINUTES="10",
        DJANGO_SESSION_MAX_HOURS="7.5",
        DJANGO_API_THROTTLE_ANON="",
        DJANGO_API_THROTTLE_USER="100/hour",
        DJANGO_NUM_PROXIES="1",
    )
    assert (values["limit"], values["cooloff"]) == (3, 3600)
    assert (values["idle"], values["max"], values["cookie_age"]) == (600, 27000, 27000)
    assert values["rates"] == {"anon": None, "user": "100/hour"}
    assert values["proxies"] == 1

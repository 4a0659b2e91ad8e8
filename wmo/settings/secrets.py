"""Production refuses to start with a secret that is missing, too short or a known placeholder.

The placeholders are the values in `.env.example`, the throwaway defaults of dev.py and test.py,
the build-time values of the Dockerfile and the Makefile, and anything that says of itself that it
is not a real secret. The message names the variable (never its value), in Dutch and English."""

from django.core.exceptions import ImproperlyConfigured

# Words a real, randomly generated secret does not contain.
PLACEHOLDER_MARKERS = (
    "change-me",
    "changeme",
    "not-secret",
    "notsecret",
    "placeholder",
    "insecure",
    "example",
    "voorbeeld",
    "dev-only",
    "test-only",
    "build-only",
    "config-check",
)
PLACEHOLDER_PREFIXES = ("dev-", "test-", "django-insecure-")
# Django's own deploy check asks the same variety of a SECRET_KEY (security.W009).
MIN_UNIQUE_CHARACTERS = 5
GENERATE = 'python -c "import secrets; print(secrets.token_urlsafe(64))"'


def _is_placeholder(value: str) -> bool:
    lowered = value.lower()
    return (
        lowered.startswith(PLACEHOLDER_PREFIXES)
        or any(marker in lowered for marker in PLACEHOLDER_MARKERS)
        or len(set(value)) < MIN_UNIQUE_CHARACTERS
    )


def secret_problem(name: str, value: str | None, min_length: int) -> str | None:
    """The Dutch/English reason why `value` cannot serve as the secret `name`, or None."""
    value = (value or "").strip()
    if not value:
        return (
            f"{name} ontbreekt: zet een lange willekeurige waarde in de omgeving ({GENERATE}). / "
            f"{name} is missing: set a long random value in the environment ({GENERATE})."
        )
    if len(value) < min_length:
        return (
            f"{name} is te kort: {len(value)} tekens, minimaal {min_length}. / "
            f"{name} is too short: {len(value)} characters, at least {min_length}."
        )
    if _is_placeholder(value):
        return (
            f"{name} is een voorbeeld- of ontwikkelwaarde (zoals in .env.example): kies een eigen "
            f"willekeurige waarde ({GENERATE}). / "
            f"{name} is a placeholder or development value (as in .env.example): choose your own "
            f"random value ({GENERATE})."
        )
    return None


def require_secret(name: str, value: str | None, min_length: int) -> str:
    problem = secret_problem(name, value, min_length)
    if problem:
        raise ImproperlyConfigured(problem)
    return value

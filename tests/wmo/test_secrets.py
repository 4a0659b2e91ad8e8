"""Production refuses a missing, short or placeholder secret, naming the variable in Dutch and
English; the good values of test_settings.PRODUCTION_ENV pass (and `check --deploy` with them)."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from wmo.settings.secrets import require_secret, secret_problem

from .test_settings import PRODUCTION_ENV, run_django

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {"DJANGO_SECRET_KEY": 50, "WMO_PSEUDONYM_KEY": 32}


def _assignments(path: Path, pattern: str) -> dict[str, str]:
    return dict(re.findall(pattern, path.read_text(), re.M))


def known_placeholders() -> list[tuple[str, str]]:
    """Every secret value written down anywhere in the repository: .env.example, the dev and
    test defaults, the Dockerfile's and the Makefile's build-time values."""
    found = []
    example = _assignments(ROOT / ".env.example", r"^([A-Z_]+)=(.*)$")
    for module in ("dev.py", "test.py"):
        defaults = _assignments(
            ROOT / "wmo" / "settings" / module, r'os\.environ\.setdefault\("([A-Z_]+)", "([^"]+)"\)'
        )
        found += [(name, defaults[name]) for name in SECRETS]
    found += [(name, example[name]) for name in SECRETS]
    for path in ("Makefile", "Dockerfile"):
        for name, value in re.findall(
            r"\b(DJANGO_SECRET_KEY|WMO_PSEUDONYM_KEY)=(\S+)", (ROOT / path).read_text()
        ):
            found.append((name, value))
    return found


def test_every_placeholder_in_the_repository_is_found():
    names = [name for name, _ in known_placeholders()]
    assert names.count("DJANGO_SECRET_KEY") >= 3 and names.count("WMO_PSEUDONYM_KEY") >= 3


@pytest.mark.parametrize(("name", "value"), known_placeholders(), ids=lambda v: str(v)[:24])
def test_placeholders_from_the_repository_are_refused(name, value):
    problem = secret_problem(name, value, SECRETS[name])
    assert problem is not None
    assert problem.startswith(f"{name} ")
    assert f" / {name} " in problem  # the English half names it too
    assert value not in problem  # a secret is never echoed


@pytest.mark.parametrize(
    ("value", "dutch", "english"),
    [
        (None, "ontbreekt", "is missing"),
        ("   ", "ontbreekt", "is missing"),
        ("kort-maar-willekeurig-9f3k", "is te kort: 26 tekens, minimaal 50", "is too short"),
        ("change-me-" + "x7Gk2pQ9" * 6, "is een voorbeeld- of ontwikkelwaarde", "is a placeholder"),
        (
            "django-insecure-" + "a8Kq3Zp1" * 5,
            "is een voorbeeld- of ontwikkelwaarde",
            "is a placeholder",
        ),
        (
            "ab" * 30,
            "is een voorbeeld- of ontwikkelwaarde",
            "is a placeholder",
        ),  # too little variety
    ],
)
def test_reasons_in_dutch_and_english(value, dutch, english):
    with pytest.raises(ImproperlyConfigured) as error:
        require_secret("DJANGO_SECRET_KEY", value, min_length=50)
    message = str(error.value)
    assert message.startswith(f"DJANGO_SECRET_KEY {dutch}")
    assert f"DJANGO_SECRET_KEY {english}" in message


def test_good_values_pass():
    for name, min_length in SECRETS.items():
        assert require_secret(name, PRODUCTION_ENV[name], min_length) == PRODUCTION_ENV[name]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # The value .env.example ships with, 63 characters long: long enough, still refused.
        (
            {"DJANGO_SECRET_KEY": "change-me-to-a-long-random-string-of-at-least-fifty-characters"},
            "DJANGO_SECRET_KEY is een voorbeeld- of ontwikkelwaarde",
        ),
        ({"WMO_PSEUDONYM_KEY": "productie-sleutel"}, "WMO_PSEUDONYM_KEY is te kort: 17 tekens"),
        ({"WMO_PSEUDONYM_KEY": ""}, "WMO_PSEUDONYM_KEY ontbreekt"),
    ],
)
def test_production_settings_refuse_to_start(overrides, expected):
    result = run_django("wmo.settings.production", **{**PRODUCTION_ENV, **overrides})
    assert result.returncode != 0
    assert f"django.core.exceptions.ImproperlyConfigured: {expected}" in result.stderr

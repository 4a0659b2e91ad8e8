"""Every URL pattern of the project is covered by a per-role permission row.

Walks Django's resolver (pages, the API router, the indicators API, the admin) and checks that
each route is matched by at least one row of a module-level MATRIX list of tests/access.py
Access rows in some tests/**/test_*.py module, or is on the short exemption list below. A row's
URL may carry {placeholders} for objects its test's fixture creates; they match any value."""

import importlib
import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from tests.access import ROLES, Access

TESTS = Path(__file__).resolve().parents[1]

# Routes where a test per role is meaningless, and why.
EXEMPT = {
    # Django's admin: every view below /beheer/ is guarded in one place, AdminSite.has_permission
    # (an active staff user), and no role makes a user staff. The MATRIX row for /beheer/ shows
    # the guard for each role; a row per model page would test Django, not our access rules.
    r"^beheer/.": "Django admin internals, behind the staff check that /beheer/ tests",
}
PLACEHOLDER = r"\{\w+\}"


def routes() -> list[tuple[str, re.Pattern]]:
    """(route as written, compiled regex of the whole path) for every endpoint, in the order
    Django tries them; a {placeholder} in a row's URL is accepted wherever a parameter is."""
    found = []

    def walk(patterns, route, regex):
        for pattern in patterns:
            own = pattern.pattern.regex.pattern
            full_regex = regex + (own if not regex else own.removeprefix("^"))
            full_route = route + str(pattern.pattern).removeprefix("^" if route else "")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, full_route, full_regex)
            elif isinstance(pattern, URLPattern):
                lenient = re.sub(
                    r"\(\?P<(\w+)>", lambda m: f"(?P<{m.group(1)}>{PLACEHOLDER}|", full_regex
                )
                found.append((full_route, re.compile(lenient)))

    walk(get_resolver().url_patterns, "", "")
    return found


def matrix_rows() -> list[tuple[str, Access]]:
    rows = []
    for path in sorted(TESTS.rglob("test_*.py")):
        module = importlib.import_module(
            ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        )
        for row in getattr(module, "MATRIX", None) or []:
            rows.append((module.__name__, row))
    return rows


def route_of(url: str, table) -> str | None:
    path = url.split("?", 1)[0].removeprefix("/")
    for route, regex in table:
        if regex.match(path):
            return route
    return None


def test_every_route_has_a_permission_row_or_a_reason():
    table = routes()
    covered = {route_of(row.url, table) for _, row in matrix_rows() if isinstance(row, Access)}
    exempt = {route for route, _ in table if any(re.match(p, route) for p in EXEMPT)}
    missing = [route for route, _ in table if route not in covered | exempt]
    assert missing == [], (
        "Routes without a MATRIX row (tests/access.py Access, every role): add one to the "
        f"test module of the app that owns the route: {missing}"
    )


def test_matrix_rows_are_access_rows_for_every_role_on_real_routes():
    table = routes()
    problems = []
    for module, row in matrix_rows():
        if not isinstance(row, Access):
            problems.append(f"{module}: {row!r} is not an Access row")
            continue
        if set(row.expected) != set(ROLES):
            problems.append(f"{module}: {row} names {sorted(row.expected)}, not every role")
        if route_of(row.url, table) is None:
            problems.append(f"{module}: {row} matches no route")
    assert problems == []


def test_each_exemption_still_exempts_a_route():
    table = routes()
    for pattern in EXEMPT:
        assert any(re.match(pattern, route) for route, _ in table), pattern
    assert len(EXEMPT) <= 3  # short, and each one explained

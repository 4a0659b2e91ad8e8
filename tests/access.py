"""Helper for permission matrices: one row per URL and method, one expected status per role."""

from dataclasses import dataclass, field, replace

ROLES = ("anonymous", "buurtteam_worker", "contract_manager", "council_member")


@dataclass(frozen=True)
class Access:
    method: str
    url: str
    expected: dict  # role -> status code
    data: dict = field(default_factory=dict)

    def __str__(self):
        return f"{self.method} {self.url}"

    def format(self, **ids) -> "Access":
        """The row with the {placeholders} in its URL filled in, for objects a fixture made:
        MATRIX stays a module-level list (tests/accounts/test_route_coverage.py reads it)."""
        return replace(self, url=self.url.format(**ids))


def expand(rows):
    """Turn matrix rows into (row, role, expected status) pytest params."""
    return [(row, role, row.expected[role]) for row in rows for role in ROLES]


def call(client, row: Access):
    method = getattr(client, row.method.lower())
    if row.method in ("GET", "HEAD", "DELETE"):
        return method(row.url)
    return method(row.url, data=row.data, content_type="application/json")

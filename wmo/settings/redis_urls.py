"""Redis URLs with another database number. Apart from base.py because the test settings must
rewrite the broker URLs in the environment before base.py reads them."""

from urllib.parse import urlsplit, urlunsplit


def redis_database(url: str, database: int) -> str:
    """`url` pointing at Redis database `database`; "" when `url` is not a Redis URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        return ""
    return urlunsplit(parts._replace(path=f"/{database}"))

"""Personal calendar subscription links: issue, revoke and resolve a feed token.

Calendar apps poll an .ics URL without a session, so the URL itself is the credential. It is
bound to one user and only works while that user is active and may view the tender."""

import base64
import hmac
import re
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from wmo.accounts.roles import has_capability

from .models import CalendarFeed

KEY_SALT = "procurement.calendar-feed"
KEY_LENGTH = 16  # characters of secrets.token_urlsafe(12)
SIGNATURE_LENGTH = 43  # base64url of a SHA-256 digest, without padding
VIEW = "procurement.view"
TOKEN = re.compile(rf"[A-Za-z0-9_-]{{{KEY_LENGTH + SIGNATURE_LENGTH}}}")


def _signature(key: str, secret: str) -> str:
    digest = salted_hmac(KEY_SALT, key, secret=secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def feed_token(feed: CalendarFeed) -> str:
    return feed.key + _signature(feed.key, settings.SECRET_KEY)


@transaction.atomic
def issue_feed(user) -> CalendarFeed:
    """Give the user a new subscription link; any earlier link of theirs stops working."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"key": secrets.token_urlsafe(12)}
    )
    if not created:
        feed.key = secrets.token_urlsafe(12)
        feed.last_used_at = None
        feed.save()
    return feed


def revoke_feed(user) -> bool:
    """Delete the user's subscription link. Returns whether there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def resolve_feed(token: str) -> CalendarFeed | None:
    """The feed a token opens, or None: unknown, revoked or forged tokens, and tokens of users
    who are inactive or may no longer view the tender, all open nothing."""
    if not TOKEN.fullmatch(token):
        return None  # also keeps non-ASCII out of compare_digest, which would raise on it
    key, signature = token[:KEY_LENGTH], token[KEY_LENGTH:]
    # Keys signed before a SECRET_KEY rotation keep working while the old key is a fallback.
    secrets_to_try = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(hmac.compare_digest(signature, _signature(key, s)) for s in secrets_to_try):
        return None
    feed = CalendarFeed.objects.select_related("user").filter(key=key).first()
    if feed is None or not has_capability(feed.user, VIEW):
        return None  # has_capability is False for inactive users
    return feed


def mark_used(feed: CalendarFeed) -> None:
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())

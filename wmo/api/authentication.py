import re

from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication

# A session request that fails Django's CSRF check, from DRF's session authentication and from
# CSRF_FAILURE_VIEW (wmo/errors.py) alike; Django's reasons ("Origin checking failed - …") are
# English. Here, not in exceptions.py: DRF imports this module while rest_framework.views, which
# exceptions.py imports, is still loading.
CSRF_DETAIL = (
    "De CSRF-controle is mislukt: stuur het CSRF-token mee of gebruik een API-token "
    "(Authorization: Token …)."
)
# DRF's tokens: 40 hexadecimal characters (rest_framework.authtoken.models.Token).
TOKEN_KEY = re.compile(r"[0-9a-f]{40}")


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, but a key that cannot be a token (a NUL byte, 20,000
    characters) is refused before it reaches the database, which cannot compare a NUL, and a
    header that is not Latin-1 (DRF encodes it so) is refused instead of failing."""

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Ongeldige token.") from None

    def authenticate_credentials(self, key):
        if not TOKEN_KEY.fullmatch(key):
            raise exceptions.AuthenticationFailed("Ongeldige token.")
        return super().authenticate_credentials(key)


class ApiSessionAuthentication(SessionAuthentication):
    """DRF's session authentication with the CSRF refusal in Dutch: DRF answers "CSRF Failed:"
    and Django's English reason, which would reach the caller as the problem's detail."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(CSRF_DETAIL) from None

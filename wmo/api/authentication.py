import re

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

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

"""Production: no defaults for secrets; HTTPS-only cookies and HSTS so `check --deploy` is clean."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, WMO_PSEUDONYM_KEY, env
from .secrets import require_secret

# A missing, short or placeholder secret stops the start with a message naming the variable.
# 50 characters is what Django's deploy check asks of a SECRET_KEY; the pseudonym key is an
# HMAC-SHA256 key, so at least 32 characters (256 bits of a random token).
require_secret("DJANGO_SECRET_KEY", SECRET_KEY, min_length=50)
require_secret("WMO_PSEUDONYM_KEY", WMO_PSEUDONYM_KEY, min_length=32)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production runs behind one TLS-terminating reverse proxy, which appends the client's address
# (the audit trail, login lockout and API throttles name the client, not the proxy).
NUM_PROXIES = env.int("DJANGO_NUM_PROXIES", default=1)
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": NUM_PROXIES}  # noqa: F405
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

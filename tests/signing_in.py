"""Signing a user in for a test without the login form or Django's login().

`sign_in` writes the session django.contrib.auth.login() writes (the user, the backend, the
password hash that ends the session when the password changes) and the session's start
stamps (wmo.accounts.sessions), then hands its cookie to the client. What it leaves out are
the login's side effects, each a database write: django-axes' access log and reset of failed
attempts, and the user's last_login. The login itself, with those, has its own tests through
the form (tests/accounts/test_login_throttling.py, tests/e2e/test_login_and_navigation.py).
Client.force_login took 6 ms on SQLite and 8.5 ms on PostgreSQL, this 1 and 2 ms; most tests
sign a user in, the access matrices hundreds."""

import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend

from wmo.accounts.sessions import LOGIN_AT, SEEN_AT


def _backend() -> str:
    """As Client.force_login chooses: the first backend that can read a user back."""
    return next(path for path in settings.AUTHENTICATION_BACKENDS
                if hasattr(load_backend(path), "get_user"))  # fmt: skip


def session_for(user) -> str:
    """A saved session with `user` signed in; returns its key (the cookie's value)."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = _backend()
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[LOGIN_AT] = session[SEEN_AT] = int(time.time())
    session.save()
    return session.session_key


def sign_in(client, user) -> None:
    """Signs `user` in to the Django test client `client`."""
    client.cookies[settings.SESSION_COOKIE_NAME] = session_for(user)

"""Local development: the embedded default (SQLite, tasks in-process), safe to run on a laptop."""

import os

# Defaults only: a value in the environment always wins.
# Off, as in production: the house-style error pages, no settings or local variables (a BSN
# being validated) on an error page, and no query log growing in the background computation.
# DJANGO_DEBUG=true in the environment switches it on for development.
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("WMO_DEMO_ACCOUNTS", "true")
# Imports and recomputations run beside the server, not inside the request (wmo/background.py).
os.environ.setdefault("WMO_TASKS_IN_BACKGROUND", "true")
os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-secret-3c9f1b2a7d8e4f60a5b1c2d3e4f5a6b7")
os.environ.setdefault("WMO_PSEUDONYM_KEY", "dev-only-pseudonym-key")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

from .base import *  # noqa: E402,F403

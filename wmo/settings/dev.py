"""Local development: the embedded default (SQLite, tasks in-process), safe to run on a laptop."""

import os

# Defaults only: a value in the environment always wins.
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-secret-3c9f1b2a7d8e4f60a5b1c2d3e4f5a6b7")
os.environ.setdefault("WMO_PSEUDONYM_KEY", "dev-only-pseudonym-key")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

from .base import *  # noqa: E402,F403

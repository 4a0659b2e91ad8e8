"""gunicorn's settings for the web tier (`gunicorn -c python:wmo.gunicorn wmo.wsgi`): the
Dockerfile, docker-compose.yml and the load benchmark start it so.

Threads per worker process: a request that waits (a 50 MB upload coming in, a slow client, the
database) holds a thread, not a whole process, so the pages of everyone else keep their speed;
with sync workers three uploads at once took three of four processes (issue 14)."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# An upload of the largest file allowed (50 MB) on a slow line takes longer than the default 30 s.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
# Idle keep-alive connections wait in the poller, not in a thread. Longer than a client's or a
# proxy's own idle time (60 s is common): a server closing first races the client's next request
# on that connection, which the client sees as "connection reset" (measured: 12 of 1,463).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log

"""gunicorn settings for the cats API in production.

::

    gunicorn -c samples/cats/gunicorn.conf.py

run from the checkout's root (or wherever ``samples`` is importable), with
``DATABASE_URL`` and ``CATS_API_TOKEN`` in the environment. Options given on
the command line win over these (``--bind``, ``--workers``). See
docs/guide/deploy.md for the layout around it.
"""

from __future__ import annotations

import os

wsgi_app = "samples.cats:create_app()"

# Loopback only: a reverse proxy on the same host takes the public traffic,
# buffers slow clients and terminates TLS. GUNICORN_BIND changes it.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Processes for CPU and isolation, threads to overlap database round trips.
# WEB_CONCURRENCY is the usual knob of hosting platforms.
workers = int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) * 2)
worker_class = "gthread"
threads = 4

# A worker silent for this long is killed and replaced (with gthread, only
# a worker whose main loop is stuck: a request thread waiting on the
# database does not count). The app bounds its own waits instead
# (DATABASE_CONNECT_TIMEOUT 3 s, DATABASE_STATEMENT_TIMEOUT 6 s and a
# watchdog for a frozen server), well below this, so a slow or frozen
# database gets a 503 from the app rather than a hung request.
timeout = 30
# On SIGTERM (a deploy, docker stop), requests under way get this long.
graceful_timeout = 30
# The proxy reuses its connections to gunicorn; keep them a little.
keepalive = 5

# Replace each worker after about this many requests, so a slow leak in any
# library cannot grow without bound; the jitter keeps workers from all
# restarting at once.
max_requests = 2000
max_requests_jitter = 200

# Refuse absurd request lines and headers early (these are gunicorn's
# defaults, written out so that they are seen). gunicorn has no body limit:
# the app's MAX_CONTENT_LENGTH answers 413, chunked or not, and the proxy
# should refuse big bodies first.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# No preload: each worker imports the app and opens its own connection pool
# after the fork, and `kill -HUP` on the master reloads new code. Creating
# the table at start-up is safe with several workers racing on an empty
# database (SQLite BEGIN IMMEDIATE, a PostgreSQL advisory lock); with
# CATS_CREATE_SCHEMA=0 run `flask --app samples.cats init-db` once instead.
preload_app = False

# Only the proxy on this host may set X-Forwarded-* headers.
forwarded_allow_ips = "127.0.0.1"

# Heartbeat files in memory: a disk-backed /tmp can stall workers long
# enough under I/O load (or in containers) to get them killed.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# gunicorn 27's control socket is one path per user ($XDG_RUNTIME_DIR or
# ~/.gunicorn): two instances on a host would fight over it. Older gunicorns
# ignore this setting.
control_socket_disable = True

# Logs to stderr, for the service manager or container runtime to keep.
accesslog = "-"
errorlog = "-"

"""Serve the cats API with waitress: ``python -m samples.cats``.

The database is ``instance/cats.sqlite3`` unless ``DATABASE_URL`` says
otherwise. Writes need ``CATS_API_TOKEN``; when it is not set, a token is
made up on the first run and kept in ``instance/cats-api-token``.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import signal
import typing as t

import waitress

from . import create_app, repository_of
from .resources import TOKEN_KEY
from .storage import display_url

if t.TYPE_CHECKING:
    from flask import Flask

TOKEN_FILE = "cats-api-token"


def dev_token(app: Flask) -> str:
    """Read the token kept in the instance folder, making one up the first
    time; only the owner may read the file, whoever made it."""
    path = os.path.join(app.instance_path, TOKEN_FILE)
    try:
        # A file copied in or made by hand may be readable by all.
        os.chmod(path, 0o600)
        with open(path, encoding="utf-8") as f:
            token = f.read().strip()
        if token:
            return token
    except FileNotFoundError:
        pass
    token = secrets.token_urlsafe(24)
    os.makedirs(app.instance_path, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(token + "\n")
    return token


def serve_options(app: Flask) -> dict[str, t.Any]:
    """The waitress settings for ``app``: production values, not waitress's
    defaults.

    - ``max_request_body_size``: a little over the app's
      ``MAX_CONTENT_LENGTH``. waitress reads a body whole before the app
      sees it, up to 1 GiB by default; now it answers 413 itself, without
      reading, to anything absurd, and leaves the app to answer a body just
      over the limit with its JSON 413.
    - ``connection_limit``: room for many idle keep-alive clients; at the
      default 100, a hundred idle or slow sockets lock everyone else out.
    - ``channel_timeout`` and ``cleanup_interval``: idle or stalled
      connections are closed after 20 to 30 seconds instead of 120 to 150.

    A slow client can still hold a connection for that long: in production
    put a reverse proxy in front, which buffers whole requests before it
    passes them on (see docs/guide/deploy.md).
    """
    return {
        "max_request_body_size": app.config["MAX_CONTENT_LENGTH"] + 64 * 1024,
        "connection_limit": 500,
        "channel_timeout": 20,
        "cleanup_interval": 10,
        # poll(): select() cannot watch more than 1024 sockets.
        "asyncore_use_poll": True,
        "threads": 4,
    }


def main(argv: t.Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m samples.cats", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    options = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    app = create_app()
    if app.config[TOKEN_KEY]:
        where = f"the {TOKEN_KEY} environment variable"
    else:
        app.config[TOKEN_KEY] = dev_token(app)
        where = os.path.relpath(os.path.join(app.instance_path, TOKEN_FILE))
    print(f"Database: {display_url(app.config['DATABASE_URL'])}")
    print(f"Writes need 'Authorization: Bearer <token>', the token is in {where}")
    print(f"Try: curl http://{options.host}:{options.port}/cats", flush=True)
    # Stop on SIGTERM (kill, docker stop) as on Ctrl-C: waitress finishes the
    # requests under way, then the database connections are closed.
    signal.signal(signal.SIGTERM, _exit)
    try:
        waitress.serve(app, host=options.host, port=options.port, **serve_options(app))
    finally:
        repository_of(app).close()


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    main()
